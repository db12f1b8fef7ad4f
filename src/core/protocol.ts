/**
 * The action protocol every front speaks: client actions in, server events out.
 * Classic keys and values come first and are never changed; everything this
 * project adds travels as extra keys or new actions (docs/PROTOCOL.md).
 */

/** Optional behaviours a client asks for at login (unknown ones are ignored). */
export type Feature = 'events' | 'presence';

export type ClientAction =
  | { action: 'login'; name: string; password?: string; features?: Feature[] }
  | { action: 'register'; password: string }
  | { action: 'time' }
  | { action: 'list' }
  | { action: 'poem'; target: string }
  | { action: 'sonnets'; target: string }
  | { action: 'search'; target: string }
  | { action: 'connect'; target: string }
  | { action: 'exchange'; message: string }
  | { action: 'flip'; message: string }
  | { action: 'ping'; message: string }
  | { action: 'disconnect'; reason?: string }
  | { action: 'topic'; topic?: string }
  | { action: 'kick'; target: string; reason?: string }
  | { action: 'invite'; target: string };

export type ActionName = ClientAction['action'];

/** A user as other users see them. `state` is the classic 0 (alone) / 1 (talking). */
export interface UserInfo {
  name: string;
  front: string;
  state: 0 | 1;
  group?: number;
}

export interface GroupInfo {
  id: number;
  members: string[];
  /** A named group's name, with its `#`. */
  room?: string;
  /** Who may kick from a named group (its creator, then the longest-standing member). */
  owner?: string;
  topic?: string;
}

/** A group member as events describe them. */
export interface MemberInfo {
  name: string;
  front: string;
}

export interface PoemData {
  number: number;
  title: string;
  lines: string[];
}

/** One stored chat line as search returns it. */
export interface HistoryLine {
  id: number;
  group: number;
  from: string;
  message: string;
  ts: string;
}

export interface SonnetHit {
  number: number;
  title: string;
  line: number;
  text: string;
}

/** Stable codes for expected failures (never exceptions). */
export type ErrorCode =
  | 'bad-frame'
  | 'bad-json'
  | 'bad-request'
  | 'unknown-action'
  | 'not-logged-in'
  | 'already-logged-in'
  | 'not-chatting'
  | 'not-stored'
  | 'unavailable'
  | 'not-allowed'
  | 'no-such-member'
  | 'too-large'
  | 'slow-consumer'
  | 'rate-limited'
  | 'server-full'
  | 'login-timeout'
  | 'internal';

export type ConnectStatus = 'success' | 'self' | 'no-user' | 'busy';

export type ServerEvent =
  | { action: 'login'; status: 'ok'; msg?: string; name?: string; registered?: true }
  /** `credential`, for a registered name: `password`, or the provider of the account that owns it (`discord`). */
  | { action: 'login'; status: 'duplicate'; msg?: string; credential?: string }
  | { action: 'login'; status: 'invalid' | 'denied'; msg: string }
  | { action: 'login'; status: 'limited'; msg: string; retryAfter: number }
  | { action: 'register'; status: 'ok' | 'invalid' | 'refused'; msg: string; name?: string }
  | { action: 'time'; results: string; iso: string }
  | { action: 'list'; results: string; users: UserInfo[]; groups: GroupInfo[] }
  | { action: 'poem'; results: string; poem?: PoemData; msg?: string }
  | { action: 'sonnets'; results: string; matches: SonnetHit[]; msg?: string }
  | { action: 'search'; results: string; matches: HistoryLine[]; omitted: number }
  | {
      action: 'connect';
      status: ConnectStatus;
      msg?: string;
      peer?: string;
      group?: number;
      room?: string;
      owner?: string;
      topic?: string;
      members?: MemberInfo[];
    }
  | { action: 'connect'; status: 'request'; from: string; front: string; group: number; room?: string; members: MemberInfo[] }
  | {
      action: 'exchange';
      from: string;
      message: string;
      name: string;
      front: string;
      id: number;
      group: number;
      seq: number;
      ts: string;
      flip?: true;
    }
  | { action: 'disconnect'; msg: string; group: number; room?: string; by?: string; reason?: string }
  | {
      action: 'leave';
      name: string;
      group: number;
      members: MemberInfo[];
      reason?: string;
      kickedBy?: string;
      /** The member left because their session closed (they went offline). */
      quit?: true;
      owner?: string;
    }
  | { action: 'topic'; group: number; topic: string; by?: string }
  | { action: 'invite'; status: 'sent' | 'no-user' | 'not-chatting'; target: string; msg?: string }
  | { action: 'invite'; status: 'request'; from: string; front: string; group: number; room?: string }
  | { action: 'presence'; name: string; front: string; status: 'online' | 'offline' }
  | { action: 'pong'; message: string }
  /**
   * The server is stopping to restart: the last event before it closes the connection. `from`
   * (empty) and `message` make a chatting classic client print it as a line.
   */
  | { action: 'restart'; from: ''; message: string }
  | { action: 'error'; code: ErrorCode; msg: string; for?: string };

export type EventName = ServerEvent['action'];
