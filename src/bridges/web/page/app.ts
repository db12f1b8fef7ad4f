/**
 * The chat page's controller: typed lines go through the shared command parser (the same
 * grammar as the terminal client), and each event is rendered into its conversation's pane, the
 * conversation list, the roster or the group bar. The page logs in with `rooms`: it is in any
 * number of rooms, groups and private conversations at once and shows one, whose group every
 * typed group action names, so a focus change it has not heard of cannot send a line elsewhere.
 * Every request carries a label, and an event that carries one back is its answer
 * (requests.ts). After a lost connection it logs in again under the same name and tells the
 * user what changed.
 */
import { spokenLine } from '../../../core/classic.js';
import { parseCommand } from '../../../core/commands.js';
import type { ActionName, ClientAction, GroupAction, Label, ServerEvent } from '../../../core/protocol.js';
import { MENU } from '../../../core/render.js';
import { UserState } from '../../../core/user-state.js';
import { Account } from './account.js';
import { helpCard } from './cards.js';
import { Conversations, described, live, type Conversation } from './conversations.js';
import { Drawer } from './drawer.js';
import { showEvent, type EventHost } from './event-view.js';
import { chatting, showGroupBar } from './group-bar.js';
import type { LogView } from './log-view.js';
import { linkStatus, type Link, type LinkState } from './link.js';
import { Recall } from './recall.js';
import { Requests } from './requests.js';
import { RosterView } from './roster-view.js';
import type { Elements } from './main.js';

/** How often the roster is refreshed while the page is visible (presence pushes keep it live in between). */
const ROSTER_REFRESH_MS = 15_000;
/** The actions about one group, which the page makes name the conversation on screen. */
const GROUP_ACTIONS: ReadonlySet<ActionName> = new Set<GroupAction['action']>(['exchange', 'flip', 'disconnect', 'topic', 'kick', 'invite', 'lock']);

export class App implements EventHost {
  private user = new UserState();
  link!: Link;
  readonly roster: RosterView;
  readonly conversations: Conversations;
  /** The server said it is restarting: until the link is back, the drop is that, not a fault. */
  private serverRestarting = false;
  private readonly requests = new Requests();
  private readonly recall: Recall;
  private readonly account: Account;
  private readonly drawer: Drawer;

  constructor(private readonly el: Elements) {
    this.account = new Account(el, this);
    this.drawer = new Drawer(el.menu, el.chatView, el.sidebar);
    this.roster = new RosterView(el.roster, el.onlineCount, (name) => this.send({ action: 'connect', target: name }), (name) => this.message(name));
    this.conversations = new Conversations(el.log, el.jump, el.conversations, (c) => this.pick(c), () => this.showGroup());
    el.compose.addEventListener('submit', (e) => {
      e.preventDefault();
      this.typed(el.line.value);
    });
    this.recall = new Recall(el.line);
    this.form(el.joinForm, el.joinRoom, (room) => {
      this.send({ action: 'connect', target: room.startsWith('#') ? room : `#${room}` });
      el.joinRoom.value = '';
    });
    this.form(el.searchForm, el.searchQuery, (q) => this.send({ action: 'search', target: q }));
    this.form(el.sonnetForm, el.sonnetNumber, (n) => this.send({ action: 'poem', target: n }));
    el.leave.addEventListener('click', () => {
      const c = this.conversations.shown;
      if (c !== null && live(c)) this.send({ action: 'disconnect', group: c.group });
      else if (c !== null) this.close(c);
    });
    el.logout.addEventListener('click', () => this.logout());
    setInterval(() => {
      if (!document.hidden && this.user.state !== 'offline') this.refreshRoster();
    }, ROSTER_REFRESH_MS);
  }

  /** A sidebar form of one field: what is typed, trimmed, when it is not empty; on a phone the drawer then closes to show the answer. */
  private form(form: HTMLFormElement, input: HTMLInputElement, run: (value: string) => void): void {
    form.addEventListener('submit', (e) => {
      e.preventDefault();
      const value = input.value.trim();
      if (value === '') return;
      run(value);
      this.drawer.close();
    });
  }

  attach(link: Link): void {
    this.link = link;
  }

  /** The pane on screen. */
  get log(): LogView {
    return this.conversations.log;
  }

  get me(): string {
    return this.account.name ?? '';
  }

  notice(text: string, tone: 'plain' | 'good' | 'error' = 'plain'): void {
    this.log.notice(text, tone);
  }

  // --- connection ---

  linkState(state: LinkState, retryInMs?: number, reason?: string): void {
    this.el.conn.dataset['state'] = state;
    if (state === 'online') this.serverRestarting = false;
    this.el.conn.textContent = linkStatus(state, retryInMs, reason, this.serverRestarting);
    if (state === 'offline' && this.user.state !== 'offline') this.lost();
  }

  /** The server forgot us: say so, and what that meant for the conversations. */
  private lost(): void {
    const was = this.conversations.all().filter(live).map(described);
    this.user = new UserState();
    this.requests.clear();
    this.account.reconnecting = true;
    this.conversations.clear();
    const why = this.serverRestarting ? 'The server is restarting' : 'Lost the connection to the server';
    // A registered user keeps their rooms and conversations: they come back with what was missed.
    const list = was.length === 1 ? was[0] : `${was.slice(0, -1).join(', ')} and ${was.at(-1)}`;
    const left = was.length === 0 ? '' : this.account.registered ? `: ${list} wait for you` : `, so you left ${list}`;
    this.log.notice(`${why}${left}. Reconnecting…`, 'error');
    this.roster.replace([]);
  }

  opened(again: boolean): void {
    this.account.opened(again);
  }

  restarting(): void {
    this.serverRestarting = true;
  }

  private loggedIn(name: string): void {
    this.account.loggedIn(name);
    this.roster.setMe(name);
    if (this.account.reconnecting) this.log.notice(`Reconnected: you are back online as ${name}.`, 'good');
    else this.log.notice(`Welcome, ${name}! Choose someone to chat with, join a room, or type help for the commands.`, 'good');
    if (this.account.note) this.log.notice(`${this.account.note}.`);
    this.account.note = null;
    this.account.reconnecting = false;
    // A registered user's kept rooms and conversations come back, with what I missed in each.
    const resume: ClientAction = { action: 'resume' };
    this.link.send(resume, this.requests.add(resume, false));
    // The groups the server keeps me in (none for a guest's new session).
    const rooms: ClientAction = { action: 'rooms' };
    this.link.send(rooms, this.requests.add(rooms, false));
    this.refreshRoster();
    this.el.line.focus();
  }

  logout(): void {
    this.link.close();
    this.account.loggedOut();
    this.user = new UserState();
    this.requests.clear();
    this.conversations.clear();
    this.conversations.home.clear();
    this.drawer.close();
    this.link.connect();
  }

  // --- typing ---

  private typed(line: string): void {
    if (this.user.state === 'offline') return;
    const shown = this.conversations.shown;
    const command = parseCommand(line, chatting(shown) ? 'chat' : 'command', this.conversations.lookup);
    switch (command.kind) {
      case 'send':
        if (!this.link.online) {
          this.log.notice('Not connected, so that was not sent (it is still in the box). Reconnecting…', 'error');
          return;
        }
        // `bye` in a conversation the user is no longer in closes it, and says nothing to anyone.
        if (shown !== null && !live(shown) && command.actions.some((a) => a.action === 'disconnect' && a.group === undefined)) this.close(shown);
        else for (const action of command.actions) this.sendHere(action);
        // A line that carried a password is not kept for recall.
        if (command.actions.some((a) => a.action === 'register')) {
          this.el.line.value = '';
          return;
        }
        break;
      case 'register':
        this.el.line.value = '';
        return this.account.registerDialog.open(this.me);
      case 'help':
        helpCard(this.log, MENU);
        break;
      case 'unknown':
        this.log.notice(`Unknown command “${command.text}”. Type help for the list.`, 'error');
        return this.el.line.select();
      case 'usage':
        this.log.notice(command.msg, 'error');
        return this.el.line.select();
      case 'quit':
        return this.logout();
      case 'empty':
        return;
    }
    this.recall.push(line);
    this.el.line.value = '';
  }

  /** A typed action, about the conversation on screen unless it names its group: a line to a private conversation not begun (or ended) is a direct line. */
  private sendHere(action: ClientAction): void {
    const c = this.conversations.shown;
    if (c === null || !GROUP_ACTIONS.has(action.action) || ('group' in action && action.group !== undefined)) return this.send(action);
    if (c.kind === 'direct' && !live(c) && (action.action === 'exchange' || action.action === 'flip')) {
      return this.send({ action: 'direct', target: c.label, message: spokenLine(action.action, action.message).text });
    }
    if (c.group === null) return c.log.notice(`Write to ${c.label} first: that begins your conversation.`, 'error');
    this.send({ ...(action as GroupAction), group: c.group });
  }

  send(action: ClientAction): void {
    if (!this.link.send(action, this.requests.add(action))) {
      this.log.notice('Not connected: that was not sent. Reconnecting…', 'error');
      return;
    }
    if (action.action === 'register') this.account.registering(action.password);
    if (action.action === 'exchange' || action.action === 'flip') this.echo(action.action, action.message, action.group);
    this.user.sent(action);
    if (action.action === 'disconnect') this.left(action.group ?? this.conversations.shown?.group ?? null);
  }

  /** My own line, shown as the others will see it (the server does not echo it back). */
  private echo(kind: 'exchange' | 'flip', message: string, group: number | undefined): void {
    const { text, flipped } = spokenLine(kind, message);
    const c = group === undefined ? this.conversations.shown : (this.conversations.byGroup(group) ?? null);
    const privately = c?.kind === 'direct' ? { privately: `to ${c.label}` } : {};
    (c?.log ?? this.log).line({ name: this.me, front: 'web', text, at: new Date(), mine: true, flipped, ...privately });
    if (c) c.last = { name: this.me, text };
    this.conversations.render();
  }

  /** I left a group: it goes from the list, and the one the server moves my focus to is shown, saying so. */
  private left(group: number | null): void {
    const c = group === null ? undefined : this.conversations.byGroup(group);
    if (!c) return;
    const others = c.members.filter((m) => m.name !== this.me).map((m) => m.name);
    const next = this.conversations.shown === c ? this.conversations.latest(c) : this.conversations.shown;
    this.conversations.remove(c, next);
    const what = c.kind === 'adhoc' ? `the group${others.length > 0 ? ` with ${others.join(', ')}` : ''}` : described(c);
    this.log.notice(`You left ${what}.`);
    this.refreshRoster();
  }

  /** Closes a conversation the user is no longer in (or a private one never begun). */
  private close(c: Conversation): void {
    this.conversations.remove(c, null);
    const next = this.conversations.latest();
    if (next) this.pick(next);
  }

  /** The user chose a conversation (in the list, or by its person's Message button): it is shown, and the server's focus follows. */
  private pick(c: Conversation): void {
    this.showConversation(c);
    if (live(c)) {
      const action: ClientAction = { action: 'focus', target: c.label };
      this.link.send(action, this.requests.add(action, false));
    }
    this.el.line.focus();
  }

  showConversation(c: Conversation): void {
    this.drawer.close();
    this.conversations.show(c);
  }

  /** The roster's Message button: my private conversation with `name`, begun or not. */
  private message(name: string): void {
    this.pick(this.conversations.openDirect(name));
  }

  private refreshRoster(): void {
    const action: ClientAction = { action: 'list' };
    this.link.send(action, this.requests.add(action, false));
  }

  // --- events ---

  /** An event from the server; `label` names the request it answers (none for a push). */
  event(event: ServerEvent, label?: Label): void {
    const asked = this.requests.answered(label);
    const transition = this.user.apply(event);
    if (event.action === 'login' || event.action === 'register') this.account.answer(event);
    else showEvent(this, event, asked);
    if (transition.kind === 'logged-in') this.loggedIn(transition.name);
    if (event.action === 'connect' || event.action === 'leave' || event.action === 'disconnect') this.refreshRoster();
  }

  /** The group bar, the roster's idea of my groups, and the unread lines the drawer's button hides. */
  private showGroup(): void {
    const shown = this.conversations.shown;
    const all = this.conversations.all();
    const where = (c: Conversation): string => (c.kind === 'direct' ? 'in a private conversation with you' : `with you in ${c.kind === 'room' ? c.label : `group ${c.group}`}`);
    this.roster.setGroups(new Map(all.filter(live).map((c) => [c.group, where(c)])), live(shown) ? shown.group : null);
    this.drawer.count(all.reduce((n, c) => n + (c === shown ? 0 : c.log.unread), 0));
    showGroupBar(this.el, shown, this.account.name);
  }
}
