// Types of build-stamp.mjs, for the TypeScript tests and the bench that use it.
export declare const projectRoot: string
export declare const BUILD_INPUTS: readonly string[]
export declare const STAMP_FILE: string
export declare function inputListing (root?: string, inputs?: readonly string[]): string
export declare function sourceStamp (root?: string, inputs?: readonly string[]): string
export declare function staleReason (root?: string, inputs?: readonly string[]): string | null
export declare function writeStamp (root?: string, inputs?: readonly string[]): void
