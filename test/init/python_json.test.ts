import { pythonJson, pythonNumber } from '../../src/init/python_json';

// Expected strings printed by Python 3 (`json.dumps(v)`), which Gluon's dumps() uses.
describe('pythonJson', () => {
  it.each([
    [0.0001, '0.0001'],
    [0.00012345, '0.00012345'],
    [1e-5, '1e-05'],
    [1.5e-7, '1.5e-07'],
    [-2.5e-10, '-2.5e-10'],
    [1e-300, '1e-300'],
    [5e-324, '5e-324'],
    [123.456, '123.456'],
    [0.1 + 0.2, '0.30000000000000004'],
    [1 / 3, '0.3333333333333333'],
    [3, '3'],
    [-7, '-7'],
    [1e21, '1000000000000000000000'],
    [NaN, 'NaN'],
    [Infinity, 'Infinity'],
    [-Infinity, '-Infinity'],
  ])('writes the number %p as %s', (value, expected) => {
    expect(pythonNumber(value)).toBe(expected);
  });

  it('writes containers with Python separators and ASCII-escaped strings', () => {
    const value = { k: 'caf\u00e9 "q" \\ \n \u007f \u{1F600}', a: [1, [], {}], b: null, c: true };
    expect(pythonJson(value)).toBe('{"k": "caf\\u00e9 \\"q\\" \\\\ \\n \\u007f \\ud83d\\ude00", "a": [1, [], {}], "b": null, "c": true}');
    expect(pythonJson(['normal', { sigma: 0.01 }])).toBe('["normal", {"sigma": 0.01}]');
  });
});
