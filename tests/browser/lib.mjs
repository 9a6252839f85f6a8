// Browser helpers: Debian's Chromium through playwright-core (never a
// downloaded browser), console/request watching, screenshots on failure.
import { chromium } from 'playwright-core';
import { mkdirSync, existsSync } from 'node:fs';
import path from 'node:path';
import { ARTIFACTS, BACKEND } from '../http/lib.mjs';

export const CHROMIUM = process.env.JIXUN_CHROMIUM || '/usr/bin/chromium';

/** One browser per test file; contexts are cheap, so tests make their own. */
export async function launchBrowser() {
  if (!existsSync(CHROMIUM)) throw new Error(`${CHROMIUM} not found (Debian package chromium; scripts/deps.sh test)`);
  return chromium.launch({
    executablePath: CHROMIUM,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync'],
    timeout: 60_000,
  });
}

/**
 * Collects what a person would see as breakage: console errors, uncaught
 * exceptions, failed requests and HTTP error responses. Returns the live list.
 */
export function watchPage(page) {
  const problems = [];
  page.on('console', (m) => {
    if (m.type() === 'error') problems.push(`console: ${m.text()} (${m.location()?.url || 'no url'})`);
  });
  page.on('pageerror', (e) => problems.push(`pageerror: ${e.message}`));
  page.on('requestfailed', (r) => {
    // A favicon still loading when the next navigation starts is cut short
    // (ERR_ABORTED): timing, not breakage, and frequent on a loaded machine.
    if (/\/favicon\.svg\b/.test(r.url()) && /ERR_ABORTED/.test(r.failure()?.errorText || '')) return;
    problems.push(`requestfailed ${r.url()}: ${r.failure()?.errorText}`);
  });
  page.on('response', (r) => { if (r.status() >= 400) problems.push(`response ${r.status()} ${r.url()}`); });
  return problems;
}

/** Runs fn; on failure saves a full-page screenshot to build/test-artifacts/ and rethrows. */
export async function withScreenshot(page, t, fn) {
  try {
    await fn();
  } catch (e) {
    try {
      mkdirSync(ARTIFACTS, { recursive: true });
      const name = `${BACKEND}-${t.name}`.replace(/[^\w\u4e00-\u9fff-]+/g, '_').slice(0, 100);
      const file = path.join(ARTIFACTS, `${name}.png`);
      await page.screenshot({ path: file, fullPage: true, timeout: 10_000 });
      t.diagnostic(`screenshot: ${path.relative(process.cwd(), file)}`);
    } catch { /* the original failure matters more */ }
    throw e;
  }
}
