import { Parameter } from '../../src/nn/parameter';
import { ParameterDict } from '../../src/nn/parameter_dict';

describe('ParameterDict', () => {
  it('creates prefixed parameters and returns the same one again', () => {
    const params = new ParameterDict('dense0_');
    const w = params.get('weight', { shape: [10, 0] });
    expect(w.name).toBe('dense0_weight');
    expect(params.get('weight')).toBe(w);
    expect(params.lookup('dense0_weight')).toBe(w);
    expect(params.has('dense0_weight')).toBe(true);
    expect([...params.keys()]).toEqual(['dense0_weight']);
    expect(params.size).toBe(1);
  });

  it('merges unknown dims and rejects conflicting attributes', () => {
    const params = new ParameterDict('p_');
    const w = params.get('w', { shape: [10, 0] });
    params.get('w', { shape: [0, 5] });
    expect(w.shape).toEqual([10, 5]);
    expect(() => params.get('w', { shape: [3, 5] })).toThrow(
      "Cannot retrieve Parameter 'p_w' because desired attribute does not match with stored for attribute 'shape': desired '(3, 5)' vs stored '(10, 5)'.",
    );
    expect(() => params.get('w', { gradReq: 'null' })).toThrow(
      "Cannot retrieve Parameter 'p_w' because desired attribute does not match with stored for attribute 'gradReq': desired 'null' vs stored 'write'.",
    );
  });

  it('finds and adopts parameters of the shared dict', () => {
    const owner = new ParameterDict('net_');
    const w = owner.get('w', { shape: [2] });
    const sharing = new ParameterDict('net_', owner);
    expect(sharing.get('w')).toBe(w);
    expect(sharing.lookup('net_w')).toBe(w);
  });

  it('refuses to update with a different parameter of the same name', () => {
    const params = new ParameterDict();
    params.update([['a', new Parameter('a')]]);
    expect(() => params.update([['a', new Parameter('a')]])).toThrow(
      "Cannot update self with other because they have different Parameters with the same name 'a'",
    );
  });

  it('initializes with the default only where a parameter has no initializer of its own', () => {
    const params = new ParameterDict('p_');
    params.get('own', { shape: [2], init: 'ones' });
    params.get('plain', { shape: [2] });
    params.initialize('zeros');
    expect(Array.from(params.get('own').data().toFloat32Array())).toEqual([1, 1]);
    expect(Array.from(params.get('plain').data().toFloat32Array())).toEqual([0, 0]);
  });

  it('sets an attribute on every parameter', () => {
    const params = new ParameterDict('p_');
    params.get('a', { shape: [1] });
    params.get('b', { shape: [1] });
    params.setAttr('gradReq', 'null');
    params.setAttr('lrMult', 0.5);
    expect([...params.values()].map((p) => [p.gradReq, p.lrMult])).toEqual([['null', 0.5], ['null', 0.5]]);
  });

  it("prints as Gluon's repr", () => {
    const params = new ParameterDict('instancenorm0_');
    params.get('gamma', { shape: [0] });
    params.get('beta', { shape: [0] });
    expect(params.toString()).toBe(
      'instancenorm0_ (\n  Parameter instancenorm0_gamma (shape=(0,), dtype=float32)\n  Parameter instancenorm0_beta (shape=(0,), dtype=float32)\n)',
    );
    expect(new ParameterDict().toString()).toBe('(\n)');
  });
});
