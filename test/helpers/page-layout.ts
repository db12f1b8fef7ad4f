/// <reference lib="dom" />
/**
 * What a person on a small screen would notice, measured in the browser: a document wider than
 * the window (sideways scrolling), a control outside the window or under something else, and
 * rows of a list that overlap each other or spill out of their row.
 */
import type { Page } from 'playwright-core';

/** A window size the page is checked at. */
export interface Screen {
  name: string;
  width: number;
  height: number;
  phone: boolean;
}

export const SCREENS: readonly Screen[] = [
  { name: 'desktop', width: 1180, height: 760, phone: false },
  { name: 'phone-390', width: 390, height: 844, phone: true },
  { name: 'phone-360', width: 360, height: 740, phone: true },
];

/**
 * Problems with the layout as it is now: `controls` are scrolled into view one by one and must
 * then lie inside the window, on top at their centre, and clear of each other; the elements of
 * each `rows` selector must not overlap, nor their descendants leave them.
 */
export function layoutProblems(page: Page, controls: readonly string[], rows: readonly string[] = []): Promise<string[]> {
  return page.evaluate(
    ([controls, rows]) => {
      const problems: string[] = [];
      const doc = document.documentElement;
      const width = doc.clientWidth;
      const height = window.innerHeight;
      if (doc.scrollWidth > width) problems.push(`the document is ${doc.scrollWidth} px wide in a ${width} px window`);
      const px = (r: DOMRect) => `${Math.round(r.left)},${Math.round(r.top)} ${Math.round(r.width)}x${Math.round(r.height)}`;
      const overlap = (a: DOMRect, b: DOMRect) => a.left < b.right - 0.5 && b.left < a.right - 0.5 && a.top < b.bottom - 0.5 && b.top < a.bottom - 0.5;
      const inside = (a: DOMRect, b: DOMRect) => a.left >= b.left - 0.5 && a.right <= b.right + 0.5 && a.top >= b.top - 0.5 && a.bottom <= b.bottom + 0.5;
      /** The part of an element its scrolling ancestors do not clip away (empty when none). */
      const visible = (el: Element): DOMRect => {
        let r = el.getBoundingClientRect();
        for (let up = el.parentElement; up; up = up.parentElement) {
          if (getComputedStyle(up).overflow === 'visible') continue;
          const c = up.getBoundingClientRect();
          const left = Math.max(r.left, c.left);
          const top = Math.max(r.top, c.top);
          r = new DOMRect(left, top, Math.max(0, Math.min(r.right, c.right) - left), Math.max(0, Math.min(r.bottom, c.bottom) - top));
        }
        return r;
      };
      const shown: [string, Element][] = [];
      for (const selector of controls) {
        const el = document.querySelector(selector);
        if (!el) {
          problems.push(`${selector}: not on the page`);
          continue;
        }
        el.scrollIntoView({ block: 'nearest', inline: 'nearest' });
        const r = el.getBoundingClientRect();
        if (r.width === 0 || r.height === 0) {
          problems.push(`${selector}: not shown`);
          continue;
        }
        if (r.left < -0.5 || r.top < -0.5 || r.right > width + 0.5 || r.bottom > height + 0.5) problems.push(`${selector}: outside the ${width}x${height} window at ${px(r)}`);
        const top = document.elementFromPoint((r.left + r.right) / 2, (r.top + r.bottom) / 2);
        if (top === null || !(el === top || el.contains(top))) problems.push(`${selector}: covered by ${top ? `${top.tagName.toLowerCase()}#${top.id}.${top.className}` : 'nothing'}`);
        shown.push([selector, el]);
      }
      // After the last scroll: whatever is in the window must not overlap.
      const window_ = new DOMRect(0, 0, width, height);
      const boxes = shown.map(([s, el]) => [s, visible(el)] as const).filter(([, r]) => r.width > 0 && r.height > 0 && overlap(r, window_));
      for (let i = 0; i < boxes.length; i++) {
        for (let j = i + 1; j < boxes.length; j++) {
          const [a, ra] = boxes[i]!;
          const [b, rb] = boxes[j]!;
          if (!ra || !rb) continue;
          if (!inside(ra, rb) && !inside(rb, ra) && overlap(ra, rb)) problems.push(`${a} overlaps ${b}: ${px(ra)} and ${px(rb)}`);
        }
      }
      for (const selector of rows) {
        const items = Array.from(document.querySelectorAll(selector)).filter((el) => el.getBoundingClientRect().height > 0);
        items.forEach((item, i) => {
          const r = item.getBoundingClientRect();
          const next = items[i + 1];
          if (next && overlap(r, next.getBoundingClientRect())) problems.push(`${selector} ${i + 1} overlaps the next`);
          for (const part of Array.from(item.querySelectorAll('*'))) {
            const pr = part.getBoundingClientRect();
            if (pr.width > 1 && !inside(pr, r)) problems.push(`${selector} ${i + 1}: its ${part.className || part.tagName.toLowerCase()} “${part.textContent}” leaves the row (${px(pr)} outside ${px(r)})`);
          }
        });
      }
      return problems;
    },
    [controls, rows] as const,
  );
}
