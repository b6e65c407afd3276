import type { Page } from 'playwright-core';
import type { CallInput, CallName, CallOutput, CallReply } from '@shared/api/contract.ts';
import { reviveBytes } from '@shared/api/wire-message.ts';

/**
 * Calls the services the way the app under test does (the host's HTTP API with
 * the page's token, or the Electron bridge), to read the stored facts a screen
 * must show.
 */
export async function callFromPage<N extends CallName>(page: Page, name: N, input: CallInput<N>): Promise<CallOutput<N>> {
  const reply = await page.evaluate(
    async ([call, body]) => {
      const bridge = (window as unknown as { ddrl?: { invoke(call: string, input: unknown): Promise<unknown> } }).ddrl;
      if (bridge) return bridge.invoke(call, body);
      const token = new URLSearchParams(window.location.search).get('token') ?? '';
      const response = await fetch(`/api/call/${call}`, { method: 'POST', body: JSON.stringify(body), headers: { Authorization: `Bearer ${token}` } });
      return response.json();
    },
    [name, input] as const,
  );
  // Over HTTP, frames arrive as base64 (shared/api/wire-message.ts); the Electron bridge hands over bytes.
  const typed = reviveBytes(reply) as CallReply;
  if (!typed.ok) throw new Error(`${name} failed: ${typed.error.message}`);
  return typed.output as CallOutput<N>;
}
