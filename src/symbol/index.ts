/**
 * The `sym` namespace, as `mxnet.sym`: `sym.var`, `sym.Group`, every operator (`sym.Convolution`,
 * `sym.add`, …; the same arguments as `nd.X`), and MXNet's symbol JSON (`sym.load`,
 * `sym.loadJson`; `s.toJson()`, `s.save(path)`).
 */
import { readTextFile } from '../ndarray/io/fs';
import { graphFromJson } from './json_read';
import { Symbol } from './symbol';
import { symBase } from './sym';

/**
 * The Symbol of a symbol file's JSON text (or its parsed object), in any format MXNet reads, from
 * 0.8 to 1.9. @example const net = sym.loadJson(fs.readFileSync('det1-symbol.json', 'utf8'));
 */
export function loadJson(json: string | object): Symbol {
  return new Symbol(graphFromJson(json, 'sym.loadJson'));
}

/** The Symbol saved in the file `path` (Node only; see `loadJson` for browsers). @example sym.load('model-symbol.json') */
export function load(path: string): Symbol {
  return new Symbol(graphFromJson(readTextFile(path, 'sym.load'), `sym.load('${path}')`));
}

export const sym = Object.freeze({ ...symBase, load, loadJson });

// eslint-disable-next-line @typescript-eslint/no-namespace
export declare namespace sym {
  export type Symbol = import('./symbol').Symbol;
  export type VarOptions = import('./sym').VarOptions;
  export type InferredShapes<S> = import('./symbol').InferredShapes<S>;
}
export { Symbol };
