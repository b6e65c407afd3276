import { apiCalls, callNames, isCallName, type CallName, type CallReply } from '@shared/api/contract.ts';
import { ApiError, describeIssues } from '@shared/api/errors.ts';
import type { ServiceContext } from './context.ts';
import type { Handler, HandlerTable } from './handlers.ts';

/** Runs one call from any transport; never throws, every failure is an error reply. `signal`: the caller has gone. */
export type Dispatch = (call: string, rawInput: unknown, signal?: AbortSignal) => Promise<CallReply>;

/**
 * The single entry point of both transports: checks the call name, validates the
 * raw input with the call's schema, runs the handler and wraps the outcome.
 */
export function createDispatcher(handlers: HandlerTable, ctx: ServiceContext): Dispatch {
  return async (call, rawInput, signal) => {
    try {
      if (!isCallName(call)) {
        throw new ApiError('unknown_call', `Unknown call '${call}'. Valid calls: ${callNames.join(', ')}.`);
      }
      const parsed = apiCalls[call].input.safeParse(rawInput ?? {});
      if (!parsed.success) {
        throw new ApiError('invalid_input', `Invalid input for '${call}': ${describeIssues(parsed.error, 'input')}.`);
      }
      const handler = handlers[call] as Handler<CallName>;
      return { ok: true, output: await handler(parsed.data as never, signal ? { ...ctx, signal } : ctx) };
    } catch (error) {
      if (error instanceof ApiError) return { ok: false, error: error.toBody() };
      return { ok: false, error: { code: 'failed', message: error instanceof Error ? error.message : String(error) } };
    }
  };
}
