import { checkFlag, checkOptionsObject, describeValue, optionKeys } from '../core/checks';
import { GluonError } from '../core/errors';
import { load, save } from '../ndarray/io/fs';
import { loadBytes, saveBytes, NDArrays } from '../ndarray/io/params_file';
import type { NDArray } from '../ndarray/ndarray';
import type { Block } from './block';
import type { Parameter } from './parameter';
import type { ParameterDict } from './parameter_dict';

/**
 * Gluon's parameter files (`save_parameters` / `load_parameters`), byte-compatible with MXNet 1.9:
 * keys are *structural* — attribute names joined by '.' down the child tree ('0.weight',
 * 'features.3.gamma') — and files with no '.' in any key (a top-level leaf block, or the
 * deprecated `save_params` with full names like 'dense0_weight') load through the legacy,
 * prefix-based path. 'arg:'/'aux:' prefixes of exported checkpoints are stripped.
 */

/** Options of `Block.saveParameters`. */
export interface SaveParametersOptions {
  /** Save a parameter shared by several blocks once, under its last path. Default false. */
  deduplicate?: boolean;
}

/** Options of `Block.loadParameters`. */
export interface LoadParametersOptions {
  /** Leave parameters the file lacks as they are, instead of failing. Default false. */
  allowMissing?: boolean;
  /** Ignore file entries the block has no parameter for, instead of failing. Default false. */
  ignoreExtra?: boolean;
}

const SAVE_KEYS = optionKeys<SaveParametersOptions>({ deduplicate: true });
const LOAD_KEYS = optionKeys<LoadParametersOptions>({ allowMissing: true, ignoreExtra: true });

/** Checks `saveParameters`' options. */
export function checkSaveOptions(who: string, options: unknown): SaveParametersOptions {
  const { deduplicate = false } = checkOptionsObject(who, options, SAVE_KEYS);
  return { deduplicate: checkFlag(who, 'deduplicate', deduplicate) };
}

/**
 * Checks load options against `allowed` (`loadParameters`' keys, or more for a caller that takes
 * more) and their two flags; returns them all.
 */
export function checkLoadOptions(who: string, options: unknown, allowed: readonly string[] = LOAD_KEYS): Readonly<Record<string, unknown>> {
  const checked = checkOptionsObject(who, options, allowed);
  for (const key of ['allowMissing', 'ignoreExtra']) if (checked[key] !== undefined) checkFlag(who, key, checked[key]);
  return checked;
}

/** A file to read or write: a path, or (where `bytes`) the file's bytes. */
export function checkSource(who: string, source: unknown, bytes: boolean): void {
  if (typeof source === 'string' || (bytes && source instanceof Uint8Array)) return;
  const expected = bytes ? 'a file path (a string) or the file\'s bytes (a Uint8Array)' : 'a file path (a string)';
  throw new GluonError(`${who}: expected ${expected}, but got ${describeValue(source)}`);
}

const NAMING_URL = 'https://mxnet.io/api/python/docs/tutorials/packages/gluon/blocks/naming.html';

/** The attribute-registered parameters of `block` and its children under structural keys. */
export function structuralParams(block: Block<unknown>, prefix = ''): Map<string, Parameter> {
  const result = new Map<string, Parameter>();
  const dot = prefix === '' ? '' : `${prefix}.`;
  for (const [name, param] of block.parameterEntries()) result.set(dot + name, param);
  for (const [name, child] of block.childEntries()) {
    for (const [key, param] of structuralParams(child, dot + name)) result.set(key, param);
  }
  return result;
}

/** The arrays `saveParameters` writes, by structural key. */
export function parameterArrays(block: Block<unknown>, options: SaveParametersOptions = {}): Record<string, NDArray> {
  let entries = [...structuralParams(block)];
  if (checkSaveOptions(`${block.errorName}.saveParameters`, options).deduplicate) {
    // As Gluon: each shared parameter keeps its first position and its last key.
    const lastKey = new Map<Parameter, string>();
    for (const [key, param] of entries) lastKey.set(param, key);
    entries = [...lastKey].map(([param, key]) => [key, param]);
  }
  const arrays: Record<string, NDArray> = {};
  for (const [key, param] of entries) arrays[key] = param.data();
  return arrays;
}

/** `block.saveParameters(path)`: writes the structural-key file (Node). */
export function saveParameters(block: Block<unknown>, path: string, options?: SaveParametersOptions): void {
  checkSource(`${block.errorName}.saveParameters`, path, false);
  save(path, parameterArrays(block, options));
}

/** `block.saveParametersBytes()`: the same file as bytes (browsers). */
export function saveParametersBytes(block: Block<unknown>, options?: SaveParametersOptions): Uint8Array {
  return saveBytes(parameterArrays(block, options));
}

/** Loads a file (a path in Node, or its bytes) into `block`'s parameters. */
export function loadParameters(block: Block<unknown>, source: string | Uint8Array, options: LoadParametersOptions = {}): void {
  checkSource(`${block.errorName}.loadParameters`, source, true);
  checkLoadOptions(`${block.errorName}.loadParameters`, options);
  const fileName = typeof source === 'string' ? source : '<bytes>';
  const loaded = typeof source === 'string' ? load(source) : loadBytes(source, fileName);
  const params = structuralParams(block);
  if (Array.isArray(loaded)) {
    if (loaded.length === 0 && params.size === 0) return;
    throw new GluonError(`loadParameters: '${fileName}' holds an unnamed list of ${loaded.length} arrays (nd.save of a list); a parameter file needs names`);
  }
  const keys = Object.keys(loaded);
  if (keys.length === 0 && params.size === 0) return;
  if (!keys.some((key) => key.includes('.'))) {
    loadIntoDict(block.collectParams(), loaded, fileName, block.prefix, options);
    return;
  }
  loadStructural(block, params, loaded, fileName, options);
}

function loadStructural(block: Block<unknown>, params: Map<string, Parameter>, loaded: Record<string, NDArray>, fileName: string, options: LoadParametersOptions): void {
  if (!options.allowMissing) {
    // A shared parameter saved with deduplicate is in the file under one of its keys only.
    const keysOf = new Map<Parameter, string[]>();
    for (const [key, param] of params) keysOf.set(param, [...(keysOf.get(param) ?? []), key]);
    for (const [key, param] of params) {
      if (!(keysOf.get(param) ?? []).some((k) => k in loaded)) {
        throw new GluonError(
          `Parameter '${key}' is missing in file '${fileName}', which contains parameters: ${briefList(Object.keys(loaded))}. ` +
            'Set allowMissing=true to ignore missing parameters.',
        );
      }
    }
  }
  for (const [key, array] of Object.entries(loaded)) {
    const param = params.get(key);
    if (param !== undefined) param.loadInit(array, fileName);
    else if (!options.ignoreExtra) {
      throw new GluonError(
        `Parameter '${key}' loaded from file '${fileName}' is not present in the block, which contains parameters ` +
          `${briefList([...block.params.keys()])}. Set ignoreExtra=true to ignore.`,
      );
    }
  }
}

/**
 * Gluon's `ParameterDict.load_dict`: file keys (minus 'arg:'/'aux:') are prefixed with
 * `restorePrefix` and matched to full parameter names.
 */
export function loadIntoDict(dict: ParameterDict, loaded: Record<string, NDArray>, fileName: string, restorePrefix: string, options: LoadParametersOptions = {}): void {
  const byName = new Map<string, NDArray>();
  for (const [key, array] of Object.entries(loaded)) byName.set(restorePrefix + key.replace(/^(arg|aux):/, ''), array);
  const strip = (name: string) => name.slice(restorePrefix.length);
  if (!options.allowMissing) {
    for (const name of dict.keys()) {
      if (!byName.has(name)) {
        throw new GluonError(
          `Parameter '${strip(name)}' is missing in file '${fileName}', which contains parameters: ${briefList([...byName.keys()].map(strip))}. ` +
            `Please make sure source and target networks have the same prefix. For more info on naming, please see ${NAMING_URL}`,
        );
      }
    }
  }
  for (const [name, array] of byName) {
    const param = dict.lookup(name);
    if (param !== undefined) param.loadInit(array, fileName);
    else if (!options.ignoreExtra) {
      throw new GluonError(
        `Parameter '${strip(name)}' loaded from file '${fileName}' is not present in ParameterDict, choices are: ${briefList([...dict.keys()])}. ` +
          `Set ignoreExtra=true to ignore. Please make sure source and target networks have the same prefix. For more info on naming, please see ${NAMING_URL}`,
      );
    }
  }
}

/** Saves a ParameterDict keyed by full names minus `stripPrefix` (Gluon's `ParameterDict.save`). */
export function saveDict(dict: ParameterDict, path: string, stripPrefix = ''): void {
  const arrays: NDArrays = {};
  for (const [name, param] of dict) {
    if (!name.startsWith(stripPrefix)) {
      throw new GluonError(`Prefix '${stripPrefix}' is to be stripped before saving, but Parameter's name '${name}' does not start with '${stripPrefix}'`);
    }
    arrays[name.slice(stripPrefix.length)] = param.data();
  }
  save(path, arrays);
}

/** Gluon's `_brief_print_list`: quoted items, the first 3, '...' and the last 4 beyond 7. */
export function briefList(items: readonly string[]): string {
  const quote = (list: readonly string[]) => list.map((item) => `'${item}'`).join(', ');
  return items.length > 7 ? `${quote(items.slice(0, 3))}, ..., ${quote(items.slice(-4))}` : quote(items);
}
