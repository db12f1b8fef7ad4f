/**
 * The message log: each conversation has its own pane of chat lines (who said what, when, from
 * which front), notices and result cards, and the one scrolling log on screen shows one pane at
 * a time. A pane counts the chat lines its reader has not seen: said while another pane was
 * shown, or while the reader was away (scrolled up, another tab, another window); a "new"
 * divider marks the first, and the shown pane's count is on a jump button.
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
  /** The line names the reader. */
  mention?: boolean;
  /** The line's id in the history, by which its sender may edit or delete it. */
  id?: number;
}

export function frontBadge(front: string): HTMLElement {
  return h('span', { class: `badge ${/^[a-z]+$/.test(front) ? front : ''}` }, front);
}

/** The scrolling log on screen and its jump button, shared by every pane; `changed` hears of any unread count changing. */
export class LogScreen {
  current: LogView | null = null;

  constructor(
    readonly el: HTMLElement,
    private readonly jump: HTMLButtonElement,
    readonly changed: () => void,
  ) {
    el.addEventListener('scroll', () => this.current?.maybeRead());
    document.addEventListener('visibilitychange', () => this.current?.maybeRead());
    window.addEventListener('focus', () => this.current?.maybeRead());
    jump.addEventListener('click', () => this.current?.jumpToNew());
  }

  /** Puts `view`'s pane on screen, where its reader left it. */
  show(view: LogView): void {
    if (this.current === view) return;
    this.current?.leaving();
    this.current = view;
    this.el.replaceChildren(view.pane);
    view.arrived();
  }

  atBottom(): boolean {
    return this.el.scrollHeight - this.el.scrollTop - this.el.clientHeight < NEAR_BOTTOM_PX;
  }

  readerAway(): boolean {
    return document.hidden || !document.hasFocus() || !this.atBottom();
  }

  scrollToEnd(): void {
    this.el.scrollTop = this.el.scrollHeight;
  }

  showJump(unread: number): void {
    this.jump.hidden = unread === 0 || this.atBottom();
    this.jump.textContent = `↓ ${count(unread, 'new message', 'new messages')}`;
  }
}

/** One conversation's pane. */
export class LogView {
  readonly pane = h('div', { class: 'pane' });
  /** Chat lines the reader has not seen. */
  unread = 0;
  /** How many of those name the reader. */
  mentions = 0;
  private divider: HTMLElement | null = null;
  private lastRun: { name: string; at: number } | null = null;
  /** Where the reader left the pane; null: at its newest entry. */
  private scrolled: number | null = null;
  /** The text of each line shown here that has an id: an edit or delete rewrites it in place. */
  private readonly texts = new Map<number, HTMLElement>();

  constructor(private readonly screen: LogScreen) {}

  private get shown(): boolean {
    return this.screen.current === this;
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
      { class: `msg${line.mine ? ' mine' : ''}${sameRun ? ' cont' : ''}${line.privately ? ' private' : ''}${line.mention ? ' mention' : ''}` },
      h('time', { attrs: { datetime: line.at.toISOString(), title: line.at.toLocaleString() } }, clockTime(line.at)),
      h(
        'div',
        { class: 'who' },
        h('span', { class: `sender ${colour}` }, line.name),
        frontBadge(line.front),
        line.flipped && h('span', { class: 'flipped' }, 'flipped'),
        line.privately && h('span', { class: 'privately' }, `private, ${line.privately}`),
        line.mention && h('span', { class: 'mentions' }, 'mentions you'),
      ),
      h('p', { class: 'text', attrs: { dir: 'auto' } }, line.text),
    );
    if (line.id !== undefined) this.texts.set(line.id, entry);
    this.add(entry, !line.mine, line.mention === true);
  }

  /**
   * The sender edited (`text`) or deleted (null) line `id`: it reads so where it stands, marked.
   * False when the line is not shown here (said before the page came).
   */
  revise(id: number, text: string | null): boolean {
    const entry = this.texts.get(id);
    const shown = entry?.querySelector('.text');
    const who = entry?.querySelector('.who');
    if (!entry || !shown || !who) return false;
    shown.replaceChildren(text ?? 'This line was deleted.');
    entry.classList.toggle('deleted', text === null);
    const mark = entry.querySelector('.edited') ?? who.appendChild(h('span', { class: 'edited' }));
    mark.textContent = text === null ? 'deleted' : 'edited';
    if (text === null) this.texts.delete(id);
    return true;
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
    this.add(entry, false, false);
  }

  /** A result card with a heading. */
  card(title: string, sub: string | null, body: Child[], extraClass = ''): void {
    const heading = h('h3', {}, title, sub && ' ', sub && h('span', { class: 'sub' }, sub));
    this.lastRun = null;
    this.add(h('section', { class: `card ${extraClass}`.trim() }, heading, ...body), false, false);
  }

  private add(entry: HTMLElement, countsAsUnread: boolean, mention: boolean): void {
    const pinned = this.shown && this.screen.atBottom();
    if (countsAsUnread && (!this.shown || this.screen.readerAway())) {
      if (this.unread === 0) {
        this.divider?.remove();
        this.divider = h('div', { class: 'unread-divider', attrs: { role: 'separator' } }, 'New');
        this.pane.append(this.divider);
      }
      this.unread++;
      if (mention) this.mentions++;
      this.counted();
    }
    this.pane.append(entry);
    if (this.shown && (pinned || !countsAsUnread)) this.screen.scrollToEnd();
  }

  /** The pane goes off screen: remember where its reader was. */
  leaving(): void {
    this.scrolled = this.screen.atBottom() ? null : this.screen.el.scrollTop;
  }

  /** The pane is on screen: back where its reader was, or at the first line they have not seen, which now counts as read. */
  arrived(): void {
    if (this.unread > 0 && this.divider) this.divider.scrollIntoView({ block: 'start' });
    else if (this.scrolled === null) this.screen.scrollToEnd();
    else this.screen.el.scrollTop = this.scrolled;
    this.markRead();
  }

  jumpToNew(): void {
    this.screen.scrollToEnd();
    this.markRead();
  }

  maybeRead(): void {
    if (this.unread === 0) return;
    if (this.screen.readerAway()) this.counted();
    else this.markRead();
  }

  private markRead(): void {
    this.unread = 0;
    this.mentions = 0;
    this.counted();
  }

  private counted(): void {
    if (this.shown) this.screen.showJump(this.unread);
    this.screen.changed();
  }

  /** Empties the pane (a new login). */
  clear(): void {
    this.pane.replaceChildren();
    this.divider = null;
    this.lastRun = null;
    this.scrolled = null;
    this.markRead();
  }
}
