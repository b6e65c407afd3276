/** An ISO timestamp as `2026-11-25 06:11:43 UTC`: unambiguous on a remote machine in another time zone. */
export function formatUtc(iso: string): string {
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : `${date.toISOString().slice(0, 19).replace('T', ' ')} UTC`;
}
