/**
 * The terminal client: the classic client's screens and words, with a readline prompt that
 * keeps what you are typing when a message arrives. Replies and pushes are told apart by
 * their content, never by waiting, so a push can arrive at any moment. Passwords (for a
 * registered name, or `register`) are read without echo and kept out of the line history.
 * When the server goes away (a restart, a crash) it says so, reconnects with backoff and logs
 * in again under the same name, with the password typed for it, if any.
 */
import { createConnection, type Socket } from 'node:net';
import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { parseCommand } from '../core/commands.js';
import { passwordProblem } from '../core/password-rule.js';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import type { ClientAction, ServerEvent } from '../core/protocol.js';
import { pyDumps } from '../core/pyjson.js';
import { GOODBYE, MENU, NAME_PROMPT, renderEvent, renderTransition, WELCOME, welcomeUser } from '../core/render.js';
import { UserState } from '../core/user-state.js';
import type { ClientArgs } from './args.js';
import { MutedOutput } from './muted-output.js';

/** A password being asked for: to log in as `name`, or a new one (typed twice) to register. */
type Secret = { kind: 'login'; name: string } | { kind: 'new' } | { kind: 'repeat'; first: string };

/** The wait before each new attempt to reach a server that went away doubles from the first, up to the last. */
const RECONNECT_FIRST_MS = 250;
const RECONNECT_MAX_MS = 5000;

type Io = { input: NodeJS.ReadableStream; output: NodeJS.WritableStream & { isTTY?: boolean } };

export class TerminalClient {
  private state = new UserState();
  private decoder = new FrameDecoder();
  /** Targets of requests awaiting their reply, per action, in the order they were sent. */
  private readonly asked = new Map<string, string[]>();
  private socket: Socket | null = null;
  /** A connection is open (false while reconnecting). */
  private linked = false;
  /** Attempts since the connection was lost, for the backoff. */
  private attempt = 0;
  private retry: NodeJS.Timeout | null = null;
  /** Who to log in as again after a reconnect: the name logged in under, and its password if one was typed. */
  private identity: { name: string; password: string | null } | null = null;
  /** The login in flight is the automatic one after a reconnect. */
  private relogin = false;
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
      this.relogin = true;
      this.loginName = this.identity.name;
      return this.sendLogin(this.identity.name, this.identity.password);
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
      this.state = new UserState();
      this.decoder = new FrameDecoder();
      this.asked.clear();
      this.relogin = false;
      this.asking = null;
      this.rlOutput.muted = false;
      this.namePromptShown = false;
      this.print(group === null ? 'The server went away; reconnecting... (q quits)' : `The server went away, so group ${group} ended; reconnecting... (q quits)`);
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
    const command = parseCommand(line, this.state.mode);
    switch (command.kind) {
      case 'register':
        return this.ask({ kind: 'new' }, `Choose a password for ${this.state.name} (at least 8 characters; Enter alone cancels): `);
      case 'send':
        for (const action of command.actions) this.send(action);
        break;
      case 'help':
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

  private sendLogin(name: string, password: string | null): void {
    this.pendingPassword = password;
    this.send(password === null ? { action: 'login', name } : { action: 'login', name, password });
  }

  private send(action: ClientAction): void {
    if (action.action === 'poem' || action.action === 'search' || action.action === 'connect' || action.action === 'sonnets') {
      const queue = this.asked.get(action.action) ?? [];
      queue.push(action.target);
      this.asked.set(action.action, queue);
    }
    this.socket?.write(encodeFrame(pyDumps(action)));
    const shown = renderTransition(this.state.sent(action));
    if (shown !== null) this.print(shown);
  }

  private receive(chunk: Buffer): void {
    const { frames, error } = this.decoder.push(chunk);
    for (const text of frames) {
      let event: ServerEvent;
      try {
        event = JSON.parse(text) as ServerEvent;
      } catch {
        continue;
      }
      this.show(event);
    }
    if (error) this.finish(`The server sent something unreadable (${error.msg}).`, 1);
  }

  private show(event: ServerEvent): void {
    if (event.action === 'login' && this.relogin) {
      this.relogin = false;
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
    const isReply = event.action !== 'connect' || event.status !== 'request';
    const target = isReply ? this.asked.get(event.action)?.shift() : undefined;
    const transition = this.state.apply(event);
    const text = renderEvent(event, target === undefined ? {} : { target });
    if (text !== null) this.print(text);
    if (transition.kind === 'logged-in') {
      this.loggedIn(transition.name);
      this.print(welcomeUser(transition.name));
    }
    const shown = renderTransition(transition);
    if (shown !== null) this.print(shown);
    this.prompt();
  }

  private loggedIn(name: string): void {
    this.identity = { name, password: this.pendingPassword };
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
