import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { INITIAL_RUNS_INPUT, initialRunsBlock } from '@shared/api/initial-runs.ts';
import { hostPaths, tokenParameter } from '@shared/api/protocol.ts';
import { stringifyWithBytes } from '@shared/api/wire-message.ts';
import type { AppServices } from '../services/app-services.ts';
import { checkAccess, checkHostHeader, createToken, type Refusal } from './access.ts';
import { rateLimited } from './rate-limited-log.ts';
import { resolveStaticPath, sendStaticFile } from './static-files.ts';
import { defaultClientLimits, serveWebSocket, type ClientLimits } from './websocket-session.ts';

export interface HostOptions {
  readonly services: AppServices;
  /** The built renderer (`out/renderer`). */
  readonly rendererDir: string;
  readonly host: string;
  /** 0 picks a free port. */
  readonly port: number;
  /** Connections and refused requests, one line each (`ddrl serve` prints them). */
  readonly log?: (line: string) => void;
  /** What one WebSocket client may have in the works (default `defaultClientLimits`). */
  readonly clientLimits?: ClientLimits;
}

export interface RunningHost {
  /** The URL to open, carrying the token. */
  readonly url: string;
  readonly port: number;
  readonly token: string;
  close(): Promise<void>;
}

const maxCallBytes = 8 * 1024 * 1024;

// Mirrors the renderer's meta policy; frame-ancestors only works as a header.
const securityHeaders = {
  'Content-Security-Policy':
    "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data: blob:; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'",
  'X-Content-Type-Options': 'nosniff',
  // The page URL carries the token: never send it to anyone in a Referer.
  'Referrer-Policy': 'no-referrer',
};

function sendJson(response: ServerResponse, status: number, body: unknown): void {
  // Frames (bytes) as {"$base64": ...}: shared/api/wire-message.ts.
  const text = stringifyWithBytes(body);
  response.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...securityHeaders });
  response.end(text);
}

function refuse(response: ServerResponse, refusal: Refusal): void {
  sendJson(response, refusal.status, { ok: false, error: { code: 'unauthorized', message: refusal.message } });
}

class BodyTooLargeError extends Error {
  override readonly name = 'BodyTooLargeError';
}

async function readBody(request: IncomingMessage): Promise<string> {
  const declared = Number(request.headers['content-length'] ?? 0);
  if (declared > maxCallBytes) throw new BodyTooLargeError(`Request body of ${declared} bytes exceeds the limit of ${maxCallBytes} bytes.`);
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxCallBytes) throw new BodyTooLargeError(`Request body exceeds the limit of ${maxCallBytes} bytes.`);
    chunks.push(chunk);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** `POST /api/call/<name>` with a JSON body: the same calls as the WebSocket, for scripts and curl. */
async function handleHttpCall(request: IncomingMessage, response: ServerResponse, url: URL, services: AppServices): Promise<void> {
  if (request.method !== 'POST') {
    sendJson(response, 405, { ok: false, error: { code: 'bad_message', message: `Use POST for ${hostPaths.callPrefix}<call>, not ${request.method}.` } });
    return;
  }
  let call: string;
  try {
    call = decodeURIComponent(url.pathname.slice(hostPaths.callPrefix.length));
  } catch {
    sendJson(response, 400, { ok: false, error: { code: 'bad_message', message: `The call name in ${url.pathname} is not valid percent-encoding.` } });
    return;
  }
  let input: unknown;
  try {
    const body = await readBody(request);
    input = body.trim() === '' ? {} : JSON.parse(body);
  } catch (error) {
    if (error instanceof BodyTooLargeError) {
      // The rest of the body is not read: close the connection after the answer.
      response.setHeader('Connection', 'close');
      sendJson(response, 413, { ok: false, error: { code: 'bad_message', message: error.message } });
      return;
    }
    sendJson(response, 400, { ok: false, error: { code: 'bad_message', message: `Request body is not valid JSON: ${(error as Error).message}` } });
    return;
  }
  const gone = new AbortController();
  response.on('close', () => gone.abort());
  const reply = await services.dispatch(call, input, gone.signal);
  const status = reply.ok ? 200 : reply.error.code === 'failed' ? 500 : reply.error.code === 'unknown_call' ? 404 : 400;
  sendJson(response, status, reply);
}

/** The runs list's first page as a data block for the page (see shared/api/initial-runs.ts); none when the call fails. */
async function initialRunsOf(services: AppServices): Promise<string> {
  const reply = await services.dispatch('runs.page', INITIAL_RUNS_INPUT);
  return reply.ok ? initialRunsBlock(reply.output) : '';
}

/**
 * The headless host: the built renderer plus the API over HTTP and WebSocket,
 * guarded by a per-start token and the host's own origin.
 */
export async function startHost(options: HostOptions): Promise<RunningHost> {
  const token = createToken();
  const log = options.log ?? (() => {});
  // A client hammering the host with bad requests must not flood the log.
  const logRefusal = rateLimited(log, 20, 60_000);
  const noteRefusal = (request: IncomingMessage, url: URL, refusal: Refusal) =>
    logRefusal(`refused ${request.method} ${url.pathname} from ${request.socket.remoteAddress}: ${refusal.message}`);

  const server = createServer((request, response) => {
    const url = new URL(request.url ?? '/', 'http://host.invalid');
    void (async () => {
      const wrongHost = checkHostHeader(request, options.host);
      if (wrongHost) {
        noteRefusal(request, url, wrongHost);
        return sendJson(response, wrongHost.status, { ok: false, error: { code: 'unauthorized', message: wrongHost.message } });
      }
      if (url.pathname.startsWith('/api/')) {
        const refusal = checkAccess(request, url, token);
        if (refusal) {
          noteRefusal(request, url, refusal);
          return refuse(response, refusal);
        }
        if (url.pathname.startsWith(hostPaths.callPrefix)) return handleHttpCall(request, response, url, options.services);
        return sendJson(response, 404, { ok: false, error: { code: 'bad_message', message: `No API endpoint at ${url.pathname}.` } });
      }
      const isPage = url.pathname === '/' || url.pathname === '/index.html';
      if (isPage) {
        // Only the page needs the token; the scripts and styles it loads are public code.
        const refusal = checkAccess(request, url, token);
        if (refusal) {
          noteRefusal(request, url, refusal);
          response.writeHead(refusal.status, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
          return response.end(`DDRL Studio: ${refusal.message}\n`);
        }
      }
      const path = resolveStaticPath(options.rendererDir, url.pathname);
      const headers = { ...securityHeaders, 'Cache-Control': isPage ? 'no-store' : 'max-age=3600' };
      if (path && (await sendStaticFile(response, path, headers, isPage ? await initialRunsOf(options.services) : ''))) return;
      if (isPage) {
        response.writeHead(503, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
        return response.end(`DDRL Studio: the renderer is not built (no ${options.rendererDir}/index.html). Run \`npm run build\` first.\n`);
      }
      response.writeHead(404, { 'Content-Type': 'text/plain; charset=utf-8', ...securityHeaders });
      response.end('Not found\n');
    })().catch((error: unknown) => {
      if (!response.headersSent) sendJson(response, 500, { ok: false, error: { code: 'failed', message: String(error) } });
      else response.destroy();
    });
  });

  const sockets = new WebSocketServer({ noServer: true, maxPayload: maxCallBytes });
  server.on('upgrade', (request, socket, head) => {
    const url = new URL(request.url ?? '/', 'http://host.invalid');
    const refusal =
      checkHostHeader(request, options.host) ??
      (url.pathname === hostPaths.webSocket
        ? checkAccess(request, url, token)
        : { status: 401 as const, message: `No WebSocket endpoint at ${url.pathname}.` });
    if (refusal) {
      noteRefusal(request, url, refusal);
      const reason = refusal.status === 401 ? 'Unauthorized' : 'Forbidden';
      socket.end(`HTTP/1.1 ${refusal.status} ${reason}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n${refusal.message}\n`);
      return;
    }
    sockets.handleUpgrade(request, socket, head, (client) => {
      const peer = request.socket.remoteAddress;
      log(`client connected from ${peer} (${sockets.clients.size} open)`);
      client.on('close', () => log(`client from ${peer} left (${sockets.clients.size} open)`));
      // A protocol error (unmasked or oversized frame, bad UTF-8, unknown opcode): ws closes
      // this connection; without a listener the error would end the whole host.
      client.on('error', (error) => logRefusal(`closed the client from ${peer}: ${error.message}`));
      serveWebSocket(client, options.services, options.clientLimits ?? defaultClientLimits, log);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, options.host, () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  const shownHost = options.host.includes(':') ? `[${options.host}]` : options.host;

  return {
    url: `http://${shownHost}:${port}/?${tokenParameter}=${token}`,
    port,
    token,
    close: async () => {
      for (const client of sockets.clients) client.terminate();
      sockets.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
