/**
 * What every network provides: an ordered parameter list (specs), a pure forward function
 * over explicit parameter tensors, and seeded initialisation.
 */
import * as tf from '@tensorflow/tfjs-core';
import { Random } from '../random.ts';
import { orthogonal, pytorchUniform, type InitScheme, INIT_SCHEMES } from './init.ts';

export const NETWORK_KINDS = ['impala', 'student'] as const;
export type NetworkKind = (typeof NETWORK_KINDS)[number];

/** Which head a parameter feeds; orthogonal init picks its gain from it. */
export type ParamRole = 'hidden' | 'policy' | 'value';

export interface ParamSpec {
  readonly name: string;
  readonly shape: readonly number[];
  readonly kind: 'weight' | 'bias';
  /** Inputs per output unit (for PyTorch's init bounds). */
  readonly fanIn: number;
  readonly role: ParamRole;
}

export interface NetworkOutput {
  readonly logits: tf.Tensor2D;
  /** What the policy head reads (the penultimate layer): [N, features]. */
  readonly features: tf.Tensor2D;
  /** Present when the network has a value head (the IMPALA expert). */
  readonly value?: tf.Tensor1D;
}

export interface NetworkDef {
  readonly kind: NetworkKind;
  /** Conv channels per stage (the size parameter). */
  readonly channels: readonly number[];
  readonly actions: number;
  readonly specs: readonly ParamSpec[];
  /** obs: [N, 64, 64, 3] float32 pixels on the 0..255 scale. */
  forward(params: readonly tf.Tensor[], obs: tf.Tensor4D): NetworkOutput;
}

/** Specs of a 3x3 conv layer (HWIO filter and bias). */
export function convSpecs(name: string, cin: number, cout: number): ParamSpec[] {
  const fanIn = 9 * cin;
  return [
    { name: `${name}.w`, shape: [3, 3, cin, cout], kind: 'weight', fanIn, role: 'hidden' },
    { name: `${name}.b`, shape: [cout], kind: 'bias', fanIn, role: 'hidden' },
  ];
}

export function denseSpecs(name: string, inputs: number, outputs: number, role: ParamRole = 'hidden'): ParamSpec[] {
  return [
    { name: `${name}.w`, shape: [inputs, outputs], kind: 'weight', fanIn: inputs, role },
    { name: `${name}.b`, shape: [outputs], kind: 'bias', fanIn: inputs, role },
  ];
}

/** Reads parameters in spec order, so forward functions mirror the spec lists. */
export class ParamReader {
  private index = 0;
  constructor(private readonly params: readonly tf.Tensor[]) {}

  conv(): [tf.Tensor4D, tf.Tensor1D] {
    return [this.next() as tf.Tensor4D, this.next() as tf.Tensor1D];
  }

  dense(): [tf.Tensor2D, tf.Tensor1D] {
    return [this.next() as tf.Tensor2D, this.next() as tf.Tensor1D];
  }

  private next(): tf.Tensor {
    const p = this.params[this.index++];
    if (!p) throw new Error(`The network needs more than the ${this.params.length} parameter tensors given.`);
    return p;
  }
}

/** Orthogonal gains as in the usual PPO setup: sqrt(2) hidden, 0.01 policy, 1 value. */
const ORTHOGONAL_GAIN: Record<ParamRole, number> = { hidden: Math.SQRT2, policy: 0.01, value: 1 };

/** Fresh parameter values for a network, reproducible from the seed. */
export function initialValues(def: NetworkDef, scheme: InitScheme, seed: number): Float32Array[] {
  if (!INIT_SCHEMES.includes(scheme)) throw new Error(`Unknown initialisation '${String(scheme)}'. Valid: ${INIT_SCHEMES.join(', ')}.`);
  const random = new Random(seed);
  return def.specs.map((spec) => {
    const size = spec.shape.reduce((a, b) => a * b, 1);
    if (scheme === 'pytorch') return pytorchUniform(size, spec.fanIn, random);
    if (spec.kind === 'bias') return new Float32Array(size);
    const fanOut = spec.shape[spec.shape.length - 1]!;
    return orthogonal(size / fanOut, fanOut, ORTHOGONAL_GAIN[spec.role], random);
  });
}

export function initParams(def: NetworkDef, scheme: InitScheme, seed: number): tf.Tensor[] {
  return initialValues(def, scheme, seed).map((values, i) => tf.tensor(values, def.specs[i]!.shape as number[]));
}

export function countParams(def: NetworkDef): number {
  return def.specs.reduce((n, s) => n + s.shape.reduce((a, b) => a * b, 1), 0);
}
