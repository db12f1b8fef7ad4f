/**
 * The chat page's controller: typed lines go through the shared command parser (the same
 * grammar as the terminal client), the shared user state machine follows the events, and
 * each event is rendered into the log, the roster or the group bar. Every request carries a
 * label, and an event that carries one back is its answer (requests.ts). The page shows one
 * group at a time (the classic view): a private conversation can be that group, and a private
 * line while it chats elsewhere is shown in its log, marked. After a lost connection
 * it logs in again under the same name and tells the user what changed. A registered name's
 * password is asked for when the server says the name needs it; it is kept in memory only,
 * to log in again after a lost connection (a reload asks for it again).
 */
import { spokenLine } from '../../../core/classic.js';
import { parseCommand } from '../../../core/commands.js';
import type { ClientAction, GroupKind, Label, ServerEvent } from '../../../core/protocol.js';
import { MENU } from '../../../core/render.js';
import { UserState, type Transition } from '../../../core/user-state.js';
import { helpCard } from './cards.js';
import { showEvent, transitionNotice, type EventHost } from './event-view.js';
import { showGroupBar } from './group-bar.js';
import { LogView } from './log-view.js';
import { linkStatus, type Link, type LinkState } from './link.js';
import { RegisterDialog } from './register-dialog.js';
import { Recall } from './recall.js';
import { Requests } from './requests.js';
import { RosterView } from './roster-view.js';
import type { Elements } from './main.js';

/** How often the roster is refreshed while the page is visible (presence pushes keep it live in between). */
const ROSTER_REFRESH_MS = 15_000;
/** While the server still holds the old session's name, an automatic login tries again this often... */
const RELOGIN_RETRY_MS = 2000;
/** ...this many times after a lost connection (the server drops a dead session within two heartbeats)... */
const RELOGIN_TRIES_AFTER_LOSS = 15;
/** ...and this many times after a reload (the old page closed its socket; a copied tab never will). */
const RELOGIN_TRIES_AFTER_LOAD = 2;
const NAME_KEY = 'ics-chat-name';
/** The answer to `w`: moving the focus by hand would leave the page showing another group than the one its lines go to. */
const ONE_GROUP = 'The page shows one group at a time: type bye to leave this one, then c or j to go to another.';

export class App implements EventHost {
  private user = new UserState();
  private link!: Link;
  readonly log: LogView;
  readonly roster: RosterView;
  /** The name to log in with again after a reconnect; null until a login succeeded. */
  private name: string | null = sessionStorage.getItem(NAME_KEY);
  /** Set when the connection was lost while logged in: the next login says it reconnected. */
  private reconnecting = false;
  /** The server said it is restarting: until the link is back, the drop is that, not a fault. */
  private serverRestarting = false;
  /** How many more times an automatic login retries a name in use (0 for a login by hand). */
  private reloginsLeft = 0;
  private readonly requests = new Requests();
  /** My group's kind, room name (`#lobby`) and topic, which the shared state machine does not keep. */
  private kind: GroupKind | null = null;
  private room: string | null = null;
  private topic = '';
  private readonly recall: Recall;
  /** The box's hint is about a private line the Message button started. */
  private hinting = false;
  /** The password of the account logged in to (memory only), for logging in again after a lost connection. */
  private password: string | null = null;
  /** The password sent with the login or registration awaiting its reply. */
  private pendingPassword: string | null = null;
  /** What the login reply said besides ok (a password given for an unregistered name). */
  private loginNote: string | null = null;
  private registered = false;
  private readonly registerDialog: RegisterDialog;

  constructor(private readonly el: Elements) {
    this.log = new LogView(el.log, el.jump);
    this.registerDialog = new RegisterDialog((password) => this.register(password));
    el.registerOpen.addEventListener('click', () => this.registerDialog.open(this.name ?? ''));
    el.passwordShow.addEventListener('click', () => this.askPassword());
    this.roster = new RosterView(el.roster, el.onlineCount, (name) => this.send({ action: 'connect', target: name }), (name) => this.message(name));
    el.loginForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.login(el.name.value.trim());
    });
    el.compose.addEventListener('submit', (e) => {
      e.preventDefault();
      this.typed(el.line.value);
    });
    this.recall = new Recall(el.line);
    el.searchForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const q = el.searchQuery.value.trim();
      if (q !== '') this.send({ action: 'search', target: q });
    });
    el.sonnetForm.addEventListener('submit', (e) => {
      e.preventDefault();
      const n = el.sonnetNumber.value.trim();
      if (n !== '') this.send({ action: 'poem', target: n });
    });
    el.leave.addEventListener('click', () => this.send({ action: 'disconnect' }));
    el.logout.addEventListener('click', () => this.logout());
    setInterval(() => {
      if (!document.hidden && this.user.state !== 'offline') this.refreshRoster();
    }, ROSTER_REFRESH_MS);
  }

  attach(link: Link): void {
    this.link = link;
  }

  // --- connection ---

  linkState(state: LinkState, retryInMs?: number, reason?: string): void {
    this.el.conn.dataset['state'] = state;
    if (state === 'online') this.serverRestarting = false;
    this.el.conn.textContent = linkStatus(state, retryInMs, reason, this.serverRestarting);
    if (state === 'offline' && this.user.state !== 'offline') this.lost();
  }

  /** The server forgot us: say so, and what that meant for the group. */
  private lost(): void {
    const group = this.user.group;
    this.user = new UserState();
    this.requests.clear();
    this.reconnecting = true;
    const why = this.serverRestarting ? 'The server is restarting' : 'Lost the connection to the server';
    this.log.notice(group === null ? `${why}. Reconnecting…` : `${why}, so you left group ${group}. Reconnecting…`, 'error');
    this.roster.replace([]);
    this.showGroup();
  }

  /** A (re)opened connection: log in again under the name that was in use. */
  opened(again: boolean): void {
    if (this.name === null) return;
    this.reloginsLeft = again ? RELOGIN_TRIES_AFTER_LOSS : RELOGIN_TRIES_AFTER_LOAD;
    this.loginAs(this.name);
  }

  // --- login ---

  private login(name: string): void {
    if (name === '') return this.loginError('Type a name first.');
    if (!this.link.online) return this.loginError('Not connected to the server yet; it retries by itself. Try again in a moment.');
    this.reloginsLeft = 0;
    this.el.loginButton.disabled = true;
    const password = this.el.password.value;
    this.el.password.value = '';
    this.loginAs(name, password === '' ? null : password);
  }

  private loginAs(name: string, password: string | null = this.password): void {
    const action: ClientAction = { action: 'login', name, features: ['events', 'presence'], ...(password === null ? {} : { password }) };
    this.pendingPassword = password;
    this.user.sent(action);
    this.link.send(action, this.requests.add(action));
  }

  /** Shows the password field (the server said the name needs it, or the user has one). */
  private askPassword(msg?: string): void {
    this.el.passwordRow.hidden = false;
    this.el.passwordShow.hidden = true;
    if (msg !== undefined) this.loginError(msg);
    this.el.password.focus();
  }

  private register(password: string): boolean {
    if (!this.link.online) return false;
    this.send({ action: 'register', password });
    return true;
  }

  private loginError(msg: string): void {
    this.el.loginError.textContent = msg;
    this.el.loginButton.disabled = false;
    this.el.name.focus();
  }

  private loggedIn(name: string): void {
    this.name = name;
    sessionStorage.setItem(NAME_KEY, name);
    this.showRegistered();
    this.el.passwordRow.hidden = true;
    this.el.passwordShow.hidden = false;
    this.el.loginView.hidden = true;
    this.el.chatView.hidden = false;
    this.el.me.hidden = false;
    this.el.meName.textContent = name;
    this.el.loginButton.disabled = false;
    this.el.loginError.textContent = '';
    this.roster.setMe(name);
    this.showGroup();
    if (this.reconnecting) this.log.notice(`Reconnected: you are back online as ${name}.`, 'good');
    else this.log.notice(`Welcome, ${name}! Choose someone on the left to chat with, or type help for the commands.`, 'good');
    if (this.loginNote) this.log.notice(`${this.loginNote}.`);
    this.loginNote = null;
    this.reconnecting = false;
    this.refreshRoster();
    this.el.line.focus();
  }

  private showRegistered(): void {
    this.el.meRegistered.hidden = !this.registered;
    this.el.registerOpen.hidden = this.registered;
  }

  private logout(): void {
    this.link.close();
    this.name = null;
    this.password = null;
    this.registered = false;
    this.registerDialog.close();
    sessionStorage.removeItem(NAME_KEY);
    this.user = new UserState();
    this.requests.clear();
    this.log.clear();
    this.el.chatView.hidden = true;
    this.el.me.hidden = true;
    this.el.loginView.hidden = false;
    this.el.name.focus();
    this.link.connect();
  }

  // --- typing ---

  private typed(line: string): void {
    if (this.user.state === 'offline') return;
    const command = parseCommand(line, this.user.mode);
    switch (command.kind) {
      case 'send':
        if (command.actions.some((a) => a.action === 'focus')) return this.log.notice(ONE_GROUP, 'error');
        if (!this.link.online) {
          this.log.notice('Not connected, so that was not sent (it is still in the box). Reconnecting…', 'error');
          return;
        }
        for (const action of command.actions) this.send(action);
        // A line that carried a password is not kept for recall.
        if (command.actions.some((a) => a.action === 'register')) {
          this.el.line.value = '';
          return;
        }
        break;
      case 'register':
        this.el.line.value = '';
        return this.registerDialog.open(this.name ?? '');
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
    if (this.hinting) this.showGroup();
  }

  send(action: ClientAction): void {
    if (!this.link.send(action, this.requests.add(action))) {
      this.log.notice('Not connected: that was not sent. Reconnecting…', 'error');
      return;
    }
    if (action.action === 'register') this.pendingPassword = action.password;
    if (action.action === 'exchange' || action.action === 'flip') this.echo(action.action, action.message);
    this.transition(this.user.sent(action));
  }

  /** My own line, shown as the others will see it (the server does not echo it back). */
  private echo(kind: 'exchange' | 'flip', message: string): void {
    const { text, flipped } = spokenLine(kind, message);
    const privately = this.kind === 'direct' ? { privately: `to ${this.user.peer}` } : {};
    this.log.line({ name: this.name ?? '', front: 'web', text, at: new Date(), mine: true, flipped, ...privately });
  }

  /** The roster's Message button: the composer, ready for a private line to `name` (a command even while chatting). */
  private message(name: string): void {
    this.el.line.value = `${this.user.mode === 'chat' ? '/' : ''}m ${name} `;
    this.el.line.focus();
    this.el.lineHint.textContent = `Type your private line to ${name} and press Enter: only ${name} sees it.`;
    this.hinting = true;
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
    if (event.action === 'connect' && (transition.kind === 'connected' || transition.kind === 'joined-by')) {
      this.kind = event.kind ?? null;
      this.room = event.room ?? null;
      this.topic = (event.status === 'success' && event.topic) || '';
    }
    if (event.action === 'login' || event.action === 'register') this.account(event);
    else showEvent(this, event, asked);
    this.transition(transition);
  }

  /** The answer to logging in or registering. */
  private account(event: Extract<ServerEvent, { action: 'login' | 'register' }>): void {
    switch (event.action) {
      case 'login':
        if (event.status === 'ok') {
          if (this.pendingPassword !== null && event.registered) this.password = this.pendingPassword;
          this.registered = event.registered === true;
          this.loginNote = event.msg ?? null;
          this.pendingPassword = null;
          return;
        }
        this.pendingPassword = null;
        if (event.status === 'duplicate' && event.credential === undefined && this.reloginsLeft > 0) {
          if (this.reconnecting && this.reloginsLeft === RELOGIN_TRIES_AFTER_LOSS) this.log.notice(`The server still holds your old session as ${this.name}; waiting for it to let go…`);
          this.reloginsLeft--;
          setTimeout(() => this.link.online && this.name !== null && this.loginAs(this.name), RELOGIN_RETRY_MS);
          return;
        }
        this.reloginsLeft = 0;
        if (!this.el.chatView.hidden) this.logout();
        this.reconnecting = false;
        this.password = null;
        if (this.name !== null) this.el.name.value = this.name;
        if (event.status === 'duplicate' && event.credential === 'password') return this.askPassword(`${this.el.name.value.trim()} is registered: type its password, or pick another name.`);
        if (event.status === 'denied') return this.askPassword(`${event.msg[0]!.toUpperCase()}${event.msg.slice(1)}.`);
        if (event.status === 'duplicate' && event.credential !== undefined) {
          return this.loginError(`${this.el.name.value.trim()} belongs to a ${event.credential} user. Pick another name.`);
        }
        return this.loginError(event.status === 'duplicate' ? `${event.msg ?? 'That name is in use'}. Pick another name.` : `${event.msg}.`);
      case 'register':
        if (event.status === 'ok') {
          this.password = this.pendingPassword;
          this.registered = true;
          this.showRegistered();
          this.registerDialog.close();
        } else if (this.registerDialog.isOpen) this.registerDialog.refused(event.msg);
        this.pendingPassword = null;
        return this.log.notice(event.status === 'ok' ? `${event.msg}.` : `Not registered: ${event.msg}.`, event.status === 'ok' ? 'good' : 'error');
    }
  }

  get me(): string {
    return this.name ?? '';
  }

  topicChanged(topic: string): void {
    this.topic = topic;
    this.showGroup();
  }

  restarting(): void {
    this.serverRestarting = true;
  }

  private transition(t: Transition): void {
    switch (t.kind) {
      case 'logged-in':
        return this.loggedIn(t.name);
      case 'connected':
      case 'joined-by':
      case 'member-joined':
      case 'left': {
        const said = transitionNotice(t, { kind: this.kind, room: this.room, group: this.user.group });
        this.log.notice(said.text, said.tone);
        if (t.kind === 'connected') this.el.line.focus();
        break;
      }
      case 'member-left':
      case 'dissolved':
        break;
      case 'none':
        return;
    }
    this.showGroup();
    this.refreshRoster();
  }

  /** The group bar, the roster's idea of my group, and what the message box means now. */
  private showGroup(): void {
    this.hinting = false;
    const { group, members } = this.user;
    if (group === null) {
      this.kind = null;
      this.room = null;
      this.topic = '';
    }
    this.roster.setGroup(group);
    if (group !== null) this.roster.grouped(members, group);
    const { kind, room, topic } = this;
    showGroupBar(this.el, { group, kind, room, topic, members, peer: this.user.peer, me: this.name, chatting: this.user.state === 'chatting' });
  }
}
