/**
 * The message log: chat lines (who said what, when, from which front), notices and result
 * cards. Keeps the view pinned to the newest entry unless the reader scrolled up, and counts
 * chat lines that arrive while the reader is away (scrolled up, another tab, another window):
 * a "new" divider before the first, a jump button and the count in the tab title.
 */
import { h, type Child } from './dom.js';
import { clockTime, count, nameColour } from './format.js';

/** Within this many pixels of the bottom counts as reading the newest entry. */
const NEAR_BOTTOM_PX = 48;
/** Lines by one sender closer together than this share one header. */
const SAME_RUN_MS = 5 * 60_000;

export interface ChatLine {
  name: string;
  front: string;
  text: string;
  at: Date;
  mine: boolean;
  flipped: boolean;
  /** A private line: who it went to (`to you`, `to bob`). */
  privately?: string;
}

export function frontBadge(front: string): HTMLElement {
  return h('span', { class: `badge ${/^[a-z]+$/.test(front) ? front : ''}` }, front);
}

export class LogView {
  private unread = 0;
  private divider: HTMLElement | null = null;
  private lastRun: { name: string; at: number } | null = null;
  private readonly baseTitle = document.title;

  constructor(
    private readonly el: HTMLElement,
    private readonly jump: HTMLButtonElement,
  ) {
    el.addEventListener('scroll', () => this.maybeRead());
    document.addEventListener('visibilitychange', () => this.maybeRead());
    window.addEventListener('focus', () => this.maybeRead());
    jump.addEventListener('click', () => {
      (this.divider ?? this.el.lastElementChild)?.scrollIntoView({ block: 'start' });
      this.scrollToEnd();
      this.markRead();
    });
  }

  line(line: ChatLine): void {
    const colour = nameColour(line.name);
    const at = line.at.getTime();
    // A private line never shares a header with lines to the group: its mark is in the header.
    const run = `${line.name}\n${line.privately ?? ''}`;
    const sameRun = this.lastRun !== null && this.lastRun.name === run && at - this.lastRun.at < SAME_RUN_MS;
    this.lastRun = { name: run, at };
    const entry = h(
      'div',
      { class: `msg${line.mine ? ' mine' : ''}${sameRun ? ' cont' : ''}${line.privately ? ' private' : ''}` },
      h('time', { attrs: { datetime: line.at.toISOString(), title: line.at.toLocaleString() } }, clockTime(line.at)),
      h(
        'div',
        { class: 'who' },
        h('span', { class: `sender ${colour}` }, line.name),
        frontBadge(line.front),
        line.flipped && h('span', { class: 'flipped' }, 'flipped'),
        line.privately && h('span', { class: 'privately' }, `private, ${line.privately}`),
      ),
      h('p', { class: 'text', attrs: { dir: 'auto' } }, line.text),
    );
    this.add(entry, !line.mine);
  }

  /** A one-line notice (joins, leaves, replies); `tone` colours it, `action` adds a button. */
  notice(text: string, tone: 'plain' | 'good' | 'error' = 'plain', at = new Date(), action?: { label: string; run: () => void }): void {
    const entry = h(
      'p',
      { class: `notice${tone === 'plain' ? '' : ` ${tone}`}` },
      h('time', { attrs: { datetime: at.toISOString() } }, clockTime(at)),
      text,
      action && h('button', { attrs: { type: 'button' }, onclick: action.run }, action.label),
    );
    this.lastRun = null;
    this.add(entry, false);
  }

  /** A result card with a heading. */
  card(title: string, sub: string | null, body: Child[], extraClass = ''): void {
    const heading = h('h3', {}, title, sub && ' ', sub && h('span', { class: 'sub' }, sub));
    this.lastRun = null;
    this.add(h('section', { class: `card ${extraClass}`.trim() }, heading, ...body), false);
  }

  private atBottom(): boolean {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < NEAR_BOTTOM_PX;
  }

  private readerAway(): boolean {
    return document.hidden || !document.hasFocus() || !this.atBottom();
  }

  private add(entry: HTMLElement, countsAsUnread: boolean): void {
    const pinned = this.atBottom();
    if (countsAsUnread && this.readerAway()) {
      if (this.unread === 0) {
        this.divider?.remove();
        this.divider = h('div', { class: 'unread-divider', attrs: { role: 'separator' } }, 'New');
        this.el.append(this.divider);
      }
      this.unread++;
      this.showUnread();
    }
    this.el.append(entry);
    if (pinned || !countsAsUnread) this.scrollToEnd();
  }

  private scrollToEnd(): void {
    this.el.scrollTop = this.el.scrollHeight;
  }

  private maybeRead(): void {
    if (this.unread === 0) return;
    if (this.readerAway()) this.showUnread();
    else this.markRead();
  }

  private markRead(): void {
    this.unread = 0;
    this.showUnread();
  }

  private showUnread(): void {
    document.title = this.unread > 0 ? `(${this.unread}) ${this.baseTitle}` : this.baseTitle;
    this.jump.hidden = this.unread === 0 || this.atBottom();
    this.jump.textContent = `↓ ${count(this.unread, 'new message', 'new messages')}`;
  }

  /** Empties the log (a new login). */
  clear(): void {
    this.el.replaceChildren();
    this.divider = null;
    this.lastRun = null;
    this.markRead();
  }
}
