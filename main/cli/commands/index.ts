import type { CliCommand } from '../command.ts';
import { aboutCommand } from './about.ts';
import { benchBcCommand } from './bench-bc.ts';
import { benchEnvsCommand } from './bench-envs.ts';
import { benchExpertCommand } from './bench-expert.ts';
import { benchHostCommand } from './bench-host.ts';
import { benchLearnCommand } from './bench-learn.ts';
import { benchPpoCommand } from './bench-ppo.ts';
import { archiveCommand } from './archive.ts';
import { cancelCommand } from './cancel.ts';
import { copyRunCommand } from './copy-run.ts';
import { datasetsCommand } from './datasets.ts';
import { exportCommand } from './export.ts';
import { exportExpertCommand } from './export-expert.ts';
import { importCommand } from './import.ts';
import { policyCommand } from './policy.ts';
import { resultsCommand } from './results.ts';
import { resumeCommand } from './resume.ts';
import { runCommand } from './run.ts';
import { runsCommand } from './runs.ts';
import { showCommand } from './show.ts';
import { serveCommand } from './serve.ts';
import { simulateCommand } from './simulate.ts';
import { reportCommand, studyCommand } from './study.ts';
import { mediaCommand } from './media.ts';

/** Every `ddrl` sub-command, in the order `ddrl --help` lists them. */
export const commands: readonly CliCommand[] = [
  serveCommand,
  aboutCommand,
  simulateCommand,
  runCommand,
  runsCommand,
  showCommand,
  resultsCommand,
  studyCommand,
  reportCommand,
  policyCommand,
  resumeCommand,
  cancelCommand,
  exportCommand,
  exportExpertCommand,
  copyRunCommand,
  archiveCommand,
  mediaCommand,
  importCommand,
  datasetsCommand,
  benchLearnCommand,
  benchEnvsCommand,
  benchPpoCommand,
  benchBcCommand,
  benchExpertCommand,
  benchHostCommand,
];
