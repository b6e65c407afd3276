/**
 * Where a run executes: a worker thread of this process (the CLI, the headless host), or a
 * child process of a plain Node.js (the Electron app). Electron needs the child: Dawn, the
 * WebGPU backend, refuses to run inside any of Electron's processes (their V8 sandbox forbids
 * the external buffers it maps), its main bundle ships no executor entry a worker could load,
 * and its better-sqlite3 is built for Electron's ABI, not a worker's Node. Both places speak
 * the same messages (run-messages.ts); the executor opens its own database connection either way.
 */
import { execFile, fork } from 'node:child_process';
import { createRequire } from 'node:module';
import { setPriority } from 'node:os';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { startWorker } from '../procgen/start-worker.ts';
import type { AboutInfo } from '@shared/api/about.ts';
import type { FromRunWorker, RunWorkerData, ToRunWorker } from './run-messages.ts';

/** The executor's entry in the source tree (a child process runs it from source, with tsx). */
const EXECUTOR_ENTRY = 'main/workers/run-executor.ts';
/** How a child process receives its `RunWorkerData`. */
export const RUN_DATA_VARIABLE = 'DDRL_RUN_WORKER_DATA';

export type RunPlace =
  | { readonly kind: 'thread' }
  /** `node`: a Node.js (>= 20) executable; `sourceRoot`: the repository, whose `main/` and `node_modules/` (tsx) it runs. */
  | { readonly kind: 'process'; readonly node: string; readonly sourceRoot: string };

/** One executing run, whichever place it runs in. */
export interface RunExecutor {
  post(message: ToRunWorker): void;
  onMessage(listener: (message: FromRunWorker) => void): void;
  /** The executor could not start or crashed: the message says why. */
  onError(listener: (message: string) => void): void;
  /** Resolves when the thread or process has ended. */
  readonly exited: Promise<void>;
  /** Ends it now (the run cannot record its own end). */
  terminate(): Promise<void>;
}

export function startRunExecutor(data: RunWorkerData, place: RunPlace): RunExecutor {
  return place.kind === 'thread' ? inThread(data) : inProcess(data, place.node, place.sourceRoot);
}

function inThread(data: RunWorkerData): RunExecutor {
  const worker = startWorker(new URL('../workers/run-executor.ts', import.meta.url), { workerData: data });
  return {
    post: (message) => worker.postMessage(message),
    onMessage: (listener) => worker.on('message', listener),
    onError: (listener) => worker.on('error', (error) => listener(error.message)),
    exited: new Promise((done) => worker.on('exit', () => done())),
    terminate: async () => void (await worker.terminate()),
  };
}

function inProcess(data: RunWorkerData, node: string, sourceRoot: string): RunExecutor {
  const root = resolve(sourceRoot);
  // tsx from the source tree's own node_modules, as a file URL: the child's working directory stays the caller's.
  const tsx = pathToFileURL(createRequire(join(root, 'package.json')).resolve('tsx/esm')).href;
  const child = fork(join(root, EXECUTOR_ENTRY), [], {
    execPath: node,
    execArgv: ['--import', tsx],
    env: { ...process.env, [RUN_DATA_VARIABLE]: JSON.stringify({ ...data, dbPath: resolve(data.dbPath) }) },
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  // A process that never started emits 'error' and may never emit 'exit'.
  const exited = new Promise<void>((done) => {
    child.on('exit', () => done());
    child.on('error', () => child.pid === undefined && done());
  });
  return {
    post: (message) => {
      if (child.connected) child.send(message);
    },
    onMessage: (listener) => child.on('message', (message) => listener(message as FromRunWorker)),
    onError: (listener) => {
      child.on('error', (error) => listener(`could not start the run's Node.js process (${node}): ${error.message}`));
      child.on('exit', (code, signal) => {
        if (code !== 0 && signal !== 'SIGKILL') listener(`the run's Node.js process (${node}) ended with ${signal ?? `exit code ${code}`}`);
      });
    },
    exited,
    terminate: async () => {
      child.kill('SIGKILL');
      await exited;
    },
  };
}

/**
 * What TensorFlow.js backend a child process's runs get (and their GPU adapter): `ddrl about`
 * asked in that Node.js, with its environment, since a backend that cannot load in this
 * process (webgpu inside Electron) may load there.
 */
export function probeRunBackend(
  place: Extract<RunPlace, { kind: 'process' }>,
  dbPath: string,
): Promise<{ tensorflow: AboutInfo['tensorflow'] | null; probeError: string | null }> {
  return new Promise((done) => {
    const child = execFile(
      place.node,
      [join(resolve(place.sourceRoot), 'bin/ddrl.js'), 'about', '--json', '--db', dbPath],
      { timeout: 120_000 },
      (error, stdout, stderr) => {
        if (error)
          return done({ tensorflow: null, probeError: `\`ddrl about\` in ${place.node} failed: ${(stderr.trim() || error.message).split('\n', 1)[0]}` });
        try {
          done({ tensorflow: (JSON.parse(stdout) as AboutInfo).tensorflow, probeError: null });
        } catch (parseError) {
          done({ tensorflow: null, probeError: `\`ddrl about\` in ${place.node} printed no JSON: ${(parseError as Error).message}` });
        }
      },
    );
    // Below the windows and pages starting beside it: it only answers the About view.
    if (child.pid !== undefined) {
      try {
        setPriority(child.pid, 10);
      } catch {
        // Not allowed here: it runs at the normal priority.
      }
    }
  });
}
