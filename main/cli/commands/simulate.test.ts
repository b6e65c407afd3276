import { execFileSync } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CliIo } from '../command.ts';
import { runCli } from '../ddrl.ts';

const REPO = resolve(import.meta.dirname, '../../..');
const TRACES_DIR = process.env.DDRL_TRACES_DIR ?? resolve(REPO, '../shared/reference/procgen-traces');

let dir: string;
beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-simulate-'));
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function run(...argv: string[]) {
  const out: string[] = [];
  const err: string[] = [];
  const io: CliIo = { out: (line) => out.push(line), err: (line) => err.push(line), isTty: false };
  const code = await runCli(['simulate', ...argv], io);
  return { code, out, err: err.join('\n') };
}

/** The traces' pseudo-random action sequence (procgen-traces/README.md). */
function traceActions(seed: number, count: number): number[] {
  let x = seed;
  return Array.from({ length: count }, () => {
    x = (Math.imul(1103515245, x) + 12345) & 0x7fffffff;
    return (x >>> 16) % 15;
  });
}

describe('ddrl simulate', () => {
  it('prints one JSON line per step and then {return, length}, stopping at the first done', async () => {
    const actions = traceActions(7, 400);
    const { code, out } = await run('--game', 'bigfish', '--level-seed', '7', '--actions', actions.join(','), '--json');
    expect(code).toBe(0);
    const lines = out.map((line) => JSON.parse(line));
    const summary = lines.pop();
    expect(lines.length).toBeLessThan(actions.length);
    expect(lines.at(-1).done).toBe(true);
    expect(lines.slice(0, -1).every((l) => l.done === false)).toBe(true);
    lines.forEach((l, t) => expect(l).toEqual({ t, action: actions[t], reward: l.reward, done: l.done }));
    expect(summary).toEqual({ return: lines.reduce((s, l) => s + l.reward, 0), length: lines.length });
  });

  it.skipIf(!existsSync(join(TRACES_DIR, 'starpilot.jsonl')))('reproduces the real Procgen episodes of the traces', async () => {
    for (const game of ['bigfish', 'starpilot', 'jumper']) {
      const episodes = readFileSync(join(TRACES_DIR, `${game}.jsonl`), 'utf8')
        .trim()
        .split('\n')
        .slice(0, 7);
      for (const line of episodes) {
        const episode = JSON.parse(line) as { level_seed: number; steps: { action: number; reward: number; done: boolean }[]; return: number; length: number };
        const actions = episode.steps.map((s) => s.action);
        const { out } = await run('--game', game, '--level-seed', String(episode.level_seed), '--actions', actions.join(','), '--json');
        const summary = JSON.parse(out.at(-1)!);
        expect({ game, seed: episode.level_seed, ...summary }).toEqual({ game, seed: episode.level_seed, return: episode.return, length: episode.length });
        expect(out.slice(0, -1).map((l) => JSON.parse(l).reward)).toEqual(episode.steps.map((s) => s.reward));
      }
    }
  });

  it('prints a readable table without --json and says when the actions ran out first', async () => {
    const { code, out } = await run('--game', 'starpilot', '--mode', 'hard', '--level-seed', '5', '--actions', '4,4,9');
    expect(code).toBe(0);
    expect(out[0]).toBe('t\taction\treward\tdone');
    expect(out.slice(1, 4)).toEqual(['0\t4\t0\tfalse', '1\t4\t0\tfalse', '2\t9\t0\tfalse']);
    expect(out[4]).toBe('return 0, length 3 (not done: the action list ended first)');
  });

  it('gives the same output in another process and writes identical frames', async () => {
    const actions = traceActions(123, 300).join(' ');
    const file = join(dir, 'actions.txt');
    writeFileSync(file, actions.replace(/ /g, (_, i: number) => (i % 40 === 0 ? '\n' : ' ')) + '\n');
    const args = ['--game', 'jumper', '--level-seed', '123', '--actions-file', file, '--json'];
    const here = await run(...args, '--frames', join(dir, 'a'));
    const child = execFileSync(process.execPath, [join(REPO, 'bin/ddrl.js'), 'simulate', ...args, '--frames', join(dir, 'b')], { encoding: 'utf8' });
    expect(child.trim().split('\n')).toEqual(here.out);
    const frames = readdirSync(join(dir, 'a')).sort();
    expect(frames.length).toBe(JSON.parse(here.out.at(-1)!).length + 1);
    expect(frames[0]).toBe('frame_00000.png');
    expect(readdirSync(join(dir, 'b')).sort()).toEqual(frames);
    for (const name of frames) {
      const a = readFileSync(join(dir, 'a', name));
      expect(a.subarray(1, 4).toString()).toBe('PNG');
      expect(a.equals(readFileSync(join(dir, 'b', name))), name).toBe(true);
    }
  }, 60_000);

  it.each([
    [['--game', 'pong', '--level-seed', '1', '--actions', '1'], "unknown game 'pong': valid games are bigfish, starpilot, jumper."],
    [['--game', 'bigfish', '--mode', 'extreme', '--level-seed', '1', '--actions', '1'], "unknown mode 'extreme': valid modes are easy, hard."],
    [['--game', 'bigfish', '--level-seed', '-3', '--actions', '1'], '--level-seed -3 is not valid: expected an integer from 0 to 2147483647.'],
    [['--game', 'bigfish', '--level-seed', '2.5', '--actions', '1'], '--level-seed 2.5 is not valid: expected an integer from 0 to 2147483647.'],
    [['--game', 'bigfish', '--actions', '1'], '--level-seed is required: an integer 0..2147483647.'],
    [['--game', 'bigfish', '--level-seed', '1', '--actions', '1,15'], "action '15' at position 2 of --actions is not valid: actions are integers 0..14."],
    [['--game', 'bigfish', '--level-seed', '1', '--actions', '1,,2'], "action '' at position 2 of --actions is not valid: actions are integers 0..14."],
    [['--game', 'bigfish', '--level-seed', '1'], 'give exactly one of --actions A,A,... or --actions-file F.'],
  ])('refuses %j with exit 2, naming the bad value and the valid range', async (argv, message) => {
    const { code, err } = await run(...argv);
    expect(code).toBe(2);
    expect(err).toContain(`ddrl simulate: ${message}`);
    expect(err).toContain('Usage: ddrl simulate');
  });

  it('refuses a malformed or empty actions file, naming the line and the bad token', async () => {
    const bad = join(dir, 'bad.txt');
    writeFileSync(bad, '1, 2, 3\n4 five 6\n');
    const malformed = await run('--game', 'jumper', '--level-seed', '1', '--actions-file', bad);
    expect(malformed.code).toBe(2);
    expect(malformed.err).toContain(`action 'five' on line 2 of ${bad} is not valid: actions are integers 0..14.`);
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '\n  \n');
    const none = await run('--game', 'jumper', '--level-seed', '1', '--actions-file', empty);
    expect(none.code).toBe(2);
    expect(none.err).toContain(`--actions-file ${empty} holds no actions`);
  });
});
