import { Type, type Static, type TSchema } from '@fastify/type-provider-typebox'

// Schema pieces every route module uses.

/** `type: [T, 'null']` rather than anyOf: the serializer handles it far faster on large answers. */
export const Nullable = <T extends TSchema>(schema: T) => Type.Unsafe<Static<T> | null>({ ...schema, type: [schema.type, 'null'] })

export const IdParams = Type.Object({ id: Type.String({ minLength: 1, maxLength: 64 }) })

/** OpenAPI: the route needs `Authorization: Bearer <key>` (the scheme plugins/docs.ts declares). */
export const NEEDS_KEY = [{ apiKey: [] }]
