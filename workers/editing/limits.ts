// Written once here, where workers read them, and taken by the contract (contract/api.ts):
// a worker never loads the contract's TypeBox for a constant.

export const EDIT_OPS = ['add', 'update', 'delete'] as const
export type EditOpKind = typeof EDIT_OPS[number]
