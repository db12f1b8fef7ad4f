/**
 * Logging in and keeping a name: the login form, the account in the top bar, the register
 * dialog, and logging in again under the same name after a lost connection or a reload. A
 * registered name's password is asked for when the server says the name needs it; it is kept
 * in memory only, to log in again after a lost connection (a reload asks for it again).
 */
import type { ClientAction, Feature, ServerEvent } from '../../../core/protocol.js';
import type { Link } from './link.js';
import type { Elements } from './main.js';
import { RegisterDialog } from './register-dialog.js';

/** While the server still holds the old session's name, an automatic login tries again this often... */
const RELOGIN_RETRY_MS = 2000;
/** ...this many times after a lost connection (the server drops a dead session within two heartbeats)... */
const RELOGIN_TRIES_AFTER_LOSS = 15;
/** ...and this many times after a reload (the old page closed its socket; a copied tab never will). */
const RELOGIN_TRIES_AFTER_LOAD = 2;
const NAME_KEY = 'ics-chat-name';
/** The page shows many conversations at once, hears who comes and goes, and every leave. */
const FEATURES: Feature[] = ['events', 'presence', 'rooms'];

/** What the account needs of the app. */
export interface AccountHost {
  readonly link: Link;
  /** Sends an action with a fresh label. */
  send(action: ClientAction): void;
  /** A notice in the pane on screen. */
  notice(text: string, tone?: 'plain' | 'good' | 'error'): void;
  /** Back to the login form. */
  logout(): void;
}

export class Account {
  /** The name to log in with again after a reconnect; null until a login succeeded. */
  name: string | null = sessionStorage.getItem(NAME_KEY);
  /** Set when the connection was lost while logged in: the next login says it reconnected. */
  reconnecting = false;
  /** What the login reply said besides ok (a password given for an unregistered name). */
  note: string | null = null;
  /** How many more times an automatic login retries a name in use (0 for a login by hand). */
  private reloginsLeft = 0;
  /** The password of the account logged in to (memory only), for logging in again after a lost connection. */
  private password: string | null = null;
  /** The password sent with the login or registration awaiting its reply. */
  private pendingPassword: string | null = null;
  /** Logged in to an account: its rooms and conversations outlive the connection. */
  registered = false;
  readonly registerDialog: RegisterDialog;

  constructor(
    private readonly el: Elements,
    private readonly host: AccountHost,
  ) {
    this.registerDialog = new RegisterDialog((password) => this.register(password));
    el.registerOpen.addEventListener('click', () => this.registerDialog.open(this.name ?? ''));
    el.passwordShow.addEventListener('click', () => this.askPassword());
    el.loginForm.addEventListener('submit', (e) => {
      e.preventDefault();
      this.login(el.name.value.trim());
    });
  }

  /** A (re)opened connection: log in again under the name that was in use. */
  opened(again: boolean): void {
    if (this.name === null) return;
    this.reloginsLeft = again ? RELOGIN_TRIES_AFTER_LOSS : RELOGIN_TRIES_AFTER_LOAD;
    this.loginAs(this.name);
  }

  private login(name: string): void {
    if (name === '') return this.loginError('Type a name first.');
    if (!this.host.link.online) return this.loginError('Not connected to the server yet; it retries by itself. Try again in a moment.');
    this.reloginsLeft = 0;
    this.el.loginButton.disabled = true;
    const password = this.el.password.value;
    this.el.password.value = '';
    this.loginAs(name, password === '' ? null : password);
  }

  private loginAs(name: string, password: string | null = this.password): void {
    this.pendingPassword = password;
    this.host.send({ action: 'login', name, features: FEATURES, ...(password === null ? {} : { password }) });
  }

  /** Shows the password field (the server said the name needs it, or the user has one). */
  private askPassword(msg?: string): void {
    this.el.passwordRow.hidden = false;
    this.el.passwordShow.hidden = true;
    if (msg !== undefined) this.loginError(msg);
    this.el.password.focus();
  }

  private register(password: string): boolean {
    if (!this.host.link.online) return false;
    this.host.send({ action: 'register', password });
    return true;
  }

  /** A registration is going out (from the dialog, or typed `register <password>`). */
  registering(password: string): void {
    this.pendingPassword = password;
  }

  private loginError(msg: string): void {
    this.el.loginError.textContent = msg;
    this.el.loginButton.disabled = false;
    this.el.name.focus();
  }

  /** Logged in as `name`: the chat view and the account in the top bar. */
  loggedIn(name: string): void {
    this.name = name;
    sessionStorage.setItem(NAME_KEY, name);
    this.showRegistered();
    this.el.passwordRow.hidden = true;
    this.el.passwordShow.hidden = false;
    this.el.loginView.hidden = true;
    this.el.chatView.hidden = false;
    this.el.me.hidden = false;
    this.el.menu.hidden = false;
    this.el.meName.textContent = name;
    this.el.loginButton.disabled = false;
    this.el.loginError.textContent = '';
  }

  private showRegistered(): void {
    this.el.meRegistered.hidden = !this.registered;
    this.el.registerOpen.hidden = this.registered;
  }

  /** Logged out: the name and password are forgotten, and the login form is back. */
  loggedOut(): void {
    this.name = null;
    this.password = null;
    this.registered = false;
    this.registerDialog.close();
    sessionStorage.removeItem(NAME_KEY);
    this.el.chatView.hidden = true;
    this.el.me.hidden = true;
    this.el.menu.hidden = true;
    this.el.loginView.hidden = false;
    this.el.name.focus();
  }

  /** The answer to logging in or registering. */
  answer(event: Extract<ServerEvent, { action: 'login' | 'register' }>): void {
    switch (event.action) {
      case 'login':
        if (event.status === 'ok') {
          if (this.pendingPassword !== null && event.registered) this.password = this.pendingPassword;
          this.registered = event.registered === true;
          this.note = event.msg ?? null;
          this.pendingPassword = null;
          return;
        }
        return this.refused(event);
      case 'register':
        if (event.status === 'ok') {
          this.password = this.pendingPassword;
          this.registered = true;
          this.showRegistered();
          this.registerDialog.close();
        } else if (this.registerDialog.isOpen) this.registerDialog.refused(event.msg);
        this.pendingPassword = null;
        return this.host.notice(event.status === 'ok' ? `${event.msg}.` : `Not registered: ${event.msg}.`, event.status === 'ok' ? 'good' : 'error');
    }
  }

  private refused(event: Extract<ServerEvent, { action: 'login' }>): void {
    this.pendingPassword = null;
    if (event.status === 'duplicate' && event.credential === undefined && this.reloginsLeft > 0) {
      if (this.reconnecting && this.reloginsLeft === RELOGIN_TRIES_AFTER_LOSS) this.host.notice(`The server still holds your old session as ${this.name}; waiting for it to let go…`);
      this.reloginsLeft--;
      setTimeout(() => this.host.link.online && this.name !== null && this.loginAs(this.name), RELOGIN_RETRY_MS);
      return;
    }
    this.reloginsLeft = 0;
    const name = this.name;
    if (!this.el.chatView.hidden) this.host.logout();
    this.reconnecting = false;
    this.password = null;
    if (name !== null) this.el.name.value = name;
    const typed = this.el.name.value.trim();
    if (event.status === 'duplicate' && event.credential === 'password') return this.askPassword(`${typed} is registered: type its password, or pick another name.`);
    if (event.status === 'denied') return this.askPassword(`${event.msg[0]!.toUpperCase()}${event.msg.slice(1)}.`);
    if (event.status === 'duplicate' && event.credential !== undefined) return this.loginError(`${typed} belongs to a ${event.credential} user. Pick another name.`);
    this.loginError(event.status === 'duplicate' ? `${event.msg ?? 'That name is in use'}. Pick another name.` : `${event.msg}.`);
  }
}
