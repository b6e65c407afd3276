/** Limits of tags and notes on runs, checked alike by the services and the run page. */

export const MAX_TAGS = 20;
export const MAX_TAG_LENGTH = 40;
export const MAX_NOTES_LENGTH = 10_000;

export interface RunNotes {
  readonly tags: readonly string[];
  readonly notes: string;
}

/** A clear message for tags or notes out of bounds, or null when they are fine. */
export function checkRunNotes({ tags, notes }: RunNotes): string | null {
  if (tags.length > MAX_TAGS) return `${tags.length} tags: a run takes at most ${MAX_TAGS}.`;
  for (const tag of tags) {
    if (tag.trim() === '') return 'A tag is empty: remove it or give it a name.';
    if (tag.length > MAX_TAG_LENGTH) return `The tag "${tag.slice(0, 20)}…" is ${tag.length} characters long: tags take at most ${MAX_TAG_LENGTH}.`;
    if (tag.includes(',')) return `The tag "${tag}" contains a comma: commas separate tags.`;
  }
  if (notes.length > MAX_NOTES_LENGTH) return `The notes are ${notes.length} characters long: at most ${MAX_NOTES_LENGTH}.`;
  return null;
}
