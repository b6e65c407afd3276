/**
 * `ddrl bench host`: a real `ddrl serve` process on a scratch database (a
 * rendered dataset and a synthetic set), loopback only, fired at for a fixed
 * time by WebSocket clients keeping `--concurrency` frame-heavy calls in
 * flight, while one more client measures how long `about.get` takes.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { WebSocket } from 'ws';
import { FRAME_BYTES } from '@shared/api/frames.ts';
import type { ServerMessage } from '@shared/api/protocol.ts';
import { unpackMessage } from '@shared/api/wire-message.ts';
import { parseExperimentConfig } from '@shared/config/experiment.ts';
import { ProcgenEnv } from '@shared/procgen/env.ts';
import { FrameRenderer } from '@shared/procgen/render/frame-renderer.ts';
import { defaultClientLimits } from '../../host/websocket-session.ts';
import { openDatabase } from '../../storage/database.ts';
import { saveDataset } from '../../storage/datasets.ts';
import { thisProcess } from '../../storage/run-owner.ts';
import { createExperiment, setRunStatus } from '../../storage/runs.ts';
import { saveSyntheticSnapshot } from '../../storage/synthetic.ts';
import type { CliCommand } from '../command.ts';
import { parseIntegerOption, parseOptions } from '../parse-options.ts';

const DDRL = fileURLToPath(new URL('../../../bin/ddrl.js', import.meta.url));
const EPISODES = 6;
const EPISODE_STEPS = 400;
/** After the firing time, calls still unanswered get this long before the clients hang up. */
const DRAIN_MS = 5000;
const SYNTHETIC_SAMPLES = 150;
/** The issue's targets for the light call and the host's memory. */
const TARGET_P99_MS = 200;
const TARGET_PEAK_MB = 1536;

const usage = [
  'Usage: ddrl bench host [--seconds N] [--concurrency N] [--json]',
  '',
  'Starts `ddrl serve` on 127.0.0.1 with a scratch database, keeps N frame-heavy calls in flight',
  '(dataset.samples, synthetic.get, episodes.get with frames) over WebSockets for the given time,',
  'and meanwhile measures about.get. Prints its latency (p50, p99), the heavy calls answered, the',
  "errors, and the host's peak memory; the scratch database is deleted afterwards.",
  '',
  '  --seconds N      how long to fire, 1..600 (default 20)',
  '  --concurrency N  heavy calls in flight, 1..2000 (default 200)',
  '  --json           one JSON object',
].join('\n');

/** A dataset of rendered bigfish episodes and a run with a synthetic set, as the heavy calls read them. */
function scratchDatabase(path: string): { datasetId: number; runId: number } {
  const db = openDatabase({ path });
  try {
    const renderer = new FrameRenderer('bigfish', 'easy');
    const episodes = Array.from({ length: EPISODES }, (_, e) => {
      const env = new ProcgenEnv({ game: 'bigfish', mode: 'easy', startLevel: e, numLevels: 1 });
      const observations = new Uint8Array(EPISODE_STEPS * FRAME_BYTES);
      const actions = new Uint8Array(EPISODE_STEPS);
      for (let t = 0; t < EPISODE_STEPS; t++) {
        observations.set(renderer.renderToArray(env.game), t * FRAME_BYTES);
        actions[t] = (t * 7 + e) % 15;
        env.step(actions[t]!);
      }
      return { levelSeed: e, actions, rewards: new Float32Array(EPISODE_STEPS), observations };
    });
    const datasetId = saveDataset(db.connection, { runId: null, name: 'bench', game: 'bigfish', mode: 'easy', source: 'imported' }, episodes);
    const { runIds } = createExperiment(
      db.connection,
      { name: 'bench', preset: null },
      [{ label: 'bench', config: parseExperimentConfig({ game: 'bigfish' }) }],
      thisProcess,
    );
    const runId = runIds[0]!;
    setRunStatus(db.connection, runId, 'done');
    const labels = Uint8Array.from({ length: SYNTHETIC_SAMPLES }, (_, i) => i % 15);
    const pixels = Float32Array.from(episodes[0]!.observations.subarray(0, SYNTHETIC_SAMPLES * FRAME_BYTES));
    saveSyntheticSnapshot(db.connection, runId, 0, 1, labels, pixels, true);
    return { datasetId, runId };
  } finally {
    db.close();
  }
}

type Outcome = 'ok' | 'error' | 'unanswered';

/** A WebSocket client that sends calls and resolves each with its outcome ('unanswered' when the socket closed first). */
async function connectClient(url: string): Promise<{ call(name: string, input: unknown): Promise<Outcome>; close(): void }> {
  const socket = new WebSocket(url);
  const pending = new Map<number, (outcome: Outcome) => void>();
  let nextId = 1;
  socket.on('message', (data, isBinary) => {
    // Replies with frames are binary messages (shared/api/wire-message.ts).
    const buffer = data as Buffer;
    const message = (
      isBinary ? unpackMessage(buffer.buffer.slice(buffer.byteOffset, buffer.byteOffset + buffer.length) as ArrayBuffer) : JSON.parse(String(data))
    ) as ServerMessage;
    if (message.type === 'event' || message.id === null) return;
    pending.get(message.id)?.(message.type === 'result' ? 'ok' : 'error');
    pending.delete(message.id);
  });
  socket.on('close', () => {
    for (const done of pending.values()) done('unanswered');
    pending.clear();
  });
  await new Promise<void>((resolve, reject) => {
    socket.once('open', () => resolve());
    socket.once('error', reject);
  });
  socket.on('error', () => {});
  return {
    call: (name, input) =>
      new Promise((resolve) => {
        if (socket.readyState !== socket.OPEN) return resolve('unanswered');
        const id = nextId++;
        pending.set(id, resolve);
        socket.send(JSON.stringify({ type: 'call', id, call: name, input }));
      }),
    close: () => socket.close(),
  };
}

/** Peak and current resident memory of a process, in MB (Linux /proc). */
function memoryOf(pid: number): { peakMb: number; nowMb: number } {
  const status = readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`${field}:\\s+(\\d+)`).exec(status)?.[1] ?? 0);
  return { peakMb: kb('VmHWM') / 1024, nowMb: kb('VmRSS') / 1024 };
}

const percentile = (sorted: readonly number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;

export const benchHostCommand: CliCommand = {
  path: ['bench', 'host'],
  summary: 'Fire concurrent heavy calls at a loopback host; print about.get latency, errors, peak memory',
  usage,
  async run(argv, io) {
    const { values } = parseOptions(argv, { seconds: { type: 'string' }, concurrency: { type: 'string' }, json: { type: 'boolean' } });
    const seconds = parseIntegerOption('seconds', values.seconds, 20, 1, 600);
    const concurrency = parseIntegerOption('concurrency', values.concurrency, 200, 1, 2000);
    const dir = mkdtempSync(join(tmpdir(), 'ddrl-bench-host-'));
    const dbPath = join(dir, 'bench.sqlite');
    const { datasetId, runId } = scratchDatabase(dbPath);
    const host = spawn(process.execPath, [DDRL, 'serve', '--port', '0', '--host', '127.0.0.1', '--db', dbPath], { stdio: ['ignore', 'pipe', 'pipe'] });
    let hostSaid = '';
    host.stdout.on('data', (chunk: Buffer) => (hostSaid += chunk.toString()));
    host.stderr.on('data', (chunk: Buffer) => (hostSaid += chunk.toString()));
    let hostExit: number | null | undefined;
    const exited = new Promise<void>((resolve) =>
      host.on('exit', (code) => {
        hostExit = code;
        resolve();
      }),
    );
    try {
      const started = Date.now();
      while (!/Open: \S+/.test(hostSaid)) {
        if (hostExit !== undefined || Date.now() - started > 60_000) throw new Error(`the host did not start: ${hostSaid}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      const page = new URL(/Open: (\S+)/.exec(hostSaid)![1]!);
      const url = `ws://${page.host}/api/ws?token=${page.searchParams.get('token')}`;

      // Each client keeps as many calls in flight as the host lets one client have.
      const perClient = defaultClientLimits.callsInFlight;
      const clients = await Promise.all(Array.from({ length: Math.ceil(concurrency / perClient) }, () => connectClient(url)));
      const light = await connectClient(url);
      const heavyCalls: [string, (i: number) => unknown][] = [
        ['dataset.samples', (i) => ({ datasetId, action: i % 15, count: 64 })],
        ['synthetic.get', () => ({ runId })],
        ['episodes.get', (i) => ({ source: 'dataset', datasetId, idx: i % EPISODES, withFrames: true })],
      ];
      const deadline = Date.now() + seconds * 1000;
      const outcomes: Record<Outcome, number> = { ok: 0, error: 0, unanswered: 0 };
      let peakSeen = 0;
      const sampler = setInterval(() => {
        if (hostExit === undefined) peakSeen = Math.max(peakSeen, memoryOf(host.pid!).peakMb);
      }, 250);
      const fire = async (client: (typeof clients)[number], lane: number) => {
        for (let i = lane; Date.now() < deadline; i += concurrency) {
          const [name, input] = heavyCalls[i % heavyCalls.length]!;
          outcomes[await client.call(name, input(i))]++;
        }
      };
      const lanes = Array.from({ length: concurrency }, (_, lane) => fire(clients[Math.floor(lane / perClient)]!, lane));
      const latencies: number[] = [];
      let lightFailed = 0;
      while (Date.now() < deadline) {
        const sent = performance.now();
        if ((await light.call('about.get', {})) === 'ok') latencies.push(performance.now() - sent);
        else lightFailed++;
        await new Promise((resolve) => setTimeout(resolve, 20));
      }
      await Promise.race([Promise.all(lanes), new Promise((resolve) => setTimeout(resolve, DRAIN_MS))]);
      clearInterval(sampler);
      const alive = hostExit === undefined;
      const peakMb = alive ? Math.max(peakSeen, memoryOf(host.pid!).peakMb) : peakSeen;
      for (const client of [...clients, light]) client.close();
      await Promise.all(lanes);
      const answered = outcomes.ok;
      latencies.sort((a, b) => a - b);
      const report = {
        seconds,
        concurrency,
        about_calls: latencies.length,
        about_p50_ms: Number(percentile(latencies, 50).toFixed(1)),
        about_p99_ms: Number(percentile(latencies, 99).toFixed(1)),
        about_max_ms: Number((latencies.at(-1) ?? NaN).toFixed(1)),
        heavy_answered: answered,
        heavy_per_s: Number((answered / seconds).toFixed(1)),
        heavy_unanswered_at_end: outcomes.unanswered,
        errors: outcomes.error + lightFailed,
        host_peak_mb: Math.round(peakMb),
        host_alive: alive,
        target_about_p99_ms: TARGET_P99_MS,
        target_host_peak_mb: TARGET_PEAK_MB,
      };
      if (values.json) io.out(JSON.stringify(report));
      else {
        io.out(`host on 127.0.0.1, ${seconds} s, ${concurrency} heavy calls in flight (dataset.samples x64, synthetic.get, episodes.get with frames)`);
        io.out(
          `about.get: ${report.about_calls} calls, p50 ${report.about_p50_ms} ms, p99 ${report.about_p99_ms} ms, max ${report.about_max_ms} ms (target p99 < ${TARGET_P99_MS} ms)`,
        );
        io.out(`heavy calls answered: ${answered} (${report.heavy_per_s}/s), ${outcomes.unanswered} still queued at the end; errors: ${report.errors}`);
        io.out(`host peak memory: ${report.host_peak_mb} MB (target < ${TARGET_PEAK_MB} MB); host ${alive ? 'alive' : `died (exit ${hostExit})`}`);
      }
      return alive ? 0 : 1;
    } finally {
      if (hostExit === undefined) host.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  },
};
