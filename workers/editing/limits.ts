// Written once here, where workers read them, and taken by the contract (contract/api.ts):
// a worker never loads the contract's TypeBox for a constant.

export const EDIT_OPS = ['add', 'update', 'delete'] as const
export type EditOpKind = typeof EDIT_OPS[number]

/** Ops in one bulk edit. */
export const MAX_EDIT_OPS = 5000
/** History entries one answer holds: the newest page by default (an entry holds whole rows), at most the scan undo reads. */
export const HISTORY_PAGE = 100
export const HISTORY_MAX = 1000
