/**
 * A stage's progress in words: whole counts, the rate since the stage began
 * and the time left at that rate, short enough to stay readable in a table cell.
 */
import { progressCounts } from '@shared/format/progress-counts.ts';
import { formatDuration } from '@shared/format/duration.ts';

/** One progress report, with when it arrived (ms). */
export interface ProgressSample {
  readonly done: number;
  readonly total: number;
  readonly at: number;
}

export interface ProgressText {
  /** `8/20`: whole units done of the total (trainers report fractions of a unit). */
  readonly counts: string;
  /** 0..1, for the bar. */
  readonly fraction: number;
  /** `2.4/s`, or null until a second has passed with progress. */
  readonly rate: string | null;
  /** `6.0 s left`, `3.5 min left`, or null without a rate. */
  readonly left: string | null;
}

const rateText = (perSecond: number): string =>
  perSecond >= 10 ? `${Math.round(perSecond)}/s` : perSecond >= 0.1 ? `${perSecond.toFixed(1)}/s` : `${(perSecond * 60).toFixed(1)}/min`;

/** `first` is the stage's first report (its rate is measured from there), `now` the latest. */
export function describeProgress(first: ProgressSample, now: ProgressSample): ProgressText {
  const fraction = now.total > 0 ? Math.min(1, Math.max(0, now.done / now.total)) : 0;
  const seconds = (now.at - first.at) / 1000;
  const perSecond = seconds >= 1 && now.done > first.done ? (now.done - first.done) / seconds : null;
  return {
    counts: progressCounts(now.done, now.total),
    fraction,
    rate: perSecond === null ? null : rateText(perSecond),
    left: perSecond === null ? null : `${formatDuration((now.total - now.done) / perSecond)} left`,
  };
}
