import { describe, expect, it } from 'vitest';
import { packMessage, reviveBytes, stringifyWithBytes, unpackMessage } from './wire-message.ts';

const frames = Uint8Array.from({ length: 300 }, (_, i) => (i * 37) & 0xff);
const reply = { type: 'result', id: 4, output: { iteration: 5, frames: { encoding: 'raw', bytes: frames }, nearest: [{ bytes: Buffer.from([9, 8, 7]) }] } };

describe('bytes in host messages', () => {
  it('stay JSON text when a message holds none', () => {
    const message = { type: 'result', id: 1, output: { labels: [1, 2] } };
    expect(packMessage(message)).toBe(JSON.stringify(message));
  });

  it('travel as one binary message whose bytes come back as views, byte for byte (Node Buffers included)', () => {
    const packed = packMessage(reply);
    if (typeof packed === 'string') throw new Error('expected a binary message');
    // The JSON part plus the 303 attached bytes, no base64.
    expect(packed.length).toBeLessThan(4 + 200 + 303);
    const copy = new Uint8Array(packed).buffer;
    const back = unpackMessage(copy) as typeof reply;
    expect(back.output.iteration).toBe(5);
    expect(back.output.frames.bytes).toBeInstanceOf(Uint8Array);
    expect([...back.output.frames.bytes]).toEqual([...frames]);
    expect([...back.output.nearest[0]!.bytes]).toEqual([9, 8, 7]);
    expect(back.output.frames.bytes.buffer).toBe(copy);
  });

  it('refuse a damaged binary message with a reason', () => {
    const packed = packMessage(reply) as Uint8Array;
    expect(() => unpackMessage(packed.slice(0, 3).buffer)).toThrow('too short to hold its 4-byte header');
    expect(() => unpackMessage(packed.slice(0, packed.length - 1).buffer)).toThrow(/refers to bytes \[\d+, \+3\) outside its 302 attached bytes/);
    const wrongLength = packed.slice();
    new DataView(wrongLength.buffer).setUint32(0, 1e6, true);
    expect(() => unpackMessage(wrongLength.buffer)).toThrow('runs past its end');
  });

  it('are base64 in HTTP replies and revive to the same bytes', () => {
    const text = stringifyWithBytes(reply);
    expect(JSON.parse(text).output.nearest[0].bytes).toEqual({ $base64: 'CQgH' });
    const back = reviveBytes(JSON.parse(text)) as typeof reply;
    expect(back.output.frames.bytes).toEqual(frames);
    expect(back).toEqual({ ...reply, output: { ...reply.output, nearest: [{ bytes: new Uint8Array([9, 8, 7]) }] } });
  });
});
