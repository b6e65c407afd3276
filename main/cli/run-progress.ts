/**
 * Progress of executing runs on the terminal: one bar per stage, redrawn in
 * place on a TTY; plain lines (stage start, every 10%, stage end) otherwise,
 * so logs and pipes stay readable.
 */
import { STAGES, type StageName, type StageStatus } from '@shared/config/stages.ts';
import { formatDuration } from '@shared/format/duration.ts';
import type { RunQueueListener } from '../pipeline/run-queue.ts';
import type { StageProgress } from '../pipeline/stage-context.ts';
import type { CliIo } from './command.ts';

const BAR_WIDTH = 24;

interface StageLine {
  done: number;
  total: number;
  message: string;
  status: StageStatus;
  seconds: number;
  started: number;
  /** Tenths of the stage already printed (plain mode). */
  printedTenth: number;
}

export class RunProgressDisplay implements RunQueueListener {
  private lines = new Map<StageName, StageLine>();
  private drawn = 0;
  private runId = 0;

  constructor(
    private readonly io: CliIo,
    private readonly write: (text: string) => void = (text) => process.stdout.write(text),
  ) {}

  onStart(runId: number): void {
    this.runId = runId;
    this.lines = new Map();
    this.drawn = 0;
    this.io.out(`Run ${runId}: executing (Ctrl-C cancels; \`ddrl resume ${runId}\` continues later).`);
  }

  onProgress(_runId: number, p: StageProgress): void {
    let line = this.lines.get(p.stage);
    if (!line) {
      line = { done: 0, total: 0, message: '', status: 'running', seconds: 0, started: performance.now(), printedTenth: -1 };
      this.lines.set(p.stage, line);
    }
    // A new total is a new phase of the stage (e.g. demonstrations, then imitation).
    if (p.total !== line.total) line.printedTenth = -1;
    Object.assign(line, { done: p.done, total: p.total, message: p.message ?? '' });
    if (this.io.isTty) this.redraw();
    else {
      const tenth = p.total > 0 ? Math.floor((10 * p.done) / p.total) : 0;
      if (tenth > line.printedTenth) {
        line.printedTenth = tenth;
        this.io.out(`run ${this.runId} ${p.stage}: ${formatCount(p.done)}/${formatCount(p.total)} ${p.message ?? ''}`.trimEnd());
      }
    }
  }

  onStageEnd(_runId: number, stage: StageName, status: StageStatus, seconds: number): void {
    const line = this.lines.get(stage) ?? { done: 1, total: 1, message: '', status, seconds, started: 0, printedTenth: 10 };
    Object.assign(line, { status, seconds });
    if (status === 'done' && line.total > 0) line.done = line.total;
    this.lines.set(stage, line);
    if (this.io.isTty) this.redraw();
    else this.io.out(`run ${this.runId} ${stage}: ${status} in ${formatDuration(seconds)}`);
  }

  private redraw(): void {
    const text = STAGES.filter((s) => this.lines.has(s)).map((s) => this.render(s, this.lines.get(s)!));
    // Move up over the previous drawing, then rewrite each line in full.
    const up = this.drawn > 0 ? `\x1b[${this.drawn}F` : '';
    this.write(up + text.map((t) => `\x1b[2K${t}\n`).join(''));
    this.drawn = text.length;
  }

  private render(stage: StageName, line: StageLine): string {
    const fraction = line.total > 0 ? Math.min(1, line.done / line.total) : 0;
    const filled = Math.round(fraction * BAR_WIDTH);
    const bar = '#'.repeat(filled) + '-'.repeat(BAR_WIDTH - filled);
    const elapsed = line.status === 'running' ? (performance.now() - line.started) / 1000 : line.seconds;
    const state = line.status === 'running' ? `${Math.round(fraction * 100)}%` : line.status;
    return `${stage.padEnd(9)} [${bar}] ${state.padStart(9)} ${elapsed.toFixed(0).padStart(5)} s  ${line.message}`.slice(0, process.stdout.columns || 120);
  }
}

function formatCount(n: number): string {
  return Number.isInteger(n) ? String(n) : n.toFixed(1);
}
