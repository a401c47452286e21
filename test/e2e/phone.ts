import type { Page } from 'playwright-core';
import { painted, screenshotPath } from './browser';

/** An ordinary phone's screen. */
export const PHONE = { width: 375, height: 667 };

/** The elements that reach past the window's right edge (none: nothing to scroll sideways); the page runs it as text. */
const PAST_THE_EDGE = `(() => {
  const width = document.documentElement.clientWidth;
  return [...document.querySelectorAll('body *')]
    .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().right > width + 1)
    .map((el) => el.tagName.toLowerCase() + '.' + el.className + ' → ' + Math.round(el.getBoundingClientRect().right) + '/' + width);
})()`;

/** Visible buttons, camera labels, selects and inputs (and `extra` selectors) inside `root` less than 44 px high: too small for a thumb. */
function smallTargets(root: string, extra: readonly string[]): string {
  const selectors = ['button', 'label.m-camera', 'select', 'input:not([type="file"])', ...extra].map((s) => `${root} ${s}`).join(', ');
  return `(() => [...document.querySelectorAll(${JSON.stringify(selectors)})]
    .filter((el) => el.getClientRects().length > 0 && el.getBoundingClientRect().height < 44)
    .map((el) => el.tagName.toLowerCase() + '.' + el.className + ' ' + Math.round(el.getBoundingClientRect().height) + 'px'))()`;
}

/**
 * A phone page looks right: nothing wider than the phone, nothing inside `root` too small to tap;
 * then a screenshot (the whole page, or the screen for an overlay).
 */
export async function looksRight(
  page: Page,
  name: string,
  options: { root: string; extraTargets?: readonly string[]; fullPage?: boolean },
): Promise<void> {
  await painted(page);
  expect(await page.evaluate<string[]>(PAST_THE_EDGE)).toEqual([]);
  expect(await page.evaluate<string[]>(smallTargets(options.root, options.extraTargets ?? []))).toEqual([]);
  await page.screenshot({ path: screenshotPath(name), fullPage: options.fullPage ?? true });
}
