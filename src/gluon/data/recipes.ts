/**
 * Recipes: how a worker thread of a DataLoader (`numWorkers`) rebuilds an object made on the
 * loader's thread. A closure cannot cross to another thread, so an object is remembered as
 * `new (require(module)[exportName])(...args)` (or a call) — the built-in datasets and vision
 * transforms record theirs when constructed — or as a method of a rebuildable object called with
 * rebuildable arguments (`dataset.transformFirst(new transforms.ToTensor())`, `shard`, `take`).
 * Arguments must survive structured cloning, or be rebuildable objects themselves (a `Compose`
 * of built-in transforms); anything else (a user's function) leaves the object without a recipe.
 */

/** `new (require(module)[exportName])(...args)` when `construct`, else a call. */
export interface ModuleRecipe {
  readonly module: string;
  readonly exportName: string;
  readonly args: readonly RecipeValue[];
  readonly construct: boolean;
}

/** `rebuild(target)[method](...args)`. */
export interface MethodRecipe {
  readonly target: WorkerRecipe;
  readonly method: string;
  readonly args: readonly RecipeValue[];
}

export type WorkerRecipe = ModuleRecipe | MethodRecipe;

/** A structured-cloneable value, with rebuildable objects inside marked `{ $recipe }`. */
export type RecipeValue = unknown;

/** What was recorded: the arguments as given (encoded when a recipe is asked for). */
type Recorded =
  | { readonly kind: 'module'; readonly module: string; readonly exportName: string; readonly construct: boolean; readonly args: readonly unknown[] }
  | { readonly kind: 'method'; readonly target: object; readonly method: string; readonly args: readonly unknown[] };

const recorded = new WeakMap<object, Recorded>();

/**
 * Records that `object` is `new exportName(...args)` of the module file `module` — when `exact`
 * (callers pass `new.target === TheClass`: a user's subclass is not rebuilt as its base) and the
 * module file is known (`__filename`; absent in an ES module build, where no recipe is kept).
 */
export function constructedFrom(object: object, module: string | undefined, exportName: string, args: readonly unknown[], exact = true): void {
  if (module !== undefined && exact) recorded.set(object, { kind: 'module', module, exportName, construct: true, args });
}

/** Records that `object` is `require(module)[exportName](...args)` (datasetFromModule). */
export function calledFrom(object: object, module: string, exportName: string, args: readonly unknown[]): void {
  recorded.set(object, { kind: 'module', module, exportName, construct: false, args });
}

/** Records that `object` is `target[method](...args)` (whether target can be rebuilt is asked later, by recipeOf). */
export function madeByMethod(object: object, target: object, method: string, args: readonly unknown[]): void {
  recorded.set(object, { kind: 'method', target, method, args });
}

/** The recipe of `object`, or undefined when it (or anything it is made from) cannot be rebuilt. */
export function recipeOf(object: object): WorkerRecipe | undefined {
  const entry = recorded.get(object);
  if (entry === undefined) return undefined;
  const args = encodeArgs(entry.args);
  if (args === undefined) return undefined;
  if (entry.kind === 'module') return { module: entry.module, exportName: entry.exportName, construct: entry.construct, args };
  const target = recipeOf(entry.target);
  return target === undefined ? undefined : { target, method: entry.method, args };
}

/** Every module file a recipe loads (a worker under ts-node needs to know of TypeScript ones). */
export function recipeModules(recipe: WorkerRecipe): string[] {
  const nested = (args: readonly RecipeValue[]): string[] =>
    args.flatMap(function walk(value: unknown): string[] {
      if (isMarker(value)) return recipeModules(value.$recipe);
      if (typeof value === 'object' && value !== null) return Object.values(value).flatMap(walk);
      return [];
    });
  return 'module' in recipe ? [recipe.module, ...nested(recipe.args)] : [...recipeModules(recipe.target), ...nested(recipe.args)];
}

const isMarker = (value: unknown): value is { $recipe: WorkerRecipe } => typeof value === 'object' && value !== null && '$recipe' in value;

/** The arguments with rebuildable objects marked; undefined if one is a function or object without a recipe. */
function encodeArgs(args: readonly unknown[]): RecipeValue[] | undefined {
  const out: RecipeValue[] = [];
  for (const value of args) {
    const encoded = encode(value);
    if (encoded === NOT_REBUILDABLE) return undefined;
    out.push(encoded);
  }
  return out;
}

const NOT_REBUILDABLE = Symbol('not rebuildable');

function encode(value: unknown): RecipeValue | typeof NOT_REBUILDABLE {
  if (Array.isArray(value)) {
    const items = encodeArgs(value);
    return items === undefined ? NOT_REBUILDABLE : items;
  }
  if ((typeof value === 'object' && value !== null) || typeof value === 'function') {
    if (recorded.has(value)) {
      const recipe = recipeOf(value);
      return recipe === undefined ? NOT_REBUILDABLE : { $recipe: recipe };
    }
    // Functions (closures) and class instances cannot cross; plain option objects can, encoded.
    if (typeof value === 'function' || Object.getPrototypeOf(value) !== Object.prototype) return NOT_REBUILDABLE;
    const entries = Object.entries(value).map(([key, item]) => [key, encode(item)] as const);
    return entries.some(([, item]) => item === NOT_REBUILDABLE) ? NOT_REBUILDABLE : Object.fromEntries(entries);
  }
  return value;
}
