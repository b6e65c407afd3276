/**
 * The runs list's first page, served inside the app's HTML by the headless host, so a
 * fresh page load shows rows without waiting for the WebSocket and a round trip.
 * It is a data block (`type="application/json"`), never executed, so the page's
 * script policy stays 'self' only.
 */
export const INITIAL_RUNS_ELEMENT_ID = 'ddrl-initial-runs';

/** The `runs.page` input whose answer the HTML carries: the list's default view, first page. */
export const INITIAL_RUNS_INPUT = { offset: 0, limit: 100, search: '', sort: 'id', descending: true } as const;

/**
 * The data block for `value`. `<` is written as its JSON escape, so no label or note
 * ("</script><script>…") can end the block and become markup.
 */
export function initialRunsBlock(value: unknown): string {
  return `<script type="application/json" id="${INITIAL_RUNS_ELEMENT_ID}">${JSON.stringify(value).replace(/</g, '\\u003c')}</script>`;
}
