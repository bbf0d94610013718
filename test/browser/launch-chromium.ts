import { chromium, type Browser } from 'playwright-core';
import { chromiumPath } from './chromium-gate.js';

/** Flags for Chromium on a machine with a closed network (shared by the browser suites). */
const chromiumArgs = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/**
 * Launches the system Chromium headless, with a fresh profile (so IndexedDB and
 * localStorage start empty). Close it in `afterAll`.
 *
 * @returns the browser.
 */
export function launchChromium(): Promise<Browser> {
  return chromium.launch({ executablePath: chromiumPath, args: chromiumArgs, timeout: 30_000 });
}
