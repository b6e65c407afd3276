/**
 * Bytes (frames: `Uint8Array` values anywhere in a reply) through the host's JSON
 * transports. Over the WebSocket, a message that holds bytes is one binary message:
 * a 4-byte little-endian length, that many bytes of UTF-8 JSON in which each
 * `Uint8Array` is `{"$bytes": [offset, length]}`, then the bytes themselves, back to
 * back (offsets count from the end of the JSON). The page reads them as views into
 * the message: no base64 on either side, a third fewer bytes on the wire. A message
 * without bytes stays a JSON text message. Over HTTP (scripts, curl), bytes are
 * `{"$base64": "..."}`; `reviveBytes` turns them back into `Uint8Array`s.
 */

type BytesReference = { readonly $bytes: readonly [number, number] };
type Base64Bytes = { readonly $base64: string };

const isRecord = (value: unknown): value is Record<string, unknown> => typeof value === 'object' && value !== null;

/** JSON text, or one binary message when `message` holds bytes. */
export function packMessage(message: unknown): string | Uint8Array {
  const attachments: Uint8Array[] = [];
  let offset = 0;
  const json = JSON.stringify(message, function (this: Record<string, unknown>, key, value: unknown) {
    // The holder's own value: JSON.stringify hands a Node Buffer over after its toJSON.
    const own = this[key];
    if (!(own instanceof Uint8Array)) return value;
    attachments.push(own);
    const reference: BytesReference = { $bytes: [offset, own.length] };
    offset += own.length;
    return reference;
  });
  if (attachments.length === 0) return json;
  const head = new TextEncoder().encode(json);
  const packed = new Uint8Array(4 + head.length + offset);
  new DataView(packed.buffer).setUint32(0, head.length, true);
  packed.set(head, 4);
  let at = 4 + head.length;
  for (const bytes of attachments) {
    packed.set(bytes, at);
    at += bytes.length;
  }
  return packed;
}

/** The message `packMessage` made binary, its bytes as views into `data`. */
export function unpackMessage(data: ArrayBuffer): unknown {
  if (data.byteLength < 4) throw new RangeError(`A binary message of ${data.byteLength} bytes is too short to hold its 4-byte header.`);
  const headLength = new DataView(data).getUint32(0, true);
  const base = 4 + headLength;
  if (base > data.byteLength) throw new RangeError(`A binary message's JSON part (${headLength} bytes) runs past its end (${data.byteLength} bytes).`);
  const json = new TextDecoder().decode(new Uint8Array(data, 4, headLength));
  return JSON.parse(json, (_key, value: unknown) => {
    if (!isRecord(value) || !Array.isArray(value.$bytes) || Object.keys(value).length !== 1) return value;
    const [offset, length] = (value as BytesReference).$bytes;
    if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || base + offset + length > data.byteLength)
      throw new RangeError(`A binary message refers to bytes [${offset}, +${length}) outside its ${data.byteLength - base} attached bytes.`);
    return new Uint8Array(data, base + offset, length);
  });
}

function toBase64(bytes: Uint8Array): string {
  let text = '';
  for (let i = 0; i < bytes.length; i += 0x8000) text += String.fromCharCode(...bytes.subarray(i, i + 0x8000));
  return btoa(text);
}

/** JSON text with every `Uint8Array` as `{"$base64": "..."}` (the HTTP endpoint's replies). */
export function stringifyWithBytes(value: unknown): string {
  return JSON.stringify(value, function (this: Record<string, unknown>, key, replaced: unknown) {
    const own = this[key];
    return own instanceof Uint8Array ? ({ $base64: toBase64(own) } satisfies Base64Bytes) : replaced;
  });
}

/** Parsed JSON from `stringifyWithBytes`, with its `{"$base64"}` values as `Uint8Array`s again. */
export function reviveBytes(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(reviveBytes);
  if (!isRecord(value)) return value;
  if (typeof value.$base64 === 'string' && Object.keys(value).length === 1) return Uint8Array.from(atob(value.$base64), (c) => c.charCodeAt(0));
  return Object.fromEntries(Object.entries(value).map(([key, inner]) => [key, reviveBytes(inner)]));
}
