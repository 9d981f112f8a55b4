/**
 * Debian's chromium, driven by playwright-core (no browser download): the dashboard's tests open it on a
 * running `sflowkit serve`. SFLOWKIT_CHROMIUM names another binary; `.ci/run` installs the package.
 */
import { existsSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { type Browser, chromium, type Page } from 'playwright-core';

export const CHROMIUM = process.env.SFLOWKIT_CHROMIUM ?? '/usr/bin/chromium';

/** Where screenshots go: SFLOWKIT_TEST_OUTPUT, else test-output/ in the checkout (git ignores it). */
export const OUTPUT = process.env.SFLOWKIT_TEST_OUTPUT ?? join(process.cwd(), 'test-output');

export async function launch(): Promise<Browser> {
  if (!existsSync(CHROMIUM))
    throw new Error(`no browser at ${CHROMIUM}: apt-get install chromium (or set SFLOWKIT_CHROMIUM)`);
  // As root (CI, containers) chromium refuses to start with its sandbox.
  return chromium.launch({ executablePath: CHROMIUM, args: ['--no-sandbox', '--disable-dev-shm-usage'] });
}

/** A page of the given size and colour scheme, its console errors collected. */
export async function openPage(
  browser: Browser,
  scheme: 'light' | 'dark' = 'light',
): Promise<{ page: Page; errors: string[] }> {
  const page = await browser.newPage({ viewport: { width: 1400, height: 900 }, colorScheme: scheme });
  const errors: string[] = [];
  page.on('pageerror', (e) => errors.push(e.message));
  page.on('console', (m) => {
    if (m.type() === 'error') errors.push(m.text());
  });
  return { page, errors };
}

/** The whole page, or only the viewport (a full-page shot resizes the page, which ends a hover). */
export async function screenshot(page: Page, folder: string, name: string, fullPage = true): Promise<string> {
  const dir = join(OUTPUT, folder);
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${name}.png`);
  await page.screenshot({ path, fullPage });
  return path;
}
