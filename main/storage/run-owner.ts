import { randomUUID } from 'node:crypto';

/**
 * The process that queues and executes runs. The id tells this process apart
 * from an earlier one that had the same pid (a restarted container's host).
 */
export interface RunOwner {
  readonly id: string;
  readonly pid: number;
}

/** This process, as the owner of the runs it queues. Worker threads get it from their parent. */
export const thisProcess: RunOwner = { id: `${process.pid}:${randomUUID()}`, pid: process.pid };

/** Whether process `pid` is alive (signal 0 checks without sending anything). */
export function processAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
