// The types of what preact.js re-exports from the vendored module (htm's Preact bundle, served
// at /vendor/htm/, which TypeScript cannot resolve): only what the panel uses. TypeScript reads
// this file in place of preact.js.

/** What `html` answers: a Preact element (or several, from a template with more than one root). */
export interface VNode {
  type: unknown
  props: Record<string, unknown>
}

export declare function html (strings: TemplateStringsArray, ...values: unknown[]): VNode
export declare function render (tree: VNode | null, parent: Element): void
export declare function useState<S> (initial: S | (() => S)): [S, (value: S | ((previous: S) => S)) => void]
export declare function useEffect (effect: () => void | (() => void), inputs?: readonly unknown[]): void
export declare function useRef<T> (initial: T): { current: T }
export declare function useCallback<F extends (...args: never[]) => unknown> (callback: F, inputs: readonly unknown[]): F
export declare function useMemo<T> (factory: () => T, inputs: readonly unknown[]): T
