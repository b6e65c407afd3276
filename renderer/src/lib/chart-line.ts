/** One line of a LineChart; steps ascending. */
export interface ChartLine {
  readonly name: string;
  readonly steps: readonly number[];
  readonly values: readonly number[];
  readonly color: string;
  /** Drawn thin and faint, left out of the legend and the readout (raw values behind their trend line). */
  readonly faded?: boolean;
  /** A smoothed line names the line it smooths: the legend shows and hides them together. */
  readonly trendOf?: string;
}
