import { describe, expect, it } from 'vitest';
import { sectionById, sections } from './sections.ts';

describe('the section registry', () => {
  it('gives every section its own id and its own Ctrl+digit key', () => {
    expect(new Set(sections.map((section) => section.id)).size).toBe(sections.length);
    expect(new Set(sections.map((section) => section.key)).size).toBe(sections.length);
    for (const section of sections) expect(section.key).toMatch(/^[1-9]$/);
  });

  it('falls back to the first section for an unknown id (a stale #hash)', () => {
    expect(sectionById('no-such-section')).toBe(sections[0]);
    expect(sectionById('about').label).toBe('About');
  });
});
