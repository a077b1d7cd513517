import { mkdirSync } from 'node:fs';
import type { Page } from 'playwright-core';
import { expect } from 'vitest';
import { LOGIN_LINK_MS } from '../../../server/agency/lifetimes.ts';
import { hashSecret, newSecret } from '../../../server/agency/secrets.ts';
import type { Store } from '../../../server/store/store.ts';
import { axeViolations } from './widget-fixture.ts';

// What every browser test of the agency space does: sign in as an agent does (a one-time link and
// its button), and check a page as a person would meet it: no axe-core violation, no CSP violation,
// nothing wider than a 320-px phone, and screenshots at 1280 and 320 px for people to look at.

/** Where the tests leave their screenshots: dist/ is build output, never committed. */
export const SCREENSHOTS = 'dist/screenshots';

/** Signs `email` in through a one-time link, as `jdma login-link` would make it, and its « Se connecter » button. */
export async function signInWithLink(page: Page, collectorUrl: string, store: Store, email: string): Promise<void> {
  const token = newSecret();
  await store.loginLinks.create({ tokenHash: hashSecret(token), email, expiresAt: Date.now() + LOGIN_LINK_MS });
  await page.goto(`${collectorUrl}/espace/lien/${token}`);
  await page.getByRole('button', { name: 'Se connecter' }).click();
  await page.waitForURL(`${collectorUrl}/espace`);
}

/** Collects the CSP violations Chromium reports for the collector's pages. */
export function watchCsp(page: Page, collectorUrl: string): string[] {
  const violations: string[] = [];
  page.on('console', (message) => {
    if (page.url().startsWith(collectorUrl) && message.text().includes('Content Security Policy')) violations.push(message.text());
  });
  return violations;
}

/**
 * Checks the page now shown at 1280 px and at 320 px: axe-core finds nothing, nothing scrolls
 * sideways at 320 px, and a full-page screenshot of each width goes to dist/screenshots/<name>-<width>.png.
 * Leaves the page at 1280 px.
 */
export async function checkPage(page: Page, name: string): Promise<void> {
  mkdirSync(SCREENSHOTS, { recursive: true });
  for (const width of [320, 1280]) {
    await page.setViewportSize({ width, height: 900 });
    expect(await axeViolations(page), `${name} at ${width} px`).toEqual([]);
    if (width === 320) {
      const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
      expect(overflow, `${name}: sideways scroll at 320 px`).toBeLessThanOrEqual(0);
    }
    await page.screenshot({ path: `${SCREENSHOTS}/${name}-${width}.png`, fullPage: true });
  }
}
