/**
 * Progress as whole units done of the total, `640/1000`: trainers report fractions of a unit, and a
 * count never runs past its total. The app's progress lines and `ddrl runs` / `ddrl show` write it alike.
 */
export function progressCounts(done: number, total: number): string {
  const whole = Math.max(0, Math.round(total));
  return `${Math.min(whole, Math.max(0, Math.floor(done)))}/${whole}`;
}
