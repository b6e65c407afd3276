import { readFile, stat } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { extname, join, normalize, sep } from 'node:path';

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.wasm': 'application/wasm',
  '.woff2': 'font/woff2',
};

/** The file under `root` that a URL path names, or undefined when it escapes `root`. */
export function resolveStaticPath(root: string, urlPath: string): string | undefined {
  const relative = normalize(decodeURIComponent(urlPath)).replace(/^([/\\])+/, '');
  const full = join(root, relative === '' ? 'index.html' : relative);
  return full === root || full.startsWith(root + sep) ? full : undefined;
}

/**
 * Sends a built renderer file; resolves false when there is none. `headExtra` (HTML) goes
 * just before `</head>` of an HTML file.
 */
export async function sendStaticFile(response: ServerResponse, path: string, headers: Record<string, string>, headExtra = ''): Promise<boolean> {
  try {
    if (!(await stat(path)).isFile()) return false;
  } catch {
    return false;
  }
  const file = await readFile(path);
  const body = headExtra === '' ? file : Buffer.from(file.toString('utf8').replace('</head>', `${headExtra}</head>`), 'utf8');
  response.writeHead(200, { 'Content-Type': contentTypes[extname(path)] ?? 'application/octet-stream', 'Content-Length': body.length, ...headers });
  response.end(body);
  return true;
}
