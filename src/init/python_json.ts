/**
 * JSON text exactly as Python's `json.dumps` writes it with default options, so `dumps()` gives
 * the same string as Gluon: `", "` and `": "` separators, floats as Python's `repr`
 * (`1e-05`, not `0.00001`), `NaN`/`Infinity` literals and ASCII-only strings.
 */

/** A JSON-serializable value (Python's json module also writes NaN and ±Infinity). */
export type JsonValue = null | boolean | number | string | readonly JsonValue[] | { readonly [key: string]: JsonValue };

/**
 * Serializes `value` as Python's `json.dumps(value)` would.
 *
 * @example
 * pythonJson(['normal', { sigma: 0.00001 }]); // '["normal", {"sigma": 1e-05}]'
 */
export function pythonJson(value: JsonValue): string {
  if (value === null) return 'null';
  if (typeof value === 'boolean') return value ? 'true' : 'false';
  if (typeof value === 'number') return pythonNumber(value);
  if (typeof value === 'string') return pythonString(value);
  if (isJsonArray(value)) return `[${value.map(pythonJson).join(', ')}]`;
  const entries = Object.entries(value).map(([key, item]) => `${pythonString(key)}: ${pythonJson(item)}`);
  return `{${entries.join(', ')}}`;
}

function isJsonArray(value: JsonValue): value is readonly JsonValue[] {
  return Array.isArray(value);
}

/**
 * Integer values print as Python ints (`3`); others as Python's float repr, which shares
 * JavaScript's shortest round-trip digits but switches to exponent form below 1e-4 and pads the
 * exponent to two digits (`1e-05`, `2.5e-07`).
 */
export function pythonNumber(value: number): string {
  if (Number.isNaN(value)) return 'NaN';
  if (!Number.isFinite(value)) return value > 0 ? 'Infinity' : '-Infinity';
  if (Number.isInteger(value)) return BigInt(value).toString();
  const [mantissa, exponentText] = value.toExponential().split('e');
  const exponent = Number(exponentText);
  if (exponent >= -4) return String(value);
  return `${mantissa}e-${String(-exponent).padStart(2, '0')}`;
}

/** A double-quoted string with every character outside printable ASCII escaped, as Python. */
function pythonString(text: string): string {
  return JSON.stringify(text).replace(/[\u007f-\uffff]/g, (char) => `\\u${char.charCodeAt(0).toString(16).padStart(4, '0')}`);
}
