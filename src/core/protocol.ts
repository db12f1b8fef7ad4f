/**
 * The action protocol every front speaks: client actions in, server events out.
 * Classic keys and values come first and are never changed; everything this
 * project adds travels as extra keys or new actions (docs/PROTOCOL.md).
 */

/**
 * Optional behaviours a client asks for at login (unknown ones are ignored). `rooms`: the client
 * shows many groups at once and gets the events of all of them; without it a session sees the
 * classic one-group view (docs/PROTOCOL.md, Many groups). `echo`: the session gets its own chat
 * lines back once they are stored, as the others get them (with their id, seq and time).
 * `signals`: the session takes `signal` events (tags without a line, such as IRC typing notices).
 * `acks`: a labelled chat line is answered with `said` (its id, to edit or delete it later).
 */
export type Feature = 'events' | 'presence' | 'rooms' | 'echo' | 'signals' | 'acks';

/** Names the request a reply answers: a client's own tag, sent back on every event that answers it. */
export type Label = string;

export type ClientAction =
  | { action: 'login'; name: string; password?: string; features?: Feature[] }
  | { action: 'register'; password: string }
  | { action: 'time' }
  | { action: 'list' }
  /** How many users are online and how many rooms and ad-hoc groups exist (IRC's LUSERS at every registration: no list built). */
  | { action: 'counts' }
  | { action: 'poem'; target: string }
  | { action: 'sonnets'; target: string }
  | { action: 'search'; target: string }
  /** `key`: what a room with a key (`+k`) takes to join it. */
  | { action: 'connect'; target: string; key?: string }
  /** `tags`: client-only IRCv3 tags (`+name`) to pass on with the line (from the IRC front; never stored). */
  | { action: 'exchange'; message: string; group?: number; tags?: Record<string, string> }
  | { action: 'flip'; message: string; group?: number }
  | { action: 'ping'; message: string }
  | { action: 'disconnect'; reason?: string; group?: number }
  | { action: 'topic'; topic?: string; group?: number }
  | { action: 'kick'; target: string; reason?: string; group?: number }
  | { action: 'invite'; target: string; group?: number }
  | { action: 'lock'; locked: boolean; group?: number }
  | { action: 'direct'; target: string; message: string }
  /** The sender corrects one of their lines (`id`, as `said` or an `exchange` gave it). */
  | { action: 'edit'; id: number; message: string; group?: number }
  /** The sender takes one of their lines back. */
  | { action: 'delete'; id: number; group?: number }
  | { action: 'focus'; target: string }
  | { action: 'rooms' }
  | { action: 'resume' }
  /** Shows the group's modes (no `changes`), or changes them in order (an operator's). */
  | { action: 'mode'; changes?: ModeChange[]; group?: number }
  /** Becomes a server operator with a configured name and password. */
  | { action: 'oper'; name: string; password: string }
  /** A server operator ends another user's connection. */
  | { action: 'kill'; target: string; reason?: string }
  | { action: 'history'; target: string; after?: HistoryMark; before?: HistoryMark; newest?: boolean; limit?: number }
  | { action: 'conversations'; after?: string; before?: string; limit?: number }
  /** Client-only IRCv3 tags without a line (a typing notice): passed on to the group's members that take signals, never stored. */
  | { action: 'signal'; tags: Record<string, string>; group?: number }
  | { action: 'rename'; name: string }
  | { action: 'away'; message?: string };

/** Where a history page starts or ends (itself left out): a stored line, by its group and seq, or a moment (ISO 8601). */
export type HistoryMark = { group: number; seq: number } | { ts: string };

/**
 * A group's mode letters, as IRC has them: `i` invite-only (the lock), `k` key, `l` member
 * limit, `m` moderated, `n` no lines from outside (always on), `s` secret, `t` topic by
 * operators; `o` and `v` a member's role; `b` a ban mask.
 */
export type ModeLetter = 'i' | 'k' | 'l' | 'm' | 'n' | 's' | 't' | 'o' | 'v' | 'b';

/** One mode change: `arg` is the key, the limit, the member's name or the ban mask. */
export interface ModeChange {
  mode: ModeLetter;
  on: boolean;
  arg?: string;
}

/** A mode change that was not made, and why (`not-allowed`, `no-such-member`, `bad-request`). */
export interface ModeRefusal {
  change: ModeChange;
  code: ErrorCode;
  msg: string;
}

export interface BanInfo {
  mask: string;
  by: string;
  ts: string;
}

/** Why `connect` did not join a group: invite-only, a wrong or missing key, full, or banned. */
export type JoinRefusal = 'invite-only' | 'key' | 'full' | 'banned';

/** Actions about one group: they name it with `group`, or act on the session's focus. */
export type GroupAction = Extract<ClientAction, { group?: number }>;

export type ActionName = ClientAction['action'];

/** A user as other users see them. `state` is the classic 0 (alone) / 1 (talking). */
export interface UserInfo {
  name: string;
  front: string;
  state: 0 | 1;
  group?: number;
  /** Their away message, while they are away. */
  away?: string;
  /** They are logged in to an account (a password or another front's identity). */
  registered?: true;
  /** A server operator. */
  oper?: true;
}

/** What kind of group: ad hoc (`c peer`), a named room (`#name`), or a direct conversation of two. */
export type GroupKind = 'adhoc' | 'room' | 'direct';

export interface GroupInfo {
  id: number;
  members: string[];
  /** A named group's name, with its `#`. */
  room?: string;
  /** Who may kick from a named group (its creator, then the longest-standing member). */
  owner?: string;
  topic?: string;
  /** Invite-only: connecting to a member does not join it. */
  locked?: true;
  /** Its other modes when any are set, as IRC letters (`+klmst`; the key itself is not shown). */
  modes?: string;
  /** Operators besides the owner, when there are any. */
  ops?: string[];
  /** Voiced members, when there are any. */
  voiced?: string[];
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

/** One of the groups a user is in, as `rooms` lists them. */
export interface MembershipInfo {
  group: number;
  kind: GroupKind;
  /** `#room`, `#group-N`, or the other person's name for a direct conversation. */
  label: string;
  members: MemberInfo[];
  /** Lines said there since this session last had it as its focus or spoke in it. */
  unread: number;
  focus: boolean;
  locked: boolean;
  topic?: string;
  owner?: string;
}

/** One stored chat line as search and history return it. */
export interface HistoryLine {
  id: number;
  group: number;
  /** Its place in its group: with `group`, what names the line to `history`. */
  seq: number;
  /** The group's label (`#room`, `#group-7`, `alice+bob`). */
  label: string;
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
  | 'not-member'
  | 'no-user'
  | 'not-stored'
  | 'unavailable'
  | 'not-allowed'
  | 'no-such-member'
  | 'too-large'
  | 'slow-consumer'
  | 'rate-limited'
  | 'server-full'
  | 'login-timeout'
  | 'killed'
  | 'internal';

/** `closed`: the peer's group is invite-only or a direct conversation, so connecting does not join it. */
export type ConnectStatus = 'success' | 'self' | 'no-user' | 'busy' | 'closed';

export type ServerEvent =
  | { action: 'login'; status: 'ok'; msg?: string; name?: string; registered?: true }
  /** `credential`, for a registered name: `password`, or the provider of the account that owns it (`discord`). */
  | { action: 'login'; status: 'duplicate'; msg?: string; credential?: string }
  | { action: 'login'; status: 'invalid' | 'denied'; msg: string }
  | { action: 'login'; status: 'limited'; msg: string; retryAfter: number }
  | { action: 'register'; status: 'ok' | 'invalid' | 'refused'; msg: string; name?: string }
  | { action: 'time'; results: string; iso: string }
  | { action: 'list'; results: string; users: UserInfo[]; groups: GroupInfo[] }
  | { action: 'counts'; users: number; groups: number }
  | { action: 'poem'; results: string; poem?: PoemData; msg?: string }
  | { action: 'sonnets'; results: string; matches: SonnetHit[]; msg?: string }
  | { action: 'search'; results: string; matches: HistoryLine[]; omitted: number; more?: true }
  /** Tags a member sent to the group without a line (`signal`). */
  | { action: 'signal'; name: string; front: string; group: number; tags: Record<string, string> }
  /** A page of a conversation (`target` as asked), oldest first. */
  | { action: 'history'; target: string; lines: HistoryLine[] }
  /** The conversations with lines in a time range: a room's name, or the other person's for a direct one; the newest line's time. */
  | { action: 'conversations'; conversations: { target: string; ts: string }[] }
  /**
   * What a returning user missed in one kept conversation: the newest lines said while they were
   * away (oldest first), how many older ones were left out, and `msg` saying so in words.
   */
  | { action: 'missed'; group: number; kind: GroupKind; title: string; lines: HistoryLine[]; older: number; msg: string }
  /** The answer that ends a `resume`: how many conversations the user is back in. */
  | { action: 'resume'; groups: number }
  | {
      action: 'connect';
      status: ConnectStatus;
      msg?: string;
      peer?: string;
      group?: number;
      room?: string;
      owner?: string;
      topic?: string;
      /** With `topic`: who set it. */
      topicBy?: string;
      members?: MemberInfo[];
      kind?: GroupKind;
      locked?: true;
      modes?: string;
      ops?: string[];
      voiced?: string[];
      /** With `closed`: why the group did not take the user. */
      refused?: JoinRefusal;
    }
  /**
   * `away`: the joiner's away message, when they are away (to members that take `events`).
   * `members`: everyone in the group now, in a group of up to 100 (and always to a member it
   * brings in); a larger group's notice has `count` instead, and its members add `from` to the
   * list they have (member-list.ts, `membersAfter`).
   */
  | { action: 'connect'; status: 'request'; from: string; front: string; group: number; room?: string; members?: MemberInfo[]; count?: number; kind?: GroupKind; away?: string }
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
      /** A line of a direct conversation (to the one recipient). */
      direct?: true;
      /** The sender holds the account of their name (a password or a front's identity): its name. */
      account?: string;
      /** Client-only IRCv3 tags the sender attached, passed on as they came (not stored). */
      tags?: Record<string, string>;
    }
  | { action: 'disconnect'; msg: string; group: number; room?: string; by?: string; reason?: string }
  | {
      action: 'leave';
      name: string;
      group: number;
      /** Everyone left in the group, in a group of up to 100; a larger group's notice has `count` instead (its members drop `name`). */
      members?: MemberInfo[];
      count?: number;
      reason?: string;
      kickedBy?: string;
      /** The member left because their session closed (they went offline). */
      quit?: true;
      owner?: string;
    }
  | { action: 'topic'; group: number; topic: string; by?: string }
  | { action: 'lock'; group: number; locked: boolean; by: string }
  /**
   * The session's focus moved (by `focus`, or because the focus was left); `group` null: no focus.
   * `title` is what the user calls the group (`label` on an answer is the request's own label).
   */
  | { action: 'focus'; group: number | null; title?: string; kind?: GroupKind; members?: MemberInfo[]; unread?: number }
  | { action: 'rooms'; groups: MembershipInfo[] }
  /** The answer to a labelled `exchange` or `flip` of a session with `acks`: the line as stored. */
  | { action: 'said'; group: number; id: number; seq: number }
  /**
   * A line was edited (`text`: what it reads now) or deleted (`deleted`, `text` empty), told to
   * the members who saw it; `from` and `message` word it the way a chatting classic client prints it.
   */
  | { action: 'edit'; from: string; message: string; name: string; front: string; id: number; group: number; text: string; deleted?: true }
  /** The answer to `direct`: where the line went (`group`, called `title` by the sender). */
  | { action: 'direct'; status: 'sent'; target: string; group: number; id: number; seq: number; ts: string; title: string; away?: string }
  /** `member`: the one invited is in the group already. */
  | { action: 'invite'; status: 'sent' | 'no-user' | 'not-chatting' | 'member'; target: string; msg?: string }
  | { action: 'invite'; status: 'request'; from: string; front: string; group: number; room?: string }
  /** `from` invited `target` to a group you are in (to its other members that take `events`). */
  | { action: 'invite'; status: 'invited'; from: string; front: string; target: string; group: number; room?: string }
  /**
   * The answer to `mode`: the group's modes as they are now (`modes` as IRC letters, `key` to
   * members), its operators, voiced members and bans, and the changes that were refused.
   */
  | {
      action: 'mode';
      status: 'shown';
      group: number;
      modes: string;
      key?: string;
      limit?: number;
      created: string;
      ops: string[];
      voiced: string[];
      bans: BanInfo[];
      refused: ModeRefusal[];
    }
  /** Modes changed, to every member (the one who changed them too). */
  | { action: 'mode'; status: 'changed'; group: number; by: string; changes: ModeChange[] }
  | { action: 'oper'; status: 'ok' | 'denied' | 'none'; msg: string }
  | { action: 'presence'; name: string; front: string; status: 'online' | 'offline' }
  | { action: 'pong'; message: string }
  /** The answer to `rename`: `ok` (then `old` is the name given up), or why not (`credential` as for `login`). */
  | { action: 'rename'; status: 'ok' | 'duplicate' | 'invalid' | 'refused'; name: string; old?: string; msg?: string; credential?: string }
  /** Someone who shares a group with you (or whose presence you watch) is now called `name`. */
  | { action: 'rename'; old: string; name: string; front: string }
  /** The answer to `away`: now away (with the message as kept) or back. */
  | { action: 'away'; status: 'away' | 'back'; message?: string }
  /** Someone who shares a group with you went away (`message`) or came back (none); for clients with `events`. */
  | { action: 'away'; name: string; front: string; message?: string }
  /**
   * The server is stopping to restart: the last event before it closes the connection. `from`
   * (empty) and `message` make a chatting classic client print it as a line.
   */
  | { action: 'restart'; from: ''; message: string }
  /**
   * Something the classic one-group view cannot show as it happened (a line in another group,
   * an invitation): told in words, shaped like the restart notice so a chatting classic client prints it.
   */
  | { action: 'note'; from: ''; message: string }
  /** `group`: the group a refused chat line was for (so a front shows the refusal there). */
  | { action: 'error'; code: ErrorCode; msg: string; for?: string; group?: number };

export type EventName = ServerEvent['action'];
