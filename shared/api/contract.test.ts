import { describe, expect, it } from 'vitest';
import { formatBytes } from './about-text.ts';
import { apiCalls, callNames, isCallName } from './contract.ts';
import { apiEvent } from './events.ts';
import { clientMessage } from './protocol.ts';

describe('the API contract', () => {
  it('knows its calls and nothing inherited from Object', () => {
    expect(callNames).toContain('about.get');
    expect(isCallName('about.get')).toBe(true);
    expect(isCallName('toString')).toBe(false);
    expect(isCallName('__proto__')).toBe(false);
  });

  it('gives every call a summary for the docs and the CLI', () => {
    for (const name of callNames) expect(apiCalls[name].summary.length).toBeGreaterThan(10);
  });

  it('accepts a well-formed call message and rejects forged ones', () => {
    expect(clientMessage.safeParse({ type: 'call', id: 0, call: 'about.get', input: {} }).success).toBe(true);
    expect(clientMessage.safeParse({ type: 'call', id: -1, call: 'about.get' }).success).toBe(false);
    expect(clientMessage.safeParse({ type: 'call', id: 1.5, call: 'about.get' }).success).toBe(false);
    expect(clientMessage.safeParse({ type: 'call', id: 1, call: '' }).success).toBe(false);
    expect(clientMessage.safeParse({ type: 'event', id: 1, call: 'about.get' }).success).toBe(false);
  });

  it('validates events by kind', () => {
    expect(apiEvent.safeParse({ type: 'progress', runId: 1, phase: 'distill', done: 3, total: 10 }).success).toBe(true);
    expect(apiEvent.safeParse({ type: 'run-status', runId: 1, status: 'exploded' }).success).toBe(false);
    expect(apiEvent.safeParse({ type: 'log', level: 'info', source: 'host', message: 'hi', time: 1 }).success).toBe(true);
  });
});

describe('formatBytes', () => {
  it('uses binary units with one decimal below 10', () => {
    expect(formatBytes(512)).toBe('512 B');
    expect(formatBytes(1536)).toBe('1.5 KiB');
    expect(formatBytes(40 * 1024 * 1024)).toBe('40 MiB');
  });
});
