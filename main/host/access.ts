import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { isIP } from 'node:net';
import { hostname } from 'node:os';
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

/**
 * Refuses a Host header naming something other than this machine: a page on
 * another site whose name was re-pointed at 127.0.0.1 (DNS rebinding) sends
 * its own name. IP literals, localhost and this machine's name pass; a host
 * bound to one name accepts that name too.
 */
export function checkHostHeader(request: IncomingMessage, boundHost: string): Refusal | undefined {
  const header = request.headers.host;
  if (!header) return { status: 403, message: 'Missing Host header: use the URL that `ddrl serve` printed.' };
  const name = header
    .replace(/:\d+$/, '')
    .replace(/^\[(.*)\]$/, '$1')
    .toLowerCase();
  const local = name === 'localhost' || name.endsWith('.localhost') || name === hostname().toLowerCase() || name === boundHost.toLowerCase();
  if (local || isIP(name) !== 0) return undefined;
  return { status: 403, message: `Host ${header} is not this machine: open the app from the URL that \`ddrl serve\` printed (an IP address or localhost).` };
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
