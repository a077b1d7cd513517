import { existsSync } from 'node:fs';
import { chromium, type Browser, type Page } from 'playwright-core';
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

/**
 * The words of the page's trend charts that lie on a plot area: the satisfaction plot (y 22 to 142
 * of the drawing, which is 258 px high) or the review bars (y 172 to 232), across the stretched
 * plot's width. The words are the drawing's texts and the key above it; `count` says how many were
 * measured, so that a test sees that there were some.
 */
export async function chartWordsOnPlot(page: Page): Promise<{ count: number; onPlot: string[] }> {
  return page.evaluate(() => {
    const onPlot: string[] = [];
    let count = 0;
    for (const plot of document.querySelectorAll('svg.trend-drawing svg.trend-plot')) {
      // An inner SVG's box is its content's, which its lines span from side to side; its top is the drawing's.
      const frame = plot.getBoundingClientRect();
      const drawing = plot.closest('svg.trend-drawing')!;
      const top = drawing.getBoundingClientRect().top;
      const areas = [
        [top + 22, top + 142],
        [top + 172, top + 232],
      ] as const;
      const words = [...drawing.querySelectorAll('text'), ...(drawing.previousElementSibling ? [drawing.previousElementSibling] : [])];
      for (const word of words) {
        count += 1;
        const box = word.getBoundingClientRect();
        const across = box.right > frame.left + 0.5 && box.left < frame.right - 0.5;
        if (across && areas.some(([top, bottom]) => box.bottom > top + 0.5 && box.top < bottom - 0.5)) onPlot.push(word.textContent!);
      }
    }
    return { count, onPlot };
  });
}
