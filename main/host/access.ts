import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { tokenParameter } from '@shared/api/protocol.ts';

/** A fresh random token for one start of the host. */
export function createToken(): string {
  return randomBytes(24).toString('base64url');
}

/** Why a request was refused, with the HTTP status to answer. */
export interface Refusal {
  readonly status: 401 | 403;
  readonly message: string;
}

/** The token a request carries: `?token=` or `Authorization: Bearer`. */
function presentedToken(request: IncomingMessage, url: URL): string | undefined {
  const fromQuery = url.searchParams.get(tokenParameter);
  if (fromQuery) return fromQuery;
  const header = request.headers.authorization;
  return header?.startsWith('Bearer ') ? header.slice('Bearer '.length) : undefined;
}

function sameToken(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && timingSafeEqual(left, right);
}

/**
 * Lets a request through only with the start token and, when a browser sends an
 * Origin, only from the page's own origin (another site cannot drive the API).
 */
export function checkAccess(request: IncomingMessage, url: URL, token: string): Refusal | undefined {
  const origin = request.headers.origin;
  if (origin !== undefined && origin !== `http://${request.headers.host ?? ''}`) {
    return { status: 403, message: `Origin ${origin} is not allowed; open the app from the URL that \`ddrl serve\` printed.` };
  }
  const presented = presentedToken(request, url);
  if (presented === undefined) {
    return { status: 401, message: 'Missing token: open the URL that `ddrl serve` printed (it ends with ?token=...).' };
  }
  if (!sameToken(presented, token)) {
    return { status: 401, message: 'Wrong token: the host was restarted or the URL is stale; open the URL it printed last.' };
  }
  return undefined;
}
