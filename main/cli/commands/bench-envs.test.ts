import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command.ts';
import { runCli } from '../ddrl.ts';

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), isTty: false };
  const code = await runCli(['bench', 'envs', ...argv], io);
  return { code, out, err: err.join('\n') };
}

describe('ddrl bench envs', () => {
  it('prints one JSON object per game and core count with measured steps/s and the Procgen figure', async () => {
    const { code, out } = await run('--json', '--steps', '4000', '--envs', '4', '--threads', '2', '--game', 'starpilot');
    expect(code).toBe(0);
    const rows = out.map((line) => JSON.parse(line));
    expect(rows.map((r) => [r.game, r.cores])).toEqual([
      ['starpilot', 1],
      ['starpilot', 2],
    ]);
    for (const row of rows) {
      expect(row.steps_per_s).toBeGreaterThan(1000);
      expect(row.procgen_steps_per_s).toBe(89_200);
    }
    expect(rows[1].target_steps_per_s).toBe(Math.round(89_200 * 1.8));
    expect(typeof rows[0].heap_growth_bytes).toBe('number');
  });

  it('prints a table with every game by default', async () => {
    const { code, out } = await run('--steps', '2000', '--envs', '2', '--threads', '2');
    expect(code).toBe(0);
    const table = out.join('\n');
    expect(table).toMatch(/1 core steps\/s/);
    for (const game of ['bigfish', 'starpilot', 'jumper']) expect(table).toMatch(new RegExp(`^${game}\\s+[\\d,]+\\s+[\\d,]+\\s+[\\d.]+x`, 'm'));
  });

  it('rejects bad options, naming the value and the valid range', async () => {
    const badGame = await run('--game', 'pong');
    expect(badGame.code).toBe(2);
    expect(badGame.err).toMatch(/unknown game 'pong': valid games are bigfish, starpilot, jumper/);
    const badSteps = await run('--steps', '10');
    expect(badSteps.code).toBe(2);
    expect(badSteps.err).toMatch(/--steps 10 is not valid: expected an integer from 1000 to 100000000/);
    const badMode = await run('--mode', 'extreme');
    expect(badMode.err).toMatch(/unknown mode 'extreme': valid modes are easy, hard/);
    expect((await run('--envs', '0')).err).toMatch(/--envs 0 is not valid: expected an integer from 1 to 4096/);
  });
});
