/**
 * Seconds in the unit that reads best, every duration the product shows alike (the app, the CLI's
 * stage lines, run logs, the study report): `0.4 s`, `42 s`, `12.5 min`, `2.1 h`.
 */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, seconds);
  if (s < 10) return `${s.toFixed(1)} s`;
  return s < 90 ? `${s.toFixed(0)} s` : s < 5400 ? `${(s / 60).toFixed(1)} min` : `${(s / 3600).toFixed(1)} h`;
}
