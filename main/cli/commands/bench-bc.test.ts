import { describe, expect, it } from 'vitest';
import { runCaptured } from '../run-captured.ts';

describe('ddrl bench bc', () => {
  it('clones planner demonstrations and reports the agreement curve and summary as JSON', async () => {
    const args = [
      'bench',
      'bc',
      '--json',
      '--episodes',
      '1',
      '--held-out',
      '1',
      '--steps',
      '30',
      '--every',
      '10',
      '--horizon',
      '2',
      '--rollouts',
      '1',
      '--channels',
      '2,4,4',
    ];
    const { code, out } = await runCaptured(args);
    expect(code).toBe(0);
    const rows = out.map((line) => JSON.parse(line) as Record<string, unknown>);
    const demos = rows.find((r) => r['kind'] === 'demos')!;
    expect(demos).toMatchObject({ game: 'bigfish', episodes: 1, held_out_episodes: 1 });
    expect(demos['samples']).toBeGreaterThan(0);
    const curve = rows.filter((r) => r['kind'] === 'curve');
    expect(curve.map((r) => r['step'])).toEqual([10, 20, 30]);
    for (const point of curve) {
      expect(point['train_agreement']).toBeGreaterThanOrEqual(0);
      expect(point['train_agreement']).toBeLessThanOrEqual(1);
    }
    const summary = rows.find((r) => r['kind'] === 'summary')!;
    expect(summary).toMatchObject({ network: 'impala[2,4,4]', target: 0.9, train_agreement: curve.at(-1)!['train_agreement'] });
  }, 120_000);

  it('rejects bad options by name, with the valid range (exit 2)', async () => {
    for (const [args, message] of [
      [['--game', 'pong'], "--game 'pong' is not valid: use one of bigfish, starpilot, jumper."],
      [['--network', 'resnet'], "--network 'resnet' is not valid: use one of impala, student."],
      [['--channels', '8,x'], '--channels 8,x is not valid: expected comma-separated integers from 1 to 256'],
      [['--lr', '0'], '--lr 0 is not valid: expected a number from 0.000001 to 1.'],
    ] as const) {
      const result = await runCaptured(['bench', 'bc', ...args]);
      expect(result.code, args.join(' ')).toBe(2);
      expect(result.err.join('\n')).toContain(message);
    }
  });
});
