import { describe, expect, it } from 'vitest';
import { checkpointNote } from './show.ts';

describe('ddrl show', () => {
  it("names a checkpoint's long values by their size instead of printing them (an expert's weights are megabytes)", () => {
    const weights = 'A'.repeat(100_000);
    expect(checkpointNote(JSON.stringify({ roundsDone: 2, datasetIds: [1, 2], weights }))).toBe(
      '{"roundsDone":2,"datasetIds":[1,2],"weights":"<100000 characters>"}',
    );
    expect(checkpointNote('{"iteration":350}')).toBe('{"iteration":350}');
    expect(checkpointNote(`not json ${'x'.repeat(200)}`)).toBe(`not json ${'x'.repeat(55)}... (209 characters)`);
  });
});
