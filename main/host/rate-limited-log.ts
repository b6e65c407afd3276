/**
 * A log that writes at most `perWindow` lines per `windowMs`; the lines it
 * drops are counted and reported with the first line of the next window.
 */
export function rateLimited(log: (line: string) => void, perWindow: number, windowMs: number, clock: () => number = Date.now): (line: string) => void {
  let windowStart = -Infinity;
  let written = 0;
  let dropped = 0;
  return (line) => {
    const time = clock();
    if (time - windowStart >= windowMs) {
      if (dropped > 0) log(`(${dropped} similar lines were not logged in the last ${Math.round(windowMs / 1000)} s)`);
      windowStart = time;
      written = 0;
      dropped = 0;
    }
    if (written < perWindow) {
      written++;
      log(line);
    } else dropped++;
  };
}
