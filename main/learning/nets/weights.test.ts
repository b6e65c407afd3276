import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../backend.ts';
import { createNetwork } from './create.ts';
import { countParams, initialValues } from './network.ts';
import { createTrainable, disposeTrainable, trainableFromWeights, weightsOf } from './trainable.ts';
import { decodeWeights, encodeWeights } from './weights.ts';

beforeAll(async () => {
  await initBackend(process.env.DDRL_BACKEND ?? 'wasm');
});

describe('networks', () => {
  it('have the reference sizes: IMPALA expert ~626k parameters, student 11,826', () => {
    expect(countParams(createNetwork({ kind: 'student' }))).toBe(11826);
    const impala = countParams(createNetwork({ kind: 'impala' }));
    expect(impala).toBeGreaterThan(620000);
    expect(impala).toBeLessThan(630000);
  });

  it('produce logits (and a value for IMPALA) of the right shapes for a channel-size variant', () => {
    const def = createNetwork({ kind: 'impala', channels: [8, 8, 8] });
    const net = createTrainable(def, 'orthogonal', 1);
    const out = def.forward(net.vars, tf.zeros([2, 64, 64, 3]) as tf.Tensor4D);
    expect(out.logits.shape).toEqual([2, 15]);
    expect(out.value?.shape).toEqual([2]);
    tf.dispose([out.logits, out.value!]);
    disposeTrainable(net);
  });

  it('initialise reproducibly from a seed; orthogonal columns are orthonormal times the gain', () => {
    const def = createNetwork({ kind: 'student' });
    expect(initialValues(def, 'pytorch', 7)[0]).toEqual(initialValues(def, 'pytorch', 7)[0]);
    expect(initialValues(def, 'pytorch', 7)[0]).not.toEqual(initialValues(def, 'pytorch', 8)[0]);
    const w = initialValues(def, 'orthogonal', 3)[2]!; // conv1.w: [3, 3, 12, 48] as 108 x 48
    const m = tf.tensor2d(w, [108, 48]);
    const gram = tf.matMul(tf.transpose(m), m).arraySync() as number[][];
    for (let i = 0; i < 48; i++) for (let j = 0; j < 48; j++) expect(gram[i]![j]!).toBeCloseTo(i === j ? 2 : 0, 4);
  });

  it('rejects an unknown kind or bad channels naming the valid values', () => {
    expect(() => createNetwork({ kind: 'resnet' as 'student' })).toThrow(/Unknown network 'resnet'. Valid: impala, student/);
    expect(() => createNetwork({ kind: 'student', channels: [12, 0] })).toThrow(/Channels \[12, 0\] are invalid/);
  });
});

describe('weights', () => {
  it('round-trip through bytes exactly', async () => {
    const def = createNetwork({ kind: 'impala' });
    const net = createTrainable(def, 'pytorch', 5);
    const bytes = await weightsOf(net);
    const loaded = trainableFromWeights(bytes, def);
    for (let i = 0; i < net.vars.length; i++) expect(loaded.vars[i]!.dataSync()).toEqual(net.vars[i]!.dataSync());
    disposeTrainable(net);
    disposeTrainable(loaded);
  });

  it('decode from a view into a larger buffer, such as a Node Buffer read from a file', () => {
    const def = createNetwork({ kind: 'student', channels: [8, 48, 12, 3] });
    const values = initialValues(def, 'pytorch', 2);
    const bytes = encodeWeights(def, values);
    const larger = new Uint8Array(bytes.length + 13);
    larger.set(bytes, 13);
    for (const view of [larger.subarray(13), Buffer.from(larger.buffer, 13, bytes.length)]) {
      expect(decodeWeights(view, def).values).toEqual(values);
    }
  });

  it('refuse weights of another shape, naming the tensor and both shapes', () => {
    const small = createNetwork({ kind: 'student', channels: [8, 48, 12, 3] });
    const bytes = encodeWeights(small, initialValues(small, 'pytorch', 1));
    expect(() => decodeWeights(bytes, createNetwork({ kind: 'student' }))).toThrow(
      "Weight 'conv0.w' has shape [3, 3, 3, 8], expected 'conv0.w' with shape [3, 3, 3, 12] (channels [12, 48, 12, 3]).",
    );
    expect(() => decodeWeights(bytes, createNetwork({ kind: 'impala' }))).toThrow(/Weights are for a 'student' network, expected 'impala'/);
    expect(() => encodeWeights(small, [new Float32Array(3)])).toThrow(/Got 1 weight tensors, the student network has 10/);
    expect(() => decodeWeights(bytes.subarray(0, bytes.length - 4))).toThrow(/truncated/);
    expect(() => decodeWeights(new Uint8Array(20))).toThrow(/not DDRL network weights/);
  });
});
