// Zod's 'mini' build, as in events.ts: the renderer's first bundle includes these.
import * as z from 'zod/mini';

/**
 * Why a call failed, as both transports report it:
 * - `bad_message`: the transport message itself was malformed (not JSON, wrong shape);
 * - `unknown_call`: no call has that name;
 * - `invalid_input`: the input did not match the call's schema;
 * - `failed`: the service ran and threw (its message is passed on);
 * - `unauthorized`: the host refused the request (missing or wrong token, foreign origin).
 */
export const apiErrorCode = z.enum(['bad_message', 'unknown_call', 'invalid_input', 'failed', 'unauthorized']);
export type ApiErrorCode = z.infer<typeof apiErrorCode>;

export const apiErrorBody = z.object({ code: apiErrorCode, message: z.string() });
export type ApiErrorBody = z.infer<typeof apiErrorBody>;

/** A failed call, rejected by the renderer's client with the code and message from the services. */
export class ApiError extends Error {
  override readonly name = 'ApiError';
  constructor(
    readonly code: ApiErrorCode,
    message: string,
  ) {
    super(message);
  }

  toBody(): ApiErrorBody {
    return { code: this.code, message: this.message };
  }
}

/** Zod issues as one readable line: `input.seed: Expected number, received string; ...`. */
export function describeIssues(
  error: { readonly issues: readonly { readonly path: readonly PropertyKey[]; readonly message: string }[] },
  root: string,
): string {
  return error.issues
    .map((issue) => {
      const where = [root, ...issue.path.map(String)].join('.');
      return `${where}: ${issue.message}`;
    })
    .join('; ');
}
