import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';
import { describe } from 'vitest';

// Real Chromium from Debian (never a downloaded build). Without it, browser tests skip loudly,
// except under CI=true where a missing browser is a failure.
export const CHROMIUM_PATH = '/usr/bin/chromium';
export const hasChromium = existsSync(CHROMIUM_PATH);

if (!hasChromium && process.env.CI === 'true') {
  throw new Error(`Chromium is missing at ${CHROMIUM_PATH}: CI must install it (apt-get install -y chromium).`);
}

/** `describe` for tests that need Chromium: skipped with a loud warning when it is not installed. */
export const describeInBrowser: typeof describe = hasChromium
  ? describe
  : (((name: string, ...rest: unknown[]) => {
      console.warn(`\n*** SKIPPED browser tests "${name}": no Chromium at ${CHROMIUM_PATH} (apt-get install -y chromium) ***\n`);
      return (describe.skip as (...args: unknown[]) => unknown)(name, ...rest);
    }) as typeof describe);

export async function launchBrowser(): Promise<Browser> {
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    // Playwright gives each launch a fresh temporary profile.
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      '--no-first-run',
      '--disable-quic',
    ],
  });
}
