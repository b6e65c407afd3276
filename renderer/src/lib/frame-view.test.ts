import { describe, expect, it } from 'vitest';
import { viewFrame } from './frame-view.ts';

describe('the inspector frame view', () => {
  const frames = Uint8Array.from([0, 0, 0, /* sample at 3: */ 10, 20, 30, 50, 60, 70]);

  it('copies the sample, or one channel as grey', () => {
    expect(Array.from(viewFrame(frames, 3, 2, 'rgb', 'clamp'))).toEqual([10, 20, 30, 50, 60, 70]);
    expect(Array.from(viewFrame(frames, 3, 2, 'g', 'clamp'))).toEqual([20, 20, 20, 60, 60, 60]);
  });

  it('stretches the shown values to 0..255', () => {
    expect(Array.from(viewFrame(frames, 3, 2, 'r', 'stretch'))).toEqual([0, 0, 0, 255, 255, 255]);
    expect(Array.from(viewFrame(frames, 3, 2, 'rgb', 'stretch'))).toEqual([0, 43, 85, 170, 213, 255]);
  });
});
