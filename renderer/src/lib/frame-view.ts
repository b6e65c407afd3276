/** How the inspector draws one 64x64 sample: all channels or one (as grey), clamped or stretched to its own range. */
export type Channel = 'rgb' | 'r' | 'g' | 'b';
export type Mapping = 'clamp' | 'stretch';

/**
 * The sample at `offset` of `frames` (RGB bytes) as a new RGB frame: one channel is shown
 * as grey; `stretch` maps the shown values' own min..max to 0..255, so small differences
 * (a distilled sample's faint changes) become visible.
 */
export function viewFrame(frames: Uint8Array, offset: number, pixels: number, channel: Channel, mapping: Mapping): Uint8Array {
  const out = new Uint8Array(pixels * 3);
  const pick = channel === 'r' ? 0 : channel === 'g' ? 1 : channel === 'b' ? 2 : -1;
  let low = 255;
  let high = 0;
  for (let p = 0; p < pixels; p++) {
    for (let c = 0; c < 3; c++) {
      const v = frames[offset + p * 3 + (pick < 0 ? c : pick)]!;
      out[p * 3 + c] = v;
      low = Math.min(low, v);
      high = Math.max(high, v);
    }
  }
  if (mapping === 'stretch' && high > low) for (let i = 0; i < out.length; i++) out[i] = Math.round(((out[i]! - low) * 255) / (high - low));
  return out;
}
