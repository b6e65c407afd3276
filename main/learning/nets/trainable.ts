/** A network definition with its parameters held in tfjs variables (what optimizers update). */
import * as tf from '@tensorflow/tfjs-core';
import type { InitScheme } from './init.ts';
import { initialValues, type NetworkDef } from './network.ts';
import { decodeWeights, encodeWeights } from './weights.ts';
import { createNetwork } from './create.ts';

export interface TrainableNet {
  readonly def: NetworkDef;
  readonly vars: tf.Variable[];
}

export function createTrainable(def: NetworkDef, scheme: InitScheme, seed: number): TrainableNet {
  return fromValues(def, initialValues(def, scheme, seed));
}

function fromValues(def: NetworkDef, values: readonly Float32Array[]): TrainableNet {
  const vars = values.map((v, i) => {
    const initial = tf.tensor(v, def.specs[i]!.shape as number[]);
    const variable = tf.variable(initial, true);
    initial.dispose(); // the variable holds its own reference to the data
    return variable;
  });
  return { def, vars };
}

/** Loads weights; with `expected`, they must fit that network exactly (clear error otherwise). */
export function trainableFromWeights(bytes: Uint8Array, expected?: NetworkDef): TrainableNet {
  const decoded = decodeWeights(bytes, expected);
  return fromValues(expected ?? createNetwork(decoded.network), decoded.values);
}

export async function weightsOf(net: TrainableNet): Promise<Uint8Array> {
  const values = await Promise.all(net.vars.map(async (v) => (await v.data()) as Float32Array));
  return encodeWeights(net.def, values);
}

/**
 * Folds a policy temperature into the network: its logits become logits / temperature (the
 * policy head's weights and bias are divided by it), so whoever plays it, collects with it,
 * distils through it or replays it meets the same policy, sharper below 1.
 */
export function foldPolicyTemperature(net: TrainableNet, temperature: number): void {
  if (!(temperature > 0)) throw new Error(`A policy temperature must be above 0, got ${temperature}.`);
  net.def.specs.forEach((spec, i) => {
    if (spec.role !== 'policy') return;
    const variable = net.vars[i]!;
    tf.tidy(() => variable.assign(tf.div(variable, temperature)));
  });
}

export function disposeTrainable(net: TrainableNet): void {
  for (const v of net.vars) v.dispose();
}
