import { INITIAL_RUNS_ELEMENT_ID, INITIAL_RUNS_INPUT } from '@shared/api/initial-runs.ts';
import type { RunsPage } from '@shared/api/inspect.ts';

const FRESH_MS = 3_000;

/**
 * The first page of the runs list that the headless host put into the HTML, taken once:
 * the list's first read uses it instead of a round trip (later reads ask the services).
 * None under Electron, which loads the page from disk.
 */
export function takeInitialRunsPage(input: Record<string, unknown>): RunsPage | null {
  const element = document.getElementById(INITIAL_RUNS_ELEMENT_ID);
  if (!element) return null;
  element.remove();
  // Fresh only at load: a list first opened later (after a run page) asks the services.
  if (performance.now() > FRESH_MS) return null;
  const matches = Object.entries(INITIAL_RUNS_INPUT).every(([key, value]) => input[key] === value) && input['status'] === undefined;
  if (!matches) return null;
  try {
    return JSON.parse(element.textContent ?? '') as RunsPage;
  } catch {
    return null;
  }
}
