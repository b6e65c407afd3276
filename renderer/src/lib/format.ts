/** An ISO timestamp as `2026-11-25 06:11:43 UTC`: unambiguous on a remote machine in another time zone. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}

/** Seconds of work in the unit that reads best: `42 s`, `12.5 min`, `2.1 h`. */
export function formatDuration(seconds: number): string {
  return seconds < 90 ? `${seconds.toFixed(0)} s` : seconds < 5400 ? `${(seconds / 60).toFixed(1)} min` : `${(seconds / 3600).toFixed(1)} h`;
}
