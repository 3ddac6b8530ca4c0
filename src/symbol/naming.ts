/**
 * Node names, as MXNet's NameManager: an operator node without an explicit name is called
 * `<op in lower case><n>` (`convolution0`, `convolution1`, …). Inside `withNamePrefix` (a block
 * being traced) names get the block's prefix and fresh counters, as Gluon's name scope does:
 * `dense0_fwd` for an explicit name 'fwd', `dense0_activation0` otherwise.
 */

interface Scope {
  readonly prefix: string;
  readonly counters: Map<string, number>;
}

const GLOBAL: Scope = { prefix: '', counters: new Map() };
let scope: Scope = GLOBAL;

/** Runs `body` naming new nodes with `prefix` and counters of their own. */
export function withNamePrefix<T>(prefix: string, body: () => T): T {
  const previous = scope;
  scope = { prefix, counters: new Map() };
  try {
    return body();
  } finally {
    scope = previous;
  }
}

/** The name of a new node: `prefix + explicit`, or `prefix + hint + n`. */
export function nodeName(hint: string, explicit?: string): string {
  if (explicit !== undefined) return scope.prefix + explicit;
  const key = hint.toLowerCase();
  const count = scope.counters.get(key) ?? 0;
  scope.counters.set(key, count + 1);
  return `${scope.prefix}${key}${count}`;
}
