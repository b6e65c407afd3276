/**
 * NumPy's .npy format (versions 1-3) and .npz archives (a zip of .npy files,
 * stored or deflated, as `np.savez` / `np.savez_compressed` write them), for
 * importing and exporting datasets. Only C-order arrays of the dtypes
 * datasets use; anything else is refused with what was found.
 */
import { unzipSync, zipSync } from 'fflate';

export type NpyData = Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Uint32Array | Float32Array | Float64Array | BigInt64Array;

export interface NpyArray {
  readonly shape: readonly number[];
  /** NumPy dtype string, e.g. '|u1', '<f4'. */
  readonly dtype: string;
  readonly data: NpyData;
}

/** A file that is not a valid array for us: the message names the file and what is wrong. */
export class NpyFormatError extends Error {
  override readonly name = 'NpyFormatError';
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

const DTYPES: Record<string, { bytes: number; make: (buffer: ArrayBuffer, length: number) => NpyData }> = {
  u1: { bytes: 1, make: (b, n) => new Uint8Array(b, 0, n) },
  b1: { bytes: 1, make: (b, n) => new Uint8Array(b, 0, n) },
  i1: { bytes: 1, make: (b, n) => new Int8Array(b, 0, n) },
  i2: { bytes: 2, make: (b, n) => new Int16Array(b, 0, n) },
  u2: { bytes: 2, make: (b, n) => new Uint16Array(b, 0, n) },
  i4: { bytes: 4, make: (b, n) => new Int32Array(b, 0, n) },
  u4: { bytes: 4, make: (b, n) => new Uint32Array(b, 0, n) },
  i8: { bytes: 8, make: (b, n) => new BigInt64Array(b, 0, n) },
  f4: { bytes: 4, make: (b, n) => new Float32Array(b, 0, n) },
  f8: { bytes: 8, make: (b, n) => new Float64Array(b, 0, n) },
};

export function parseNpy(bytes: Uint8Array, name: string): NpyArray {
  if (bytes.length < 10 || MAGIC.some((m, i) => bytes[i] !== m)) throw new NpyFormatError(`${name} is not a .npy file (no \\x93NUMPY header).`);
  const major = bytes[6]!;
  if (major < 1 || major > 3) throw new NpyFormatError(`${name} is .npy version ${major}; versions 1 to 3 are supported.`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerLength = major === 1 ? view.getUint16(8, true) : view.getUint32(8, true);
  const headerStart = major === 1 ? 10 : 12;
  const header = new TextDecoder().decode(bytes.subarray(headerStart, headerStart + headerLength));
  const descr = /'descr'\s*:\s*'([^']+)'/.exec(header)?.[1];
  const fortran = /'fortran_order'\s*:\s*(True|False)/.exec(header)?.[1];
  const shapeText = /'shape'\s*:\s*\(([^)]*)\)/.exec(header)?.[1];
  if (descr === undefined || fortran === undefined || shapeText === undefined)
    throw new NpyFormatError(`${name} has a malformed .npy header: ${header.trim()}`);
  if (fortran === 'True') throw new NpyFormatError(`${name} is in Fortran order: save it in C order (np.ascontiguousarray).`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((n) => !Number.isSafeInteger(n) || n < 0)) {
    throw new NpyFormatError(`${name} declares shape (${shapeText.trim()}): every dimension must be a whole number from 0.`);
  }
  const order = descr[0]!;
  const kind = descr.slice(1);
  const dtype = DTYPES[kind];
  if (!dtype || (order === '>' && dtype.bytes > 1)) {
    throw new NpyFormatError(`${name} has dtype '${descr}': use little-endian uint8, int8/16/32/64, uint16/32, bool, float32 or float64.`);
  }
  const length = shape.reduce((a, b) => a * b, 1);
  const dataStart = headerStart + headerLength;
  const dataBytes = length * dtype.bytes;
  if (bytes.length - dataStart < dataBytes) {
    throw new NpyFormatError(
      `${name} is truncated: shape (${shape.join(', ')}) of '${descr}' needs ${dataBytes} bytes, the file holds ${bytes.length - dataStart}.`,
    );
  }
  // Copy into a fresh, aligned buffer (a Buffer's slice() is a view into a shared pool).
  const copy = new Uint8Array(dataBytes);
  copy.set(bytes.subarray(dataStart, dataStart + dataBytes));
  return { shape, dtype: descr, data: dtype.make(copy.buffer, length) };
}

const DESCR_OF: [new (...args: never[]) => NpyData, string][] = [
  [Uint8Array, '|u1'],
  [Int32Array, '<i4'],
  [Float32Array, '<f4'],
];

export function encodeNpy(data: Uint8Array | Int32Array | Float32Array, shape: readonly number[]): Uint8Array {
  const descr = DESCR_OF.find(([type]) => data instanceof type)![1];
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  // Version 1: magic(6) + version(2) + length(2) + header padded with spaces to 64 bytes, ending in \n.
  const total = Math.ceil((10 + header.length + 1) / 64) * 64;
  header = header.padEnd(total - 10 - 1, ' ') + '\n';
  const out = new Uint8Array(total + data.byteLength);
  out.set(MAGIC, 0);
  out[6] = 1;
  out[7] = 0;
  new DataView(out.buffer).setUint16(8, header.length, true);
  out.set(new TextEncoder().encode(header), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), total);
  return out;
}

/**
 * Every array of an .npz archive, by name without `.npy`. Only `.npy` entries
 * are inflated, each into exactly the size its zip entry declares (an entry
 * that inflates to more is cut there, and then fails the size its .npy shape
 * needs), and together at most `maxBytes`: a zip bomb is refused before any
 * of it is inflated.
 */
export function parseNpz(bytes: Uint8Array, name: string, maxBytes: number): Map<string, NpyArray> {
  let files: Record<string, Uint8Array>;
  let declared = 0;
  const wanted = (file: { name: string; originalSize: number }): boolean => {
    if (!file.name.endsWith('.npy')) return false;
    declared += file.originalSize;
    if (declared > maxBytes) {
      throw new NpyFormatError(
        `${name} declares more than ${maxBytes} bytes of arrays (at ${file.name}): larger than the import limit. Raise it with DDRL_IMPORT_MAX_BYTES if the data is real.`,
      );
    }
    return true;
  };
  try {
    files = unzipSync(bytes, { filter: wanted });
  } catch (error) {
    if (error instanceof NpyFormatError) throw error;
    throw new NpyFormatError(`${name} is not a readable .npz (zip) archive: ${(error as Error).message}.`);
  }
  const arrays = new Map<string, NpyArray>();
  for (const [file, content] of Object.entries(files)) {
    if (!file.endsWith('.npy')) continue;
    arrays.set(file.slice(0, -4), parseNpy(content, `${name}:${file}`));
  }
  return arrays;
}

export function encodeNpz(arrays: Record<string, { data: Uint8Array | Int32Array | Float32Array; shape: readonly number[] }>): Uint8Array {
  return zipSync(Object.fromEntries(Object.entries(arrays).map(([key, a]) => [`${key}.npy`, [encodeNpy(a.data, a.shape), { level: 0 }]])));
}
