/** "Duplicate and edit": a run's config as the New experiment form's preset plus edited fields. */
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { PRESET_NAMES, presetConfig } from '@shared/config/presets.ts';
import { flattenConfig, formatValue, sameValue } from '@shared/config/config-diff.ts';

/**
 * The preset of the run's game closest to its config (fewest differing fields, so the
 * command stays short) and, per differing field, its value as the form's text. Applying
 * those edits to that preset gives the run's config back exactly.
 */
export function duplicateOf(config: Readonly<Record<string, unknown>>): { preset: string; edits: Record<string, string> } {
  const run = flattenConfig(config);
  let best: { preset: string; edits: Record<string, string> } | undefined;
  for (const preset of PRESET_NAMES) {
    const values = flattenConfig(parseExperimentConfig(presetConfig(preset)));
    if (values.get('game') !== run.get('game')) continue;
    const edits: Record<string, string> = {};
    for (const [key, value] of run) if (!sameValue(value, values.get(key))) edits[key] = formatValue(value);
    if (!best || Object.keys(edits).length < Object.keys(best.edits).length) best = { preset, edits };
  }
  if (!best) throw new Error(`No preset for game '${String(run.get('game'))}'.`);
  return best;
}
