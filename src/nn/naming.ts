import { ParameterDict } from './parameter_dict';

/**
 * Gluon's block naming. Outside any name scope a block of hint `h` (its class name in lower
 * case) gets the prefix `h<N>_` from a global per-hint counter that is never reset. Inside
 * `parent.nameScope(...)` N comes from the parent's own per-hint counter and the prefix is
 * `parent.prefix + h<N>_`, and the block's ParameterDict shares the parent's shared dict.
 */

/** The part of a parent block a name scope needs. */
export interface ScopeOwner {
  readonly prefix: string;
  readonly params: ParameterDict;
  /** Per-hint counters for the children created inside this owner's scope. */
  readonly childCounters: Map<string, number>;
  /** The block was given the prefix '' (Gluon's `_empty_prefix`): its scope is its parent's. */
  readonly emptyPrefix: boolean;
}

const globalCounters = new Map<string, number>();
const scopeStack: ScopeOwner[] = [];

function nextCount(counters: Map<string, number>, hint: string): number {
  const count = counters.get(hint) ?? 0;
  counters.set(hint, count + 1);
  return count;
}

/**
 * The prefix and ParameterDict of a new block, following Gluon's `_BlockScope.create`.
 * `params` (another block's dict) makes the new block share those parameters.
 */
export function createBlockNames(hint: string, prefix?: string, params?: ParameterDict): { prefix: string; params: ParameterDict } {
  const scope = scopeStack[scopeStack.length - 1];
  if (scope === undefined) {
    const ownPrefix = prefix ?? `${hint}${nextCount(globalCounters, hint)}_`;
    return { prefix: ownPrefix, params: params ? new ParameterDict(params.prefix, params) : new ParameterDict(ownPrefix) };
  }
  const localPrefix = prefix ?? `${hint}${nextCount(scope.childCounters, hint)}_`;
  const dict = params
    ? new ParameterDict(params.prefix, params)
    : new ParameterDict(scope.params.prefix + localPrefix, scope.params.shared);
  return { prefix: scope.prefix + localPrefix, params: dict };
}

/**
 * Runs `body` with `owner` as the current name scope — a no-op for a block given the prefix '', as
 * Gluon's `_BlockScope.__enter__`: blocks made in it are named in the enclosing scope.
 */
export function withNameScope<T>(owner: ScopeOwner, body: () => T): T {
  if (owner.emptyPrefix) return body();
  scopeStack.push(owner);
  try {
    return body();
  } finally {
    scopeStack.pop();
  }
}
