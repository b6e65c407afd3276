import { framesFromWire } from '@shared/api/frames.ts';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { unzipSync } from 'fflate';
import { GifReader } from 'omggif';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { PolicyDistribution } from '@shared/api/inspect.ts';
import { formatEpisodeRef } from '@shared/api/episode-ref.ts';
import { isFloorMethod } from '@shared/config/methods.ts';
import { webmFacts } from '../main/pipeline/testing/webm-facts.ts';
import { callFromPage } from './api-call.ts';
import { openApp, type AppWindow } from './app-window.ts';
import { runDdrl } from './host-process.ts';
import { tinyRunsDatabase } from './tiny-runs.ts';

let dir: string;
let dbPath: string;
let app: AppWindow;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'ddrl-e2e-replay-'));
  dbPath = await tinyRunsDatabase(dir);
  app = await openApp(dbPath);
}, 900_000);
afterAll(async () => {
  await app?.close();
  rmSync(dir, { recursive: true, force: true });
});

/** The RGB bytes a canvas shows (its backing store, before CSS scaling). */
function canvasRgb(testId: string): Promise<number[]> {
  return app.page.getByTestId(testId).evaluate((canvas: HTMLCanvasElement) => {
    const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
    return Array.from(data.filter((_, i) => i % 4 !== 3));
  });
}

const stepOf = async (slot: string) => Number((await app.page.getByTestId(`step-${slot}`).textContent())!.split(' / ')[0]);

describe("the policy's distributions, first time", () => {
  it('computes them for the longest stored episode of a network model (timed in the browser)', async () => {
    const { page } = app;
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const episodes = list.models
      .filter((m) => !isFloorMethod(m.method) && m.method !== 'planner')
      .flatMap((m) => (['id', 'ood'] as const).flatMap((split) => m[split].map((e) => ({ modelId: m.modelId, split, ...e }))));
    const byLength = [...episodes].sort((a, b) => b.length - a.length);
    const policyOf = (episode: (typeof episodes)[number]) =>
      page.evaluate(
        async (input) => {
          const token = new URLSearchParams(window.location.search).get('token') ?? '';
          const started = performance.now();
          const response = await fetch('/api/call/episodes.policy', {
            method: 'POST',
            body: JSON.stringify(input),
            headers: { Authorization: `Bearer ${token}` },
          });
          const reply = (await response.json()) as { ok: boolean; output: { cached: boolean; computeMs: number; probabilities: number[][] } };
          return { ms: performance.now() - started, ...reply.output, steps: reply.output.probabilities.length };
        },
        { modelId: episode.modelId, episode: { source: 'eval', modelId: episode.modelId, split: episode.split, idx: episode.idx } },
      );
    // The very first frame-heavy call of this host (its call workers start with the episode list just asked for),
    // then the next longest episode's first distribution, with the workers up (as after any run page or Replay opened).
    const longest = byLength[0]!;
    const timed = await policyOf(longest);
    const next = byLength[1]!;
    const warm = await policyOf(next);
    console.log(
      `e2e measure: first policy distribution of the longest stored episode (${longest.length} steps), the host's first frame-heavy call: ${timed.ms.toFixed(0)} ms in the browser, ${timed.computeMs.toFixed(0)} ms in the services; of the next longest (${next.length} steps), workers up: ${warm.ms.toFixed(0)} ms in the browser, ${warm.computeMs.toFixed(0)} ms in the services (target < 2 s for 1,000 steps)`,
    );
    expect(warm.cached).toBe(false);
    expect(timed.cached).toBe(false);
    expect(timed.steps).toBe(longest.length);
  });

  it('opens the longest stored episode, re-simulated and checked, quickly (timed in the browser)', async () => {
    const { page } = app;
    await openReplay();
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const longest = list.models
      .flatMap((m) => (['id', 'ood'] as const).flatMap((split) => m[split].map((e) => ({ modelId: m.modelId, split, ...e }))))
      .reduce((a, b) => (b.length > a.length ? b : a));
    const ref = formatEpisodeRef({ source: 'eval', modelId: longest.modelId, split: longest.split, idx: longest.idx });
    const ms = await page.evaluate(
      async ({ ref, last }) => {
        const started = performance.now();
        location.hash = `#/replay/1?a=${ref}`;
        const text = (id: string) => document.querySelector(`[data-testid="${id}"]`)?.textContent ?? '';
        // Loaded: its last step on the slider and its rewards checked against the stored ones.
        while (!text('step-A').endsWith(`/ ${last}`) || !text('reward-check-A').includes('✓')) await new Promise(requestAnimationFrame);
        await new Promise(requestAnimationFrame);
        return performance.now() - started;
      },
      { ref, last: longest.length - 1 },
    );
    console.log(`e2e measure: opening a ${longest.length}-step evaluation episode in replay: ${ms.toFixed(0)} ms (target < 500 ms for 1,000 steps)`);
    expect(ms).toBeLessThan(5000);
    // A fresh replay for the specs below (each starts from the default pair).
    await openReplay();
  });
});

describe('replaying evaluation episodes', () => {
  it('opens the synthetic student beside BC on the same level, re-simulated with every stored reward matched', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '') + '#/replay/1');
    for (const slot of ['A', 'B']) {
      await expect
        .poll(() => page.getByTestId(`reward-check-${slot}`).textContent())
        .toMatch(/^\s*✓ Re-simulated in the browser: all \d+ rewards equal the stored ones/);
    }
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const synthetic = list.models.find((m) => m.method === 'synthetic' && m.member === 0)!;
    expect(await page.getByTestId('pick-source-A').inputValue()).toBe(`m${synthetic.modelId}`);
    expect(await page.getByTestId('pick-source-B').inputValue()).not.toBe(`m${synthetic.modelId}`);
    // Both show episode 0 of the ID split: the same level seed for every model.
    const levelA = await page.getByTestId('pick-episode-A').locator('option:checked').textContent();
    const levelB = await page.getByTestId('pick-episode-B').locator('option:checked').textContent();
    expect(levelA!.split(' · ')[1]).toBe(`level ${synthetic.id[0]!.levelSeed}`);
    expect(levelB!.split(' · ')[1]).toBe(levelA!.split(' · ')[1]);
  });

  it('moves both episodes with one slider: arrow keys, play, and End reaching the stored return', async () => {
    const { page } = app;
    const before = await canvasRgb('large-A');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await stepOf('A')).toBe(12);
    expect(await stepOf('B')).toBe(12);
    expect(await canvasRgb('large-A')).not.toEqual(before);
    await app.screenshot('replay');

    await page.getByTestId('play').click();
    await expect.poll(() => stepOf('A')).toBeGreaterThan(14);
    await page.getByTestId('play').click();

    await page.keyboard.press('End');
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const synthetic = list.models.find((m) => m.method === 'synthetic' && m.member === 0)!;
    const episode = synthetic.id[0]!;
    expect(await stepOf('A')).toBe(episode.length - 1);
    expect(Number(await page.getByTestId('return-A').textContent())).toBeCloseTo(episode.return, 4);

    // Paused, the address names the step: reloading it shows the same moment.
    const slider = await page.getByTestId('step-slider').inputValue();
    await expect.poll(() => new URLSearchParams(page.url().split('?').pop()).get('t')).toBe(slider);
    await page.reload();
    await expect.poll(() => page.getByTestId('step-A').textContent()).toContain(`${episode.length - 1} / ${episode.length - 1}`);
    expect(await page.getByTestId('step-slider').inputValue()).toBe(slider);
  });
});

describe('choosing another level', () => {
  it('moves the other episode to the same level while "same level in both" is on', async () => {
    const { page } = app;
    await page.getByTestId('pick-episode-A').selectOption('2');
    await expect.poll(() => page.getByTestId('pick-episode-B').inputValue()).toBe('2');
    const level = async (slot: string) => (await page.getByTestId(`pick-episode-${slot}`).locator('option:checked').textContent())!.split(' · ')[1];
    expect(await level('B')).toBe(await level('A'));
    await expect.poll(() => page.getByTestId('reward-check-B').textContent()).toContain('✓');
    await page.getByTestId('same-level').uncheck();
    await page.getByTestId('pick-episode-A').selectOption('1');
    await expect.poll(() => page.getByTestId('pick-episode-A').inputValue()).toBe('1');
    expect(await page.getByTestId('pick-episode-B').inputValue()).toBe('2');
  });
});

describe('replaying a dataset episode', () => {
  it('re-simulates the observations the dataset stored, pixel for pixel', async () => {
    const { page } = app;
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    await page.getByTestId('pick-source-A').selectOption(`d${list.dataset!.id}`);
    await page.getByTestId('pick-episode-A').selectOption('0');
    const stored = await callFromPage(page, 'episodes.get', { source: 'dataset', datasetId: list.dataset!.id, idx: 0, withFrames: true });
    const frames = framesFromWire(stored.frames!);
    // Episode 0 is loaded once the check names its length.
    await expect.poll(() => page.getByTestId('reward-check-A').textContent()).toContain(`✓ Re-simulated in the browser: all ${stored.actions.length} rewards`);
    for (const step of [0, 7]) {
      await page.getByTestId('step-slider').fill(String(step));
      expect(await stepOf('A')).toBe(step);
      expect(await canvasRgb('observation-A')).toEqual(Array.from(frames.subarray(step * 12288, (step + 1) * 12288)));
    }
  });
});

describe('a replay link to an episode the run does not have', () => {
  it('says what is missing and offers the pickers', async () => {
    const { page } = app;
    await page.goto(page.url().replace(/#.*$/, '') + '#/replay/1?a=e.999.id.0');
    const alert = page.getByTestId('episode-A').getByRole('alert');
    await alert.waitFor();
    expect(await alert.textContent()).toBe('Run 1 has no model 999: pick a model or the dataset above.');
    expect(await page.getByTestId('pick-source-A').locator('option').count()).toBeGreaterThan(1);
  });
});

/** The run's replay with its default pair, as a fresh visit shows it (the address had other episodes). */
async function openReplay(): Promise<void> {
  const { page } = app;
  await page.goto(page.url().replace(/#.*$/, '') + '#/replay/1');
  await page.reload();
  await page.getByTestId('episode-B').waitFor();
}

describe("the policy's action distribution per frame", () => {
  it('shows bars equal to what `ddrl policy` computes for the same model and frame, summing to 1, the taken action marked', async () => {
    const { page } = app;
    await openReplay();
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const synthetic = list.models.find((m) => m.method === 'synthetic' && m.member === 0)!;
    await page.getByTestId('pick-source-A').selectOption(`m${synthetic.modelId}`);
    await page.getByTestId('pick-episode-A').selectOption('0');
    const cli = await runDdrl(['policy', '1', '--model', String(synthetic.modelId), '--episode', 'id:0', '--json', '--db', dbPath]);
    expect(cli.code, cli.stderr).toBe(0);
    const expected = JSON.parse(cli.stdout) as PolicyDistribution;
    for (const step of [0, 3, Math.min(9, synthetic.id[0]!.length - 1)]) {
      await page.getByTestId('step-slider').fill(String(step));
      const bars = page.getByTestId('policy-bars-A').locator('li');
      await expect.poll(() => bars.count()).toBe(15);
      const shown = (await bars.evaluateAll((items) => items.map((li) => Number(li.getAttribute('data-p'))))) as number[];
      shown.forEach((p, k) => expect(p).toBeCloseTo(expected.probabilities[step]![k]!, 6));
      expect(shown.reduce((sum, p) => sum + p, 0)).toBeCloseTo(1, 5);
      expect(await page.getByTestId('policy-bars-A-entropy').textContent()).toContain(`entropy ${expected.entropy[step]!.toFixed(3)} nats`);
      const taken = Number((await page.getByTestId('action-A').textContent())!.split(' ')[0]);
      expect(await bars.nth(taken).textContent()).toContain('(taken)');
    }
    await app.screenshot('replay-policy');
  });

  it('says a weightless policy has none', async () => {
    const { page } = app;
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const random = list.models.find((m) => m.method === 'random')!;
    await page.getByTestId('pick-source-A').selectOption(`m${random.modelId}`);
    await expect
      .poll(() => page.getByTestId('policy-none-A').textContent())
      .toBe('No action distribution: the uniformly random policy has no network, so no action distribution to show.');
  });
});

describe('the timeline and the keys', () => {
  it("marks every episode's rewards and end on the shared timeline", async () => {
    const { page } = app;
    await openReplay();
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    await expect.poll(() => page.getByTestId('reward-check-B').textContent()).toContain('✓');
    const marks = JSON.parse((await page.getByTestId('timeline').getAttribute('data-marks'))!) as { rewards: number[]; end: number; endedAt: number }[];
    expect(marks).toHaveLength(2);
    for (const [i, slot] of ['A', 'B'].entries()) {
      const modelId = Number((await page.getByTestId(`pick-source-${slot}`).inputValue()).slice(1));
      const episode = await callFromPage(page, 'episodes.get', { source: 'eval', modelId, split: 'id', idx: 0 });
      expect(marks[i]!.rewards).toEqual(episode.rewards.flatMap((r, t) => (r !== 0 ? [t] : [])));
      expect(marks[i]!.end).toBe(episode.actions.length - 1);
      expect(marks[i]!.endedAt).toBe(episode.actions.length - 1);
    }
    expect(list.models.length).toBeGreaterThan(3);
  });

  it('steps a frame with the arrow keys right after choosing from the episode menu', async () => {
    const { page } = app;
    // Wait for the chosen episode itself (the previous one's check also reads ✓ until it arrives, and its arrival resets the step).
    const steps = /(\d+) steps$/.exec((await page.getByTestId('pick-episode-A').locator('option[value="1"]').textContent()) ?? '')![1];
    await page.getByTestId('pick-episode-A').selectOption('1');
    await expect.poll(() => page.getByTestId('reward-check-A').textContent()).toContain(`✓ Re-simulated in the browser: all ${steps} rewards`);
    await page.getByTestId('pick-episode-A').focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(await stepOf('A')).toBe(2);
    expect(await page.getByTestId('pick-episode-A').inputValue()).toBe('1');
    await page.keyboard.press('ArrowLeft');
    expect(await stepOf('A')).toBe(1);
  });
});

describe('four episodes in lock-step', () => {
  it('stays aligned across step, play and scrub, and repaints a step quickly (timed in the browser)', async () => {
    const { page } = app;
    await openReplay();
    await page.getByTestId('add-episode').click();
    await page.getByTestId('add-episode').click();
    expect(await page.getByTestId('add-episode').count()).toBe(0);
    const slots = ['A', 'B', 'C', 'D'];
    for (const slot of slots) await expect.poll(() => page.getByTestId(`reward-check-${slot}`).textContent()).toContain('✓');
    const lengths = await Promise.all(slots.map(async (slot) => Number((await page.getByTestId(`step-${slot}`).textContent())!.split(' / ')[1]) + 1));
    const aligned = async () => {
      const at = Number(await page.getByTestId('step-slider').inputValue());
      for (const [i, slot] of slots.entries()) expect(await stepOf(slot)).toBe(Math.min(at, lengths[i]! - 1));
      return at;
    };
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('Shift+ArrowRight');
    expect(await aligned()).toBe(11);
    await page.getByTestId('play').click();
    await expect.poll(() => stepOf('A')).toBeGreaterThan(13);
    await page.getByTestId('play').click();
    await aligned();
    await page.getByTestId('step-slider').fill('5');
    expect(await aligned()).toBe(5);
    await page.getByTestId('step-slider').fill(String(Math.max(...lengths) - 1));
    await aligned();
    await page.keyboard.press('Home');
    await app.screenshot('replay-four');

    // One step: the key handler, Svelte's update, four 256x256 renders and canvases, bars and timeline, then the frame.
    const times = await page.evaluate(async () => {
      const result: { work: number; frame: number }[] = [];
      for (let i = 0; i < 30; i++) {
        const started = performance.now();
        window.dispatchEvent(new KeyboardEvent('keydown', { key: 'ArrowRight', bubbles: true }));
        await new Promise<void>((resolve) => {
          const channel = new MessageChannel();
          channel.port1.onmessage = () => resolve();
          channel.port2.postMessage(0);
        });
        const work = performance.now() - started;
        await new Promise((resolve) => requestAnimationFrame(resolve));
        result.push({ work, frame: performance.now() - started });
      }
      return result;
    });
    const median = (values: number[]) => values.sort((a, b) => a - b)[Math.floor(values.length / 2)]!;
    const work = median(times.map((t) => t.work));
    console.log(
      `e2e measure: a replay step with four episodes at the 256 render: median ${work.toFixed(1)} ms of work (max ${Math.max(...times.map((t) => t.work)).toFixed(1)}), median ${median(times.map((t) => t.frame)).toFixed(1)} ms to the next frame, over ${times.length} steps`,
    );
    expect(await aligned()).toBe(Math.min(30, Math.max(...lengths) - 1));
    // The target is 16 ms; this shared machine's load swings it tenfold, so the test guards against a broken
    // path (re-simulating or re-fetching per step costs seconds) and the figure above is what to read.
    expect(work).toBeLessThan(250);
  });

  it('saves the four episodes as a GIF, a WebM and a ZIP of PNG frames that decode to every lock-step frame', async () => {
    const { page } = app;
    const lengths = await Promise.all(
      ['A', 'B', 'C', 'D'].map(async (slot) => Number((await page.getByTestId(`step-${slot}`).textContent())!.split(' / ')[1]) + 1),
    );
    const saved = async (testId: string) => {
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 120_000 }), page.getByTestId(testId).click()]);
      return { name: download.suggestedFilename(), bytes: new Uint8Array(readFileSync((await download.path())!)) };
    };
    // Four 128-pixel episodes side by side with 2-pixel gaps; the longest sets the frame count.
    const width = 4 * 128 + 3 * 2;
    const gif = await saved('export-gif');
    expect(gif.name).toBe('run-1-4-episodes.gif');
    const reader = new GifReader(gif.bytes);
    expect([reader.numFrames(), reader.width, reader.height]).toEqual([Math.max(...lengths), width, 128]);
    await expect.poll(() => page.getByTestId('media-note').textContent()).toContain(`${Math.max(...lengths)} frames of ${width}x128`);
    const webm = await saved('export-webm');
    expect(webm.name).toBe('run-1-4-episodes.webm');
    expect(webmFacts(webm.bytes)).toEqual({ blocks: Math.max(...lengths), width, height: 128 });
    const zip = await saved('export-png');
    const files = Object.entries(unzipSync(zip.bytes));
    expect(files).toHaveLength(Math.max(...lengths));
    const [name, png] = files.at(-1)!;
    expect(name).toBe(`frame_${String(Math.max(...lengths) - 1).padStart(5, '0')}.png`);
    // PNG: width and height are the IHDR chunk's first two big-endian words.
    const view = new DataView(png.buffer, png.byteOffset);
    expect([view.getUint32(16), view.getUint32(20)]).toEqual([width, 128]);
    await app.screenshot('replay-export');
  });
});

describe("the run's other datasets", () => {
  it("opens the planner's demonstrations from the source picker, re-simulated with every reward matched", async () => {
    const { page } = app;
    const list = await callFromPage(page, 'episodes.list', { runId: 1 });
    const demos = list.otherDatasets.find((d) => d.name.includes('demonstrations (planner)'))!;
    expect(demos, `datasets: ${list.otherDatasets.map((d) => d.name).join(', ')}`).toBeDefined();
    // Slot A starts on the expert's first episode; the picker switches it to the demonstrations.
    const expert = list.models.find((m) => m.method === 'expert')!;
    await page.goto(page.url().replace(/#.*$/, '') + `#/replay/1?a=e.${expert.modelId}.id.0`);
    await page.getByTestId('pick-source-A').selectOption(`d${demos.id}`);
    await expect.poll(() => page.getByTestId('pick-source-A').inputValue()).toBe(`d${demos.id}`);
    await expect
      .poll(() => page.getByTestId('reward-check-A').textContent())
      .toMatch(/^\s*✓ Re-simulated in the browser: all \d+ rewards equal the stored ones/);
    expect(await page.getByTestId('pick-episode-A').locator('option').count()).toBe(demos.episodes.length);
    await app.screenshot('replay-planner-demos');
  });
});
