/**
 * Network weights to and from bytes (stored as a SQLite blob). Layout: the magic
 * "DDRLW001", a little-endian uint32 header length, a JSON header naming the network and
 * every tensor's name and shape, zero padding to a 4-byte boundary, then the float32
 * values in spec order.
 */
import { createNetwork, type NetworkOptions } from './create.ts';
import type { NetworkDef } from './network.ts';

const MAGIC = 'DDRLW001';

interface WeightsHeader {
  readonly network: { kind: NetworkDef['kind']; channels: number[]; actions: number };
  readonly tensors: { name: string; shape: number[] }[];
}

export interface DecodedWeights {
  readonly network: NetworkOptions;
  readonly values: Float32Array[];
}

export function encodeWeights(def: NetworkDef, values: readonly Float32Array[]): Uint8Array {
  checkValues(
    def,
    values.map((v, i) => ({ name: def.specs[i]?.name ?? `#${i}`, size: v.length })),
  );
  const header: WeightsHeader = {
    network: { kind: def.kind, channels: [...def.channels], actions: def.actions },
    tensors: def.specs.map((s) => ({ name: s.name, shape: [...s.shape] })),
  };
  const json = new TextEncoder().encode(JSON.stringify(header));
  const dataOffset = align4(MAGIC.length + 4 + json.length);
  const total = values.reduce((n, v) => n + v.length, 0);
  const bytes = new Uint8Array(dataOffset + total * 4);
  bytes.set(new TextEncoder().encode(MAGIC), 0);
  new DataView(bytes.buffer).setUint32(MAGIC.length, json.length, true);
  bytes.set(json, MAGIC.length + 4);
  const floats = new Float32Array(bytes.buffer, dataOffset, total);
  let offset = 0;
  for (const v of values) {
    floats.set(v, offset);
    offset += v.length;
  }
  return bytes;
}

/**
 * Reads weights; with `expected`, also checks they belong to that network (same kind,
 * channels and every tensor's shape) and fails naming the first mismatch.
 */
export function decodeWeights(bytes: Uint8Array, expected?: NetworkDef): DecodedWeights {
  if (bytes.length < MAGIC.length + 4 || new TextDecoder().decode(bytes.subarray(0, MAGIC.length)) !== MAGIC) {
    throw new Error(`These bytes are not DDRL network weights (no '${MAGIC}' header).`);
  }
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const jsonLength = view.getUint32(MAGIC.length, true);
  const header = JSON.parse(new TextDecoder().decode(bytes.subarray(MAGIC.length + 4, MAGIC.length + 4 + jsonLength))) as WeightsHeader;
  const def = createNetwork(header.network);
  if (expected) checkSameNetwork(expected, header);
  const dataOffset = align4(MAGIC.length + 4 + jsonLength);
  const sizes = header.tensors.map((t) => t.shape.reduce((a, b) => a * b, 1));
  const total = sizes.reduce((a, b) => a + b, 0);
  if (bytes.length - dataOffset !== total * 4) {
    throw new Error(`Weights are truncated or padded: ${bytes.length - dataOffset} data bytes for ${total} float32 values (${total * 4} bytes).`);
  }
  // Copy so the values stay 4-byte aligned and independent of the source buffer. Not through
  // `bytes.slice(...).buffer`: a Node Buffer's slice is a view, whose `.buffer` starts elsewhere.
  const floats = new Float32Array(total);
  new Uint8Array(floats.buffer).set(bytes.subarray(dataOffset));
  let offset = 0;
  const values = sizes.map((size) => floats.subarray(offset, (offset += size)));
  checkValues(
    def,
    header.tensors.map((t, i) => ({ name: t.name, size: sizes[i]! })),
  );
  return { network: header.network, values };
}

function checkSameNetwork(expected: NetworkDef, header: WeightsHeader): void {
  const got = header.network;
  if (got.kind !== expected.kind) throw new Error(`Weights are for a '${got.kind}' network, expected '${expected.kind}'.`);
  if (expected.specs.length !== header.tensors.length) {
    throw new Error(`Weights hold ${header.tensors.length} tensors, the ${expected.kind} network has ${expected.specs.length}.`);
  }
  expected.specs.forEach((spec, i) => {
    const t = header.tensors[i]!;
    if (t.name !== spec.name || t.shape.join(',') !== spec.shape.join(',')) {
      throw new Error(
        `Weight '${t.name}' has shape [${t.shape.join(', ')}], expected '${spec.name}' with shape [${spec.shape.join(', ')}] (channels [${expected.channels.join(', ')}]).`,
      );
    }
  });
}

function checkValues(def: NetworkDef, tensors: { name: string; size: number }[]): void {
  if (tensors.length !== def.specs.length) throw new Error(`Got ${tensors.length} weight tensors, the ${def.kind} network has ${def.specs.length}.`);
  def.specs.forEach((spec, i) => {
    const expectedSize = spec.shape.reduce((a, b) => a * b, 1);
    if (tensors[i]!.size !== expectedSize) {
      throw new Error(`Weight '${spec.name}' has ${tensors[i]!.size} values, expected ${expectedSize} (shape [${spec.shape.join(', ')}]).`);
    }
  });
}

function align4(n: number): number {
  return (n + 3) & ~3;
}
