/**
 * The user's conversations as the page shows them: rooms, ad-hoc groups and direct
 * conversations, each with its own log pane, members, topic, unread count and last line, and
 * the one shown in the main pane (none: the home pane, "Not in a group"). A conversation the
 * user is no longer in (it ended, they were removed) stays, marked ended, so its lines stay
 * readable until they close it; a direct conversation can be open before its first line (a
 * draft, with no group yet). The tab title counts every unread line.
 */
import type { GroupKind, MemberInfo } from '../../../core/protocol.js';
import { showConversationList } from './conversation-list.js';
import { LogScreen, LogView } from './log-view.js';

export interface Conversation {
  /** The group's id; null for a direct conversation before its first line. */
  group: number | null;
  kind: GroupKind;
  /** `#room`, `#group-N`, or the other person's name. */
  label: string;
  members: MemberInfo[];
  topic: string;
  /** The user is no longer a member. */
  ended: boolean;
  /** The newest chat line, for the list. */
  last: { name: string; text: string } | null;
  readonly log: LogView;
}

/** Whether typed lines go to the conversation's group as it is. */
export const live = (c: Conversation | null): c is Conversation & { group: number } => c !== null && c.group !== null && !c.ended;

/** How the page names a conversation in sentences. */
export function described(c: Conversation): string {
  if (c.kind === 'direct') return `your private conversation with ${c.label}`;
  return c.kind === 'room' ? c.label : `group ${c.group}`;
}

export class Conversations {
  private list: Conversation[] = [];
  readonly screen: LogScreen;
  /** The pane shown when no conversation is. */
  readonly home: LogView;
  shown: Conversation | null = null;
  private readonly baseTitle = document.title;

  constructor(
    logEl: HTMLElement,
    jump: HTMLButtonElement,
    private readonly listEl: HTMLElement,
    /** The user picked a conversation in the list. */
    private readonly pick: (c: Conversation) => void,
    /** The shown conversation, or the counts, changed. */
    private readonly changed: () => void,
  ) {
    this.screen = new LogScreen(logEl, jump, () => this.render());
    this.home = new LogView(this.screen);
    this.screen.current = this.home;
    logEl.replaceChildren(this.home.pane);
  }

  /** The pane on screen. */
  get log(): LogView {
    return this.shown?.log ?? this.home;
  }

  all(): readonly Conversation[] {
    return this.list;
  }

  byGroup(group: number): Conversation | undefined {
    return this.list.find((c) => c.group === group);
  }

  /** The direct conversation with `peer` (any case), begun or not. */
  direct(peer: string): Conversation | undefined {
    const key = peer.toLowerCase();
    return this.list.find((c) => c.kind === 'direct' && c.label.toLowerCase() === key);
  }

  /** The id of a group the user is in by its label (`bye #room`, `bye bob`). */
  readonly lookup = (label: string): number | undefined => {
    const key = label.trim().toLowerCase();
    return this.list.find((c) => live(c) && c.label.toLowerCase() === key)?.group ?? undefined;
  };

  /** A group the user is in, as an event describes it: added, or brought up to date (and live again). */
  joined(group: number, kind: GroupKind, label: string, members: MemberInfo[]): Conversation {
    const c = this.byGroup(group) ?? (kind === 'direct' ? this.direct(label) : undefined) ?? this.add(kind, label, group);
    Object.assign(c, { group, kind, label, members, ended: false });
    this.render();
    return c;
  }

  /** The direct conversation with `peer`, opened as a draft when there is none. */
  openDirect(peer: string): Conversation {
    return this.direct(peer) ?? this.add('direct', peer, null);
  }

  private add(kind: GroupKind, label: string, group: number | null): Conversation {
    const c: Conversation = { group, kind, label, members: [], topic: '', ended: false, last: null, log: new LogView(this.screen) };
    this.list.push(c);
    return c;
  }

  show(c: Conversation | null): void {
    this.shown = c;
    this.screen.show(c?.log ?? this.home);
    this.render();
  }

  /** Forgets a conversation; when it was shown, `next` is. */
  remove(c: Conversation, next: Conversation | null): void {
    this.list = this.list.filter((x) => x !== c);
    if (this.shown === c) this.show(next);
    else this.render();
  }

  /** The conversation joined last that the user is still in, other than `but` (where the server moves the focus after a leave). */
  latest(but: Conversation | null = null): Conversation | null {
    return this.list.filter((c) => c !== but && live(c)).pop() ?? null;
  }

  /** Forgets every conversation (the server forgot them). */
  clear(): void {
    this.list = [];
    this.show(null);
  }

  /** The list in the sidebar, and the unread count in the tab title. */
  render(): void {
    const unread = this.list.reduce((n, c) => n + c.log.unread, this.home.unread);
    document.title = unread > 0 ? `(${unread}) ${this.baseTitle}` : this.baseTitle;
    showConversationList(this.listEl, this.list, this.shown, this.pick);
    this.changed();
  }
}
