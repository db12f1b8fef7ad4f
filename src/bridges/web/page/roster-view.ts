/**
 * Who is online, live: filled from `list` replies and kept current by `presence` pushes.
 * Everyone but me is a button that connects to them, with a Message button beside it that
 * opens my private conversation with them; each shows their front and group.
 */
import type { GroupInfo, UserInfo } from '../../../core/protocol.js';
import { h } from './dom.js';
import { count, nameColour } from './format.js';
import { frontBadge } from './log-view.js';

const key = (name: string): string => name.toLowerCase();

export class RosterView {
  private users: UserInfo[] = [];
  /** Room names by group id. */
  private rooms = new Map<number, string>();
  private me = '';
  /** The groups I am in, by id: where someone in one of them is (`with you in #lobby`). */
  private mine = new Map<number, string>();
  /** The group shown on my screen. */
  private shown: number | null = null;

  constructor(
    private readonly list: HTMLUListElement,
    private readonly counter: HTMLElement,
    private readonly connect: (name: string) => void,
    private readonly message: (name: string) => void,
  ) {}

  setMe(name: string): void {
    this.me = name;
    this.render();
  }

  /** My groups (id -> where a member is) and the one I look at. */
  setGroups(mine: ReadonlyMap<number, string>, shown: number | null): void {
    // Called on every line said: the roster is built again only when this changed.
    if (shown === this.shown && mine.size === this.mine.size && [...mine].every(([id, where]) => this.mine.get(id) === where)) return;
    this.mine = new Map(mine);
    this.shown = shown;
    this.render();
  }

  /** Everyone, as a `list` reply gives them (login order), and the rooms among the groups. */
  replace(users: readonly UserInfo[], groups: readonly GroupInfo[] = []): void {
    this.users = [...users];
    this.rooms = new Map(groups.flatMap((g) => (g.room ? [[g.id, g.room] as const] : [])));
    this.render();
  }

  online(name: string, front: string): void {
    if (!this.users.some((u) => key(u.name) === key(name))) this.users.push({ name, front, state: 0 });
    this.render();
  }

  offline(name: string): void {
    this.users = this.users.filter((u) => key(u.name) !== key(name));
    this.render();
  }

  private render(): void {
    const mine = this.users.filter((u) => key(u.name) === key(this.me));
    const others = this.users.filter((u) => key(u.name) !== key(this.me));
    this.counter.textContent = `(${this.users.length})`;
    this.list.replaceChildren(...mine.map((u) => this.item(u, true)), ...others.map((u) => this.item(u, false)));
  }

  private item(u: UserInfo, isMe: boolean): HTMLLIElement {
    const mine = u.group === undefined ? undefined : this.mine.get(u.group);
    const where = isMe
      ? this.mine.size === 0
        ? 'in no conversation'
        : `in ${count(this.mine.size, 'conversation', 'conversations')}`
      : u.group === undefined
        ? 'alone'
        : (mine ?? `in ${this.rooms.get(u.group) ?? `group ${u.group}`}`);
    const parts = [
      h('span', { class: 'dot', attrs: { 'aria-hidden': 'true' } }),
      h('span', { class: 'line' }, h('span', { class: `name ${nameColour(u.name)}` }, u.name, isMe ? ' (you)' : ''), frontBadge(u.front)),
      h('span', { class: 'where' }, where),
    ];
    if (isMe) return h('li', {}, h('div', { class: 'person me' }, ...parts));
    const sameGroup = u.group !== undefined && u.group === this.shown;
    return h(
      'li',
      { class: 'other' },
      h(
        'button',
        { class: 'person', attrs: { type: 'button', ...(sameGroup ? { 'aria-current': 'true' } : {}) }, onclick: () => this.connect(u.name) },
        h('span', { class: 'visually-hidden' }, 'Chat with '),
        ...parts,
      ),
      h('button', { class: 'message quiet', attrs: { type: 'button', 'aria-label': `Message ${u.name} privately` }, onclick: () => this.message(u.name) }, 'Message'),
    );
  }
}
