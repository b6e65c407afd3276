import { describe, expect, it } from 'vitest';
import { runCaptured } from '../run-captured.ts';

describe('ddrl bench ppo', () => {
  it('trains, then evaluates the trained, untrained and random policies on the same levels (JSON)', async () => {
    const args = [
      'bench',
      'ppo',
      '--json',
      '--steps',
      '256',
      '--envs',
      '4',
      '--rollout',
      '32',
      '--minibatches',
      '2',
      '--epochs',
      '1',
      '--channels',
      '2,4,4',
      '--episodes',
      '4',
    ];
    const { code, out } = await runCaptured(args);
    expect(code).toBe(0);
    const rows = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    expect(rows.filter((r) => r['kind'] === 'curve').map((r) => r['env_steps'])).toEqual([128, 256]);
    const evals = rows.filter((r) => r['kind'] === 'eval');
    expect(evals.map((r) => r['policy'])).toEqual(['trained', 'untrained', 'random']);
    for (const e of evals) expect(e['episodes']).toBe(4);
    const summary = rows.find((r) => r['kind'] === 'summary')!;
    expect(summary).toMatchObject({ game: 'starpilot', env_steps: 256 });
    expect(summary['trained_mean']).toBe(evals[0]!['mean_return']);
    expect(summary['clearly_better']).toBe(false); // 256 steps teach nothing
  }, 120_000);

  it('rejects a budget smaller than one update, and other bad options, by name (exit 2)', async () => {
    for (const [args, message] of [
      [['--steps', '100'], '--steps 100 is less than one update (32 envs x 64 steps = 2048): give at least 2048.'],
      [['--minibatches', '5000'], '--minibatches 5000 is not valid'],
      [['--gamma', '2'], '--gamma 2 is not valid: expected a number from 0 to 1.'],
      [['--backend', 'tpu'], "--backend 'tpu' is not valid: use one of webgpu, node-gpu, node, wasm, cpu."],
    ] as const) {
      const result = await runCaptured(['bench', 'ppo', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n')).toContain(message);
    }
  });
});
