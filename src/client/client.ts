/**
 * The terminal client: the classic client's screens and words, with a readline prompt that
 * keeps what you are typing when a message arrives. It logs in for many groups (`rooms`): typed
 * lines go to the focus, named in each request, and other groups' events are shown with their
 * label in front (screens.ts); in one group every screen is the classic one. Every request
 * carries a label and its answers come back with it, so a push can arrive at any moment and is
 * never taken for an answer. Passwords (for a registered name, or `register`) are read without
 * echo and kept out of the line history. When the server goes away (a restart, a crash) it says
 * so, reconnects with backoff and logs in again under the same name, with the password typed
 * for it, if any.
 */
import { createConnection, type Socket } from 'node:net';
import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { parseCommand } from '../core/commands.js';
import { passwordProblem } from '../core/password-rule.js';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import type { ClientAction, Feature, GroupAction, Label, ServerEvent } from '../core/protocol.js';
import { pyDumps } from '../core/pyjson.js';
import { GOODBYE, MENU, NAME_PROMPT, renderEvent, renderTransition, WELCOME, welcomeUser } from '../core/render.js';
import { UserState } from '../core/user-state.js';
import type { ClientArgs } from './args.js';
import { MutedOutput } from './muted-output.js';
import { elsewhere, lineElsewhere, MANY_GROUPS_HELP, roomsText, searchText } from './screens.js';

/** A password being asked for: to log in as `name`, or a new one (typed twice) to register. */
type Secret = { kind: 'login'; name: string } | { kind: 'new' } | { kind: 'repeat'; first: string };

/** What an answer needs of its request: what the user typed (the classic screens repeat it), or that it was the automatic login after a reconnect. */
interface Asked {
  target?: string;
  relogin?: true;
}

/** The actions about one group (a record, so a new one is a compile error until listed): each names the focus the user sees. */
const GROUP_ACTIONS: Record<GroupAction['action'], true> = { exchange: true, flip: true, disconnect: true, topic: true, kick: true, invite: true, lock: true, mode: true, signal: true, edit: true, delete: true };
const isGroupAction = (action: ClientAction): action is GroupAction => Object.hasOwn(GROUP_ACTIONS, action.action);

/** Many groups, the leaves of its groups' members, and who comes and goes. */
const FEATURES: Feature[] = ['events', 'presence', 'rooms'];

/** The wait before each new attempt to reach a server that went away doubles from the first, up to the last. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5000;

type Io = { input: NodeJS.ReadableStream; output: NodeJS.WritableStream & { isTTY?: boolean } };

export class TerminalClient {
  private state = new UserState();
  private decoder = new FrameDecoder();
  /** Requests whose answers need them, by label, until answered. */
  private readonly asked = new Map<Label, Asked>();
  private lastLabel = 0;
  private socket: Socket | null = null;
  /** A connection is open (false while reconnecting). */
  private linked = false;
  /** Attempts since the connection was lost, for the backoff. */
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  /** Who to log in as again after a reconnect: the name logged in under, and its password if one was typed. */
  private identity: { name: string; password: string | null } | null = null;
  /** The password sent with the login or registration awaiting its reply. */
  private pendingPassword: string | null = null;
  private rl: Interface | null = null;
  private finished = false;
  private namePromptShown = false;
  /** The name of the last login request, for its password. */
  private loginName = '';
  /** Set while the next line typed is a password. */
  private asking: { secret: Secret; prompt: string } | null = null;
  private readonly rlOutput: MutedOutput;

  constructor(
    private readonly args: ClientArgs,
    private readonly io: Io,
    private readonly exit: (code: number) => void,
  ) {
    this.rlOutput = new MutedOutput(io.output);
  }

  run(): void {
    this.io.output.write(`${WELCOME}\n`);
    this.connect();
  }

  private connect(): void {
    this.retry = null;
    const socket = createConnection({ host: this.args.host, port: this.args.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.once('connect', () => this.opened());
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => {
      if (!this.rl) this.finish(`Cannot reach the chat server at ${this.args.host}:${this.args.port}: ${err.message}`, 1);
    });
    socket.on('close', () => this.lost());
  }

  private opened(): void {
    this.linked = true;
    this.attempt = 0;
    if (!this.rl) return this.startInput();
    if (this.identity) {
      this.loginName = this.identity.name;
      return this.sendLogin(this.identity.name, this.identity.password, true);
    }
    this.print('Reconnected.');
    this.prompt();
  }

  /** The connection closed: once it was up, say so and start over offline; then try again after a while. */
  private lost(): void {
    this.socket = null;
    if (this.finished) return;
    if (this.linked) {
      this.linked = false;
      const group = this.state.group;
      const several = this.state.groups.size > 1;
      this.state = new UserState();
      this.decoder = new FrameDecoder();
      this.asked.clear();
      this.asking = null;
      this.rlOutput.muted = false;
      this.namePromptShown = false;
      const ended = several ? ', so your groups ended' : group === null ? '' : `, so group ${group} ended`;
      this.print(`The server went away${ended}; reconnecting... (q quits)`);
    }
    const delay = Math.min(RECONNECT_MAX_MS, RECONNECT_FIRST_MS * 2 ** this.attempt++);
    this.retry = setTimeout(() => this.connect(), delay);
  }

  private startInput(): void {
    const tty = this.io.output.isTTY === true;
    const rl = createInterface({ input: this.io.input, output: this.rlOutput, terminal: tty, prompt: NAME_PROMPT });
    this.rl = rl;
    // The documented way to keep a line out of the history: take it out as it is added.
    rl.on('history', (history) => {
      if (this.asking) history.shift();
    });
    rl.on('line', (line) => this.typed(line));
    rl.on('SIGINT', () => this.quit());
    rl.on('close', () => this.quit());
    this.prompt();
  }

  private prompt(): void {
    if (!this.rl) return;
    if (this.asking) {
      // Written past readline, which is muted: its redraw would show what was typed so far.
      this.rl.setPrompt('');
      this.io.output.write(this.io.output.isTTY ? this.asking.prompt : `${this.asking.prompt}\n`);
    } else if (this.state.state === 'offline') {
      this.rl.setPrompt(NAME_PROMPT);
      if (this.io.output.isTTY) this.rl.prompt();
      else if (!this.namePromptShown) this.io.output.write(`${NAME_PROMPT}\n`);
      this.namePromptShown = true;
    } else {
      this.rl.setPrompt('');
      if (this.io.output.isTTY) this.rl.prompt(true);
    }
  }

  /** Prints above the line being typed and redraws it. */
  private print(text: string): void {
    if (this.io.output.isTTY) {
      clearLine(this.io.output, 0);
      cursorTo(this.io.output, 0);
    }
    this.io.output.write(`${text}\n`);
  }

  private typed(line: string): void {
    if (!this.linked) {
      if (line.trim() === 'q') return this.quit();
      return this.print('Not connected: still reconnecting... (q quits)');
    }
    if (this.asking) return this.answered(line);
    if (this.state.state === 'offline') {
      const name = line.trim();
      if (name === '') return this.prompt();
      this.loginName = name;
      return this.sendLogin(name, null);
    }
    const command = parseCommand(line, this.state.mode, this.state.lookup);
    switch (command.kind) {
      case 'register':
        return this.ask({ kind: 'new' }, `Choose a password for ${this.state.name} (at least 8 characters; Enter alone cancels): `);
      case 'send':
        for (const action of command.actions) this.send(action);
        break;
      case 'help':
        this.print(`${MENU}${MANY_GROUPS_HELP}`);
        break;
      case 'unknown':
        this.print(MENU);
        break;
      case 'usage':
        this.print(command.msg);
        break;
      case 'quit':
        return this.quit();
      case 'empty':
        break;
    }
    this.prompt();
  }

  /** Asks for a password: what is typed next is not echoed, nor kept in the history. */
  private ask(secret: Secret, prompt: string): void {
    this.asking = { secret, prompt };
    this.rlOutput.muted = true;
    this.prompt();
  }

  private answered(password: string): void {
    const { secret } = this.asking!;
    this.asking = null;
    this.rlOutput.muted = false;
    if (this.io.output.isTTY) this.io.output.write('\n');
    if (password === '') {
      this.print(secret.kind === 'login' ? 'No password given: choose another name.' : 'Nothing was registered.');
      return this.prompt();
    }
    switch (secret.kind) {
      case 'login':
        this.sendLogin(secret.name, password);
        break;
      case 'new': {
        const problem = passwordProblem(password);
        if (problem) {
          this.print(`Not registered: ${problem}.`);
          break;
        }
        return this.ask({ kind: 'repeat', first: password }, 'Type the same password again: ');
      }
      case 'repeat':
        if (password === secret.first) {
          this.pendingPassword = password;
          this.send({ action: 'register', password });
        }
        else this.print('The two passwords differ, so nothing was registered. Type register to try again.');
        break;
    }
    this.prompt();
  }

  private sendLogin(name: string, password: string | null, relogin = false): void {
    this.pendingPassword = password;
    const login: ClientAction = password === null ? { action: 'login', name, features: FEATURES } : { action: 'login', name, password, features: FEATURES };
    this.send(login, relogin ? { relogin } : {});
  }

  /** Sends a request under a fresh label; `asked` is kept for its answer when the screens need it. */
  private send(typed: ClientAction, asked: Asked = {}): void {
    const action = this.toFocus(typed);
    const label = String(++this.lastLabel);
    if (action.action === 'poem' || action.action === 'search' || action.action === 'connect' || action.action === 'sonnets') asked.target = action.target;
    if (asked.target !== undefined || asked.relogin) this.asked.set(label, asked);
    this.socket?.write(encodeFrame(pyDumps({ ...action, label })));
    const shown = renderTransition(this.state.sent(action));
    if (shown !== null) this.print(shown);
  }

  /** An action about a group names the focus the user sees, so a focus change in flight cannot misdirect it. */
  private toFocus(action: ClientAction): ClientAction {
    const group = this.state.group;
    if (group === null || !isGroupAction(action) || action.group !== undefined) return action;
    return { ...action, group };
  }

  private receive(chunk: Buffer): void {
    const { frames, error } = this.decoder.push(chunk);
    for (const text of frames) {
      let event: ServerEvent & { label?: unknown };
      try {
        event = JSON.parse(text) as ServerEvent & { label?: unknown };
      } catch {
        continue;
      }
      this.show(event, typeof event.label === 'string' ? event.label : undefined);
    }
    if (error) this.finish(`The server sent something unreadable (${error.msg}).`, 1);
  }

  /** Shows an event; `label` when it answers one of this client's requests. */
  private show(event: ServerEvent, label: Label | undefined): void {
    const asked = label === undefined ? undefined : this.asked.get(label);
    if (label !== undefined) this.asked.delete(label);
    if (event.action === 'login' && asked?.relogin) {
      if (event.status === 'ok') {
        const transition = this.state.apply(event);
        if (transition.kind === 'logged-in') this.loggedIn(transition.name);
        this.print(`Reconnected, logged in as ${this.state.name}.`);
        return this.prompt();
      }
      // The name is taken now (or its password changed): ask, as at the start.
      this.identity = null;
      this.print('Reconnected.');
    }
    if (event.action === 'register' && event.status === 'ok' && this.identity) this.identity.password = this.pendingPassword;
    if (event.action === 'login' && this.state.state === 'offline') {
      if (event.status === 'duplicate' && event.credential === 'password') {
        this.print(`${this.loginName} is registered: type its password, or just Enter to choose another name.`);
        return this.ask({ kind: 'login', name: this.loginName }, `Password for ${this.loginName}: `);
      }
      if (event.status === 'denied') {
        this.print(`${event.msg}, try again (or just Enter to choose another name).`);
        return this.ask({ kind: 'login', name: this.loginName }, `Password for ${this.loginName}: `);
      }
    }
    const where = elsewhere(event, this.state);
    const transition = this.state.apply(event);
    const text = this.text(event, where, asked);
    if (text !== null) this.print(where === null || event.action === 'exchange' ? text : `${where} ${text}`);
    if (transition.kind === 'logged-in') {
      this.loggedIn(transition.name);
      this.print(welcomeUser(transition.name));
    }
    const shown = renderTransition(transition);
    if (shown !== null) this.print(where === null ? shown : `${where} ${shown}`);
    this.prompt();
  }

  /** The screen for an event (a transition may add to it). */
  private text(event: ServerEvent, where: string | null, asked: Asked | undefined): string | null {
    if (where !== null && event.action === 'exchange') return lineElsewhere(event, where);
    if (event.action === 'rooms') return roomsText(event.groups, this.state.name);
    return (event.action === 'search' ? searchText(event) : null) ?? renderEvent(event, asked?.target === undefined ? {} : { target: asked.target });
  }

  /** Logged in (or back after a reconnect): a registered user's rooms and conversations come back, with what they missed. */
  private loggedIn(name: string): void {
    this.identity = { name, password: this.pendingPassword };
    this.send({ action: 'resume' });
  }

  private quit(): void {
    this.finish(GOODBYE, 0);
  }

  private finish(message: string, code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.print(message);
    if (this.retry) clearTimeout(this.retry);
    this.rl?.close();
    this.socket?.end();
    this.exit(code);
  }
}
