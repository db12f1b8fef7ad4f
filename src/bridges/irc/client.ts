/**
 * What a command handler sees of one IRC client: its registration state, its reply buffer, its
 * mirror of the groups it is in, and how to ask the hub. Handlers import this interface, never
 * the session class, so the session -> verbs -> commands graph has no loop back.
 */
import type { Clock } from '../../core/clock.js';
import type { Logger } from '../../core/log.js';
import type { ClientAction, ServerEvent } from '../../core/protocol.js';
import type { AuthResult, Session, SessionOptions } from '../../core/session.js';
import type { IrcConfig } from '../../server/config.js';
import { Idents, WhoWas, type Ident } from './ident.js';
import type { ChannelMirror } from './outbound.js';
import type { ReplyBuffer } from './reply-buffer.js';

/** The service user that answers commands. */
export const SERVICE_NICK = 'ics';

/** What all connections of the front share. */
export interface IrcShared {
  readonly config: IrcConfig;
  /** The message of the day, a line per entry; none: 422. */
  readonly motd: readonly string[];
  readonly startedAt: Date;
  readonly clock: Clock;
  readonly log: Logger;
  /** What USER said of this front's registered users, by name. */
  readonly idents: Idents;
  /** Nicks given up lately (WHOWAS). */
  readonly whowas: WhoWas;
  /** The front's registered clients (told of each other's SETNAME, ACCOUNT and CHGHOST). */
  readonly clients: Set<IrcClient>;
  /** Connections that have not registered yet (LUSERS 253). */
  unregistered(): number;
  /** The most users seen online at once (LUSERS 265, 266), raised as `now` passes it. */
  peak(now: number): number;
  open(options: SessionOptions): Session;
}

/** What the front's shared state is made from. */
export type SharedBase = Omit<IrcShared, 'idents' | 'whowas' | 'clients' | 'peak' | 'unregistered'> & { unregistered?: () => number };

/** The state all connections of one front share, with empty records of idents and gone nicks. */
export function sharedState(base: SharedBase): IrcShared {
  let most = 0;
  return {
    unregistered: () => 0,
    ...base,
    idents: new Idents(),
    whowas: new WhoWas(),
    clients: new Set(),
    peak: (now) => (most = Math.max(most, now)),
  };
}

export type ListEvent = Extract<ServerEvent, { action: 'list' }>;

/** One IRC client as its command handlers use it. */
export interface IrcClient {
  /** The nick asked for before registration; the chat name after. */
  nick: string | null;
  /** Set by USER (as given); registration waits for it. */
  username: string | null;
  /** Set by USER, as given (SETNAME changes it); empty before. */
  realname: string;
  /** Who this user is on IRC, once registered. */
  readonly ident: Ident | null;
  registered: boolean;
  /** CAP LS or REQ was seen before registration: registration waits for CAP END. */
  capNegotiating: boolean;
  /** From PASS: the password of the nick's account, checked when registration completes. */
  password: string | null;
  /** The account this connection proved it holds (SASL or PASS); its name becomes the nick. */
  account: string | null;
  /** A SASL PLAIN exchange: the base64 received so far; null when none is under way. */
  sasl: string | null;
  readonly closed: boolean;
  readonly caps: ReadonlySet<string>;
  /** Turns a capability on or off (CAP REQ; CAP LS 302 turns `cap-notify` on). */
  setCap(cap: string, on: boolean): void;
  /** The CAP version the client announced in `CAP LS` (302 gets values and `cap-notify`); 0 before. */
  capVersion: number;
  /** The tags chat lines carry for this client (LineTag bits in outbound.ts). */
  readonly lineTags: number;
  /** `caps` changed: what follows from them is worked out again. */
  capsChanged(): void;
  readonly userModes: ReadonlySet<string>;
  setUserMode(mode: string, on: boolean): void;
  readonly out: ReplyBuffer;
  readonly mirror: ChannelMirror;
  readonly shared: IrcShared;
  readonly serverName: string;
  /** This user's own mask. */
  readonly mask: string;
  /** Checks the password of an account before registration (SASL, PASS). */
  authenticate(name: string, password: string): Promise<AuthResult>;
  /** Dispatches an action; resolves with the events that answer it (pushes go to the mirror). */
  ask(action: ClientAction): Promise<ServerEvent[]>;
  /** Sends an action whose answers, if any, are told as they come (a chat line's only answer is a refusal). */
  send(action: ClientAction): void;
  /** Who is online and which groups exist, right now. */
  lookup(): Promise<ListEvent>;
  /** Registration is complete: the user is on IRC under its nick with what USER gave. */
  welcomed(): void;
  /** The hub renamed this user: the client, its channels and the front's records follow. */
  renamed(name: string): void;
  /** Renders an answer as the terminal client would, one notice from `ics` per line. */
  tell(event: ServerEvent, target?: string): void;
  /** The same, shown in `channel`: the window of the command that names it. */
  tellIn(channel: string, event: ServerEvent): void;
  /** A chat line of the command under way was taken: with `echo-message` its echo is the command's answer. */
  said(): void;
  /**
   * Writes lines serialised already (with CR LF) as one batch of `type` (`BATCH +id type ...params`,
   * each line tagged with it) for a client with `batch`, as plain lines for the others.
   */
  batch(type: string, params: string[], lines: readonly string[]): void;
  /** RPL_LOGGEDIN: the connection now holds the account `name`. */
  loggedIn(name: string): void;
  /** Ends the connection with `ERROR :text`; `reason`, what the user's channels are told. */
  quit(text: string, reason?: string): void;
  /** Anyone's `nick!user@host`. */
  maskOf(name: string, front: string): string;
}
