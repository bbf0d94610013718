import { build } from 'esbuild';
import { copyFileSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

/** The bundled test page, served over HTTP on 127.0.0.1. */
export interface PageServer {
  /** `http://127.0.0.1:<port>/` — index.html. */
  readonly url: string;
  /** The temp dir holding index.html and page.js. */
  readonly dir: string;
  /** Closes the server and deletes the temp dir. Idempotent. */
  stop(): Promise<void>;
}

/** The files the server answers, by URL path; anything else is 404. */
const files: Record<string, { name: string; type: string }> = {
  '/': { name: 'index.html', type: 'text/html; charset=utf-8' },
  '/index.html': { name: 'index.html', type: 'text/html; charset=utf-8' },
  '/page.js': { name: 'page.js', type: 'text/javascript; charset=utf-8' },
};

/** Which page {@link servePage} serves: files in test/browser/, or anywhere by absolute path (the benchmarks' pages). */
export interface PageFiles {
  /** The script bundled into page.js; default `page.ts`. */
  entry?: string;
  /** The HTML served as index.html (it must load `./page.js`); default `index.html`. */
  html?: string;
}

/**
 * Bundles test/browser/page.ts for the browser (esbuild, platform browser, ESM, rxjs and
 * the rx-mqtt browser entry bundled in) into a temp dir beside a copy of index.html, and
 * serves that dir with node:http on a free 127.0.0.1 port.
 *
 * @param page another entry and HTML to serve instead: relative to test/browser/, or absolute.
 * @returns the running server; stop it in `afterAll`.
 */
export async function servePage(page: PageFiles = {}): Promise<PageServer> {
  const dir = mkdtempSync(join(tmpdir(), 'rx-mqtt-browser-'));
  try {
    await build({
      entryPoints: [resolve(__dirname, page.entry ?? 'page.ts')],
      outfile: join(dir, 'page.js'),
      bundle: true,
      platform: 'browser',
      format: 'esm',
      target: 'es2020',
      sourcemap: 'inline',
      logLevel: 'silent',
    });
    copyFileSync(resolve(__dirname, page.html ?? 'index.html'), join(dir, 'index.html'));
  } catch (error) {
    rmSync(dir, { recursive: true, force: true });
    throw error;
  }
  const server = createServer((request, response) => {
    const file = files[new URL(request.url ?? '/', 'http://127.0.0.1').pathname];
    if (request.method !== 'GET' || file === undefined) {
      response.writeHead(404).end();
      return;
    }
    response.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' });
    response.end(readFileSync(join(dir, file.name)));
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  let stopped: Promise<void> | undefined;
  return {
    url: `http://127.0.0.1:${port}/`,
    dir,
    stop: () =>
      (stopped ??= new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => {
          rmSync(dir, { recursive: true, force: true });
          resolve();
        });
      })),
  };
}
