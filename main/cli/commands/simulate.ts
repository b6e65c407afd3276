import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { NUM_ACTIONS } from '@shared/procgen/engine/actions.ts';
import type { Mode, ProcgenGame } from '@shared/procgen/engine/game.ts';
import { createGame, GAME_NAMES, isGameName, type GameName } from '@shared/procgen/games/index.ts';
import { FrameRenderer, OBSERVATION_SIZE } from '@shared/procgen/render/frame-renderer.ts';
import { encodePng } from '@shared/procgen/render/png.ts';
import { UsageError, type CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';

const MAX_LEVEL_SEED = 2147483647;

const usage = [
  'Usage: ddrl simulate --game G --level-seed S (--actions A,A,... | --actions-file F) [options]',
  '',
  'Plays exactly that action sequence from that level and stops at the first done.',
  '',
  `  --game G          ${GAME_NAMES.join(' | ')}`,
  '  --mode M          easy | hard (default easy)',
  `  --level-seed S    level seed, an integer 0..${MAX_LEVEL_SEED}`,
  `  --actions LIST    comma-separated actions, integers 0..${NUM_ACTIONS - 1}`,
  '  --actions-file F  a file of actions separated by commas, spaces or newlines',
  '  --json            one JSON object per line: {t, action, reward, done} per step, then {return, length}',
  '  --frames DIR      write the frames as PNG: frame_00000.png is the start, frame_N the state after step N',
  `  --frame-size N    frame size in pixels for --frames, 16..2048 (default ${OBSERVATION_SIZE})`,
].join('\n');

/** One action token; `where` says where it came from for the error message. */
function parseAction(token: string, where: string): number {
  const action = Number(token);
  if (!/^\d+$/.test(token) || action >= NUM_ACTIONS) {
    throw new UsageError(`action '${token}' ${where} is not valid: actions are integers 0..${NUM_ACTIONS - 1}.`);
  }
  return action;
}

function readActions(values: { actions?: string; 'actions-file'?: string }): number[] {
  const inline = values.actions;
  const file = values['actions-file'];
  if ((inline === undefined) === (file === undefined)) {
    throw new UsageError('give exactly one of --actions A,A,... or --actions-file F.');
  }
  const actions: number[] = [];
  if (inline !== undefined) {
    inline.split(',').forEach((token, i) => actions.push(parseAction(token.trim(), `at position ${i + 1} of --actions`)));
  } else {
    let text: string;
    try {
      text = readFileSync(file!, 'utf8');
    } catch (error) {
      throw new UsageError(`cannot read --actions-file ${file}: ${(error as Error).message}`);
    }
    text.split('\n').forEach((line, i) => {
      for (const token of line.split(/[\s,]+/)) if (token !== '') actions.push(parseAction(token, `on line ${i + 1} of ${file}`));
    });
    if (actions.length === 0)
      throw new UsageError(`--actions-file ${file} holds no actions: write integers 0..${NUM_ACTIONS - 1} separated by commas, spaces or newlines.`);
  }
  return actions;
}

function parseGame(value: string | undefined): GameName {
  if (value === undefined) throw new UsageError(`--game is required: one of ${GAME_NAMES.join(', ')}.`);
  if (!isGameName(value)) throw new UsageError(`unknown game '${value}': valid games are ${GAME_NAMES.join(', ')}.`);
  return value;
}

function parseMode(value: string | undefined): Mode {
  if (value === undefined) return 'easy';
  if (value !== 'easy' && value !== 'hard') throw new UsageError(`unknown mode '${value}': valid modes are easy, hard.`);
  return value;
}

/** Writes the current state of `game` as `frame_<index>.png` in `dir`. */
class FrameWriter {
  private readonly renderer: FrameRenderer;
  private readonly frame: Uint8Array;

  constructor(
    game: GameName,
    mode: Mode,
    private readonly dir: string,
    private readonly size: number,
  ) {
    mkdirSync(dir, { recursive: true });
    this.renderer = new FrameRenderer(game, mode, size);
    this.frame = new Uint8Array(this.renderer.frameBytes);
  }

  write(game: ProcgenGame, index: number): void {
    this.renderer.render(game, this.frame);
    writeFileSync(join(this.dir, `frame_${String(index).padStart(5, '0')}.png`), encodePng(this.frame, this.size, this.size));
  }
}

/** Options whose value may be a negative number, which parseArgs would take for an option. */
const NUMERIC_OPTIONS = new Set(['--level-seed', '--frame-size', '--actions']);

/** Joins `--level-seed -1` into `--level-seed=-1` so the range check, not the parser, reports it. */
function joinNegativeValues(argv: string[]): string[] {
  const joined: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const next = argv[i + 1];
    if (NUMERIC_OPTIONS.has(argv[i]!) && next !== undefined && /^-\d/.test(next)) {
      joined.push(`${argv[i]}=${next}`);
      i++;
    } else {
      joined.push(argv[i]!);
    }
  }
  return joined;
}

export const simulateCommand: CliCommand = {
  path: ['simulate'],
  summary: 'Play an action sequence in a Procgen level and print rewards and dones',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(joinNegativeValues(argv), {
      game: { type: 'string' },
      mode: { type: 'string' },
      'level-seed': { type: 'string' },
      actions: { type: 'string' },
      'actions-file': { type: 'string' },
      json: { type: 'boolean' },
      frames: { type: 'string' },
      'frame-size': { type: 'string' },
    });
    const gameName = parseGame(values.game);
    const mode = parseMode(values.mode);
    if (values['level-seed'] === undefined) throw new UsageError(`--level-seed is required: an integer 0..${MAX_LEVEL_SEED}.`);
    const levelSeed = parseIntegerOption('level-seed', values['level-seed'], 0, 0, MAX_LEVEL_SEED);
    const actions = readActions(values);
    const frameSize = parseIntegerOption('frame-size', values['frame-size'], OBSERVATION_SIZE, 16, 2048);

    const game = createGame(gameName, mode);
    game.resetLevel(levelSeed);
    const frames = values.frames === undefined ? null : new FrameWriter(gameName, mode, values.frames, frameSize);
    frames?.write(game, 0);

    if (!values.json) io.out('t\taction\treward\tdone');
    let episodeReturn = 0;
    let length = 0;
    for (const action of actions) {
      game.step(action);
      episodeReturn += game.reward;
      const t = length++;
      frames?.write(game, length);
      if (values.json) io.out(JSON.stringify({ t, action, reward: game.reward, done: game.done }));
      else io.out(`${t}\t${action}\t${game.reward}\t${game.done}`);
      if (game.done) break;
    }
    if (values.json) {
      io.out(JSON.stringify({ return: episodeReturn, length }));
    } else {
      io.out(`return ${episodeReturn}, length ${length}${game.done ? '' : ` (not done: the action list ended first)`}`);
    }
    return 0;
  },
};
