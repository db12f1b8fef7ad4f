/**
 * What an action handler may use: the part of the hub handlers see (so they never import the
 * hub itself) and the context of the request it answers.
 */
import type { AccountStore } from '../accounts.js';
import type { Clock } from '../clock.js';
import type { Group, Groups } from '../groups.js';
import type { HistoryStore, StoredLine } from '../history.js';
import type { Keeper } from '../keeper.js';
import type { Logger } from '../log.js';
import type { LoginLimiter } from '../login-limiter.js';
import type { HubObserver } from '../observer.js';
import type { Operators } from '../operators.js';
import type { PasswordHasher } from '../passwords.js';
import type { Presence } from '../presence.js';
import type { ErrorCode, Label, ServerEvent } from '../protocol.js';
import type { Member, OnlineMember } from '../session.js';
import type { SonnetBook } from '../sonnets.js';

export interface HubLimits {
  /** Longest chat line accepted, in characters. */
  maxLineChars: number;
  /** Most history lines one search returns. */
  searchResults: number;
  /** Most sonnet lines one sonnet search returns. */
  sonnetHits: number;
  /** Most lines one history page holds, and most conversations one list names. */
  historyPage: number;
  /** Most lines a returning user is shown of each conversation they missed (`resume`). */
  missedLines: number;
}

/** How a member leaves a group: removed by someone (a kick), with a reason, or gone offline. */
export interface Departure {
  by?: string;
  reason?: string;
  quit?: boolean;
}

/** What handlers may use of the hub. */
export interface HubState {
  readonly presence: Presence<OnlineMember>;
  readonly groups: Groups<OnlineMember>;
  readonly history: HistoryStore;
  readonly accounts: AccountStore;
  readonly sonnets: SonnetBook;
  readonly clock: Clock;
  readonly limits: HubLimits;
  readonly observer: HubObserver;
  readonly log: Logger;
  readonly passwords: PasswordHasher;
  readonly logins: LoginLimiter;
  readonly operators: Operators;
  /** Registered users' kept rooms and direct conversations (core/keeper.ts). */
  readonly keeper: Keeper;
  /** Something the member did not ask for (through the classic view for sessions without `rooms`). */
  push(to: OnlineMember, event: ServerEvent): void;
  /** An answer to the member's request, with its label. */
  reply(to: Member, event: ServerEvent, label?: Label): void;
  fail(me: Member, code: ErrorCode, msg: string, action?: string, label?: Label): void;
  queueLine(sender: Member, line: StoredLine, event: Extract<ServerEvent, { action: 'exchange' }>): void;
  scheduleFlush(): void;
  flushLines(): void;
  /** Adds the member to the group unless they are in it; true when added. */
  join(me: OnlineMember, group: Group<OnlineMember>): boolean;
  leaveGroup(me: OnlineMember, group: Group<OnlineMember>, how?: Departure): void;
  setFocus(me: OnlineMember, group: Group<OnlineMember> | null): void;
  /** Ends the member's session, on whatever front (a server operator's `kill`): they quit with the reason, and are told. */
  kill(victim: OnlineMember, by: string, reason: string): void;
  /** Whether no one may take `name` (a gateway's service user). */
  isReserved(name: string): boolean;
  /** Logs the member in under `name` (users watching presence are told unless `announce` is false); false when the name is taken. */
  enter(me: Member, name: string, historyKey?: string, announce?: boolean): me is OnlineMember;
}

/** What a handler gets: the hub, the session, and how to answer the request. */
export interface Context<Me extends Member = OnlineMember, G extends Group<OnlineMember> | undefined = undefined> {
  readonly hub: HubState;
  readonly me: Me;
  readonly label: Label | undefined;
  /** The group the action is about (by its `group`, else the focus). */
  readonly group: G;
  /** Answers the request (the event carries its label). */
  reply(event: ServerEvent): void;
  /** Answers the request with an error naming its action. */
  fail(code: ErrorCode, msg: string): void;
}

export type OnlineContext = Context;
export type GroupContext = Context<OnlineMember, Group<OnlineMember>>;
export type MaybeGroupContext = Context<OnlineMember, Group<OnlineMember> | undefined>;

