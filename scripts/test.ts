// `npm test`: lint, type checks, unit tests, the Electron build, e2e. Ends with where the time went (each
// step and the slowest test files: the suite must stay well under 20 minutes in CI) and one line `tests: N passed, N failed`.
import { mkdirSync, readFileSync } from 'node:fs';
import { formatDuration } from '../shared/format/duration.ts';
import { typecheck } from './typecheck.ts';
import { bin, runStep } from './run-step.ts';

interface VitestJson {
  numPassedTests: number;
  numFailedTests: number;
  testResults: {
    name: string;
    startTime: number;
    endTime: number;
    message?: string;
    assertionResults: { fullName: string; status: string; failureMessages: string[] }[];
  }[];
}

/** Each failed test as `file > name: first line of its error`: the summary names them, so a log's tail says what failed. */
function failuresOf(report: VitestJson): string[] {
  const firstLine = (text: string | undefined) =>
    (text ?? '')
      .split('\n')
      .find((line) => line.trim() !== '')
      ?.trim()
      .slice(0, 300) ?? '';
  return report.testResults.flatMap((file) => {
    const failed = file.assertionResults.filter((test) => test.status === 'failed');
    // A file that failed to load has no test results, only its message.
    if (failed.length === 0 && file.message) return [`${relative(file.name)}: ${firstLine(file.message)}`];
    return failed.map((test) => `${relative(file.name)} > ${test.fullName}: ${firstLine(test.failureMessages[0])}`);
  });
}

const reportDir = 'node_modules/.tmp';
const relative = (file: string) => file.replace(`${process.cwd()}/`, '');

/** Runs one Vitest config with a JSON report; a missing report (a crash) counts as one failure. */
async function vitest(name: string, configArgs: string[]): Promise<{ code: number; passed: number; failed: number; failures: string[]; slowest: string[] }> {
  const outputFile = `${reportDir}/${name}-results.json`;
  const code = await runStep(bin('vitest'), ['run', ...configArgs, '--reporter=default', '--reporter=json', `--outputFile.json=${outputFile}`]);
  try {
    const report = JSON.parse(readFileSync(outputFile, 'utf8')) as VitestJson;
    const failed = Math.max(report.numFailedTests, code === 0 ? 0 : 1);
    return { code, passed: report.numPassedTests, failed, failures: failuresOf(report), slowest: slowestFiles(report) };
  } catch {
    return { code, passed: 0, failed: 1, failures: [`${name}: Vitest wrote no report (it crashed; its output above says why)`], slowest: [] };
  }
}

/** The five test files that took longest, `file 42 s` (unit files run two at a time, so their times overlap). */
function slowestFiles(report: VitestJson): string[] {
  return report.testResults
    .map((file) => ({ file: relative(file.name), seconds: (file.endTime - file.startTime) / 1000 }))
    .sort((a, b) => b.seconds - a.seconds)
    .slice(0, 5)
    .map(({ file, seconds }) => `${file} ${formatDuration(seconds)}`);
}

mkdirSync(reportDir, { recursive: true });
const failedSteps: string[] = [];
const stepTimes: string[] = [];
/** Runs a step, timing it; its name is printed first so a failure's output sits under it. */
const timed = async <T>(name: string, run: () => Promise<T>): Promise<T> => {
  process.stdout.write(`\n== ${name}\n`);
  const started = performance.now();
  const result = await run();
  stepTimes.push(`${name.split(' (')[0]} ${formatDuration((performance.now() - started) / 1000)}`);
  return result;
};
const step = async (name: string, run: () => Promise<number>) => {
  if ((await timed(name, run)) !== 0) failedSteps.push(name);
};

await step('lint (eslint)', () => runStep(bin('eslint'), ['.']));
await step('format (prettier --check)', () => runStep(bin('prettier'), ['--check', '.']));
await step('type checks', typecheck);
const unit = await timed('unit tests', () => vitest('unit', []));
if (unit.code !== 0) failedSteps.push('unit tests');
await step('build (electron-vite)', () => runStep(bin('electron-vite'), ['build']));
const e2e = await timed('e2e tests', () =>
  failedSteps.includes('build (electron-vite)')
    ? Promise.resolve({ code: 1, passed: 0, failed: 1, failures: ['e2e: not run, the build failed'], slowest: [] })
    : vitest('e2e', ['-c', 'vitest.e2e.config.ts']),
);
if (e2e.code !== 0) failedSteps.push('e2e tests');

process.stdout.write(`\ntime: ${stepTimes.join(', ')}\n`);
process.stdout.write(`slowest unit test files: ${unit.slowest.join(', ')}\nslowest e2e test files: ${e2e.slowest.join(', ')}\n`);
const checkFailures = failedSteps.filter((name) => !name.endsWith('tests')).length;
process.stdout.write(`\nunit: ${unit.passed} passed, ${unit.failed} failed; e2e: ${e2e.passed} passed, ${e2e.failed} failed\n`);
for (const failure of [...unit.failures, ...e2e.failures]) process.stdout.write(`failed: ${failure}\n`);
if (failedSteps.length > 0) process.stdout.write(`failed steps: ${failedSteps.join(', ')}\n`);
process.stdout.write(`tests: ${unit.passed + e2e.passed} passed, ${unit.failed + e2e.failed + checkFailures} failed\n`);
process.exitCode = failedSteps.length === 0 ? 0 : 1;
