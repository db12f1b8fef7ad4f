/**
 * The terminal client: the classic client's screens and words, with a readline prompt that
 * keeps what you are typing when a message arrives. Replies and pushes are told apart by
 * their content, never by waiting, so a push can arrive at any moment.
 */
import { createConnection, type Socket } from 'node:net';
import { createInterface, clearLine, cursorTo, type Interface } from 'node:readline';
import { parseCommand } from '../core/commands.js';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import type { ClientAction, ServerEvent } from '../core/protocol.js';
import { pyDumps } from '../core/pyjson.js';
import { GOODBYE, MENU, NAME_PROMPT, renderEvent, renderTransition, WELCOME, welcomeUser } from '../core/render.js';
import { UserState } from '../core/user-state.js';
import type { ClientArgs } from './args.js';

type Io = { input: NodeJS.ReadableStream; output: NodeJS.WritableStream & { isTTY?: boolean } };

export class TerminalClient {
  private readonly state = new UserState();
  private readonly decoder = new FrameDecoder();
  /** Targets of requests awaiting their reply, per action, in the order they were sent. */
  private readonly asked = new Map<string, string[]>();
  private socket: Socket | null = null;
  private rl: Interface | null = null;
  private finished = false;
  private namePromptShown = false;

  constructor(
    private readonly args: ClientArgs,
    private readonly io: Io,
    private readonly exit: (code: number) => void,
  ) {}

  run(): void {
    this.io.output.write(`${WELCOME}\n`);
    const socket = createConnection({ host: this.args.host, port: this.args.port });
    this.socket = socket;
    socket.setNoDelay(true);
    socket.once('connect', () => this.startInput());
    socket.on('data', (chunk: Buffer) => this.receive(chunk));
    socket.on('error', (err) => {
      if (!this.rl) this.finish(`Cannot reach the chat server at ${this.args.host}:${this.args.port}: ${err.message}`, 1);
    });
    socket.on('close', () => this.finish('The chat server closed the connection.', 1));
  }

  private startInput(): void {
    const tty = this.io.output.isTTY === true;
    const rl = createInterface({ input: this.io.input, output: this.io.output, terminal: tty, prompt: NAME_PROMPT });
    this.rl = rl;
    rl.on('line', (line) => this.typed(line));
    rl.on('SIGINT', () => this.quit());
    rl.on('close', () => this.quit());
    this.prompt();
  }

  private prompt(): void {
    if (!this.rl) return;
    if (this.state.state === 'offline') {
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
    if (this.state.state === 'offline') {
      const name = line.trim();
      if (name === '') return this.prompt();
      return this.send({ action: 'login', name });
    }
    const command = parseCommand(line, this.state.mode);
    switch (command.kind) {
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
    const isReply = event.action !== 'connect' || event.status !== 'request';
    const target = isReply ? this.asked.get(event.action)?.shift() : undefined;
    const transition = this.state.apply(event);
    const text = renderEvent(event, target === undefined ? {} : { target });
    if (text !== null) this.print(text);
    if (transition.kind === 'logged-in') this.print(welcomeUser(transition.name));
    const shown = renderTransition(transition);
    if (shown !== null) this.print(shown);
    this.prompt();
  }

  private quit(): void {
    this.finish(GOODBYE, 0);
  }

  private finish(message: string, code: number): void {
    if (this.finished) return;
    this.finished = true;
    this.print(message);
    this.rl?.close();
    this.socket?.end();
    this.exit(code);
  }
}
