/**
 * One chat user on any of the socket fronts behind one small interface, for tests that mix
 * native TCP, IRC and WebSocket users in the same groups: join a room, say a line, and read
 * back the chat lines and the refusals that reached the user, in that front's own medium.
 */
import { ClassicClient, type Frame } from './classic-client.js';
import { RawIrc } from './irc-raw.js';
import { WsClient } from './ws-client.js';

export interface Chatter {
  readonly name: string;
  /** Joins (or opens) a room such as `#tea`. */
  join(room: string): Promise<void>;
  say(text: string): void;
  /** The text of every chat line received so far. */
  received(): string[];
  /** The text of every error that told this user their line was not stored. */
  refusals(): string[];
  /** Resolves once everything the server sent before now has arrived. */
  sync(): Promise<void>;
  closed(): boolean;
  /** Closes the connection. */
  close(): void;
}

const JOIN_MS = 20_000;

function fromFrames(frames: () => Frame[]): Pick<Chatter, 'received' | 'refusals'> {
  return {
    received: () => frames().filter((f) => f.action === 'exchange').map((f) => String(f['message'])),
    refusals: () => frames().filter((f) => f.action === 'error' && f['code'] === 'not-stored' && f['for'] === 'exchange').map((f) => String(f['msg'])),
  };
}

/** What the native and WebSocket test clients have in common: one JSON object per request and per event. */
interface JsonClient {
  send(action: Record<string, unknown>): void;
  next(action?: string, timeoutMs?: number): Promise<Frame>;
  sync(): Promise<void>;
  readonly closed: boolean;
  close(): void;
}

function jsonChatter<C extends JsonClient>(client: C, name: string, frames: () => Frame[]): Chatter & { client: C } {
  return {
    name,
    client,
    async join(room) {
      client.send({ action: 'connect', target: room });
      const reply = await client.next('connect', JOIN_MS);
      if (reply['status'] !== 'success') throw new Error(`${name} could not join ${room}: ${JSON.stringify(reply)}`);
    },
    say: (text) => client.send({ action: 'exchange', message: text }),
    ...fromFrames(frames),
    sync: () => client.sync(),
    closed: () => client.closed,
    close: () => client.close(),
  };
}

export async function tcpChatter(port: number, name: string): Promise<Chatter & { client: ClassicClient }> {
  const c = await ClassicClient.login(port, name);
  return jsonChatter(c, name, () => c.frames);
}

export async function wsChatter(port: number, name: string): Promise<Chatter & { client: WsClient }> {
  const c = await WsClient.login(port, name);
  return jsonChatter(c, name, () => c.events);
}

/** An IRC user; its channel's lines are PRIVMSGs, and a refusal is a NOTICE from the service. */
export async function ircChatter(port: number, name: string): Promise<Chatter & { client: RawIrc }> {
  const c = await RawIrc.register(port, name);
  // `expect` and `sync` consume lines; what they pass over is kept here.
  const seen: string[] = [];
  const all = (): string[] => [...seen, ...c.lines];
  let channel = '';
  return {
    name,
    client: c,
    async join(room) {
      c.send(`JOIN ${room}`);
      await c.expect(new RegExp(`^:${name}!\\S+ JOIN :${room}$`), JOIN_MS);
      channel = room;
    },
    say: (text) => c.send(`PRIVMSG ${channel} :${text}`),
    received: () => all().flatMap((l) => new RegExp(` PRIVMSG ${channel} :(.*)$`).exec(l)?.[1] ?? []),
    refusals: () => all().flatMap((l) => /^:ics!\S+ NOTICE \S+ :(.*could not be stored.*)$/.exec(l)?.[1] ?? []),
    sync: async () => void seen.push(...(await c.sync())),
    closed: () => c.closed,
    close: () => c.close(),
  };
}
