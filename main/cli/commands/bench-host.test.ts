import { describe, expect, it } from 'vitest';
import type { CliIo } from '../command.ts';
import { runCli } from '../ddrl.ts';

describe('ddrl bench host', () => {
  it('fires heavy calls at a real loopback host and reports about.get latency, errors and peak memory', async () => {
    const out: string[] = [];
    const io: CliIo = { out: (line) => out.push(line), err: (line) => out.push(line), isTty: false };
    const code = await runCli(['bench', 'host', '--seconds', '2', '--concurrency', '16', '--json'], io);
    expect(code).toBe(0);
    const report = JSON.parse(out.at(-1)!);
    expect(report).toMatchObject({ seconds: 2, concurrency: 16, errors: 0, host_alive: true, target_about_p99_ms: 200 });
    expect(report.about_calls).toBeGreaterThan(5);
    expect(report.about_p99_ms).toBeGreaterThan(0);
    expect(report.heavy_answered).toBeGreaterThan(0);
    expect(report.host_peak_mb).toBeGreaterThan(50);
  }, 120_000);
});
