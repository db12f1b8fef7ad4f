/**
 * The action table: for every client action, the states it is allowed in and its handler.
 * The hub checks the states once, centrally, before any handler runs; a missing handler is
 * a compile error.
 */
import type { AccountStore, Identity } from './accounts.js';
import { enterAccount, ownedReply, passwordLogin, register } from './auth.js';
import { classicHistoryLine, classicListText, FLIP_PREFIX, flipWords } from './classic.js';
import { classicTime, type Clock } from './clock.js';
import { roomTarget, type Group, type Groups } from './groups.js';
import { HistoryUnavailable, type HistoryStore, type SearchPage, type StoredLine } from './history.js';
import type { Departure, HubLimits, Member } from './hub.js';
import type { Logger } from './log.js';
import type { LoginLimiter } from './login-limiter.js';
import { deriveName, nameCandidates, nameKey, nameProblem } from './names.js';
import type { HubObserver } from './observer.js';
import type { PasswordHasher } from './passwords.js';
import type { Presence } from './presence.js';
import type { ActionName, ClientAction, ErrorCode, HistoryLine, MemberInfo, ServerEvent } from './protocol.js';
import { asciiString } from './pyjson.js';
import { parseSearchQuery } from './search-query.js';
import { poemText, type SonnetBook } from './sonnets.js';
import { chatText, lineText } from './text.js';
import type { UserStateName } from './user-state.js';

/** What handlers may use of the hub. */
export interface HubState {
  readonly presence: Presence<Member>;
  readonly groups: Groups<Member>;
  readonly history: HistoryStore;
  readonly accounts: AccountStore;
  readonly sonnets: SonnetBook;
  readonly clock: Clock;
  readonly limits: HubLimits;
  readonly observer: HubObserver;
  readonly log: Logger;
  readonly passwords: PasswordHasher;
  readonly logins: LoginLimiter;
  stateOf(me: Member): UserStateName;
  send(to: Member, event: ServerEvent): void;
  fail(me: Member, code: ErrorCode, msg: string, action?: string): void;
  queueLine(sender: Member, group: Group<Member>, line: StoredLine, event: ServerEvent): void;
  scheduleFlush(): void;
  flushLines(): void;
  leaveGroup(me: Member, how?: Departure): void;
  enter(me: Member, name: string, historyKey?: string): boolean;
}

interface Handler<K extends ActionName> {
  states: readonly UserStateName[];
  run(hub: HubState, me: Member, action: Extract<ClientAction, { action: K }>): void;
}

const ONLINE = ['loggedin', 'chatting'] as const;

/** A serialised search reply must fit one classic frame (99,999 characters) with room to spare. */
const SEARCH_BUDGET = 90_000;

function memberNames(group: Group<Member>): string[] {
  return group.members.map((m) => m.member.name!);
}

export function memberInfos(group: Group<Member>): MemberInfo[] {
  return group.members.map((m) => ({ name: m.member.name!, front: m.member.front }));
}

/** `{room}` for a named group, nothing for an ad-hoc one (spread into events). */
export function roomOf(group: Group<Member>): { room?: string } {
  return group.room === undefined ? {} : { room: group.room };
}

/** The longest a topic may be. */
const TOPIC_MAX = 300;

/** Adds members to a group and tells everyone: pushes to the others first, then the requester's reply. */
function admit(hub: HubState, me: Member, group: Group<Member>, joining: Member[], peer: string): void {
  for (const m of joining) hub.groups.add(group, m, hub.history.joined(m.historyKey, group.id));
  hub.scheduleFlush();
  const members = memberInfos(group);
  const room = roomOf(group);
  for (const m of group.members) {
    if (m.member !== me) hub.send(m.member, { action: 'connect', status: 'request', from: me.name!, front: me.front, group: group.id, ...room, members });
  }
  hub.send(me, {
    action: 'connect',
    status: 'success',
    peer,
    group: group.id,
    ...room,
    ...(group.owner ? { owner: group.owner.name! } : {}),
    ...(group.topic ? { topic: group.topic } : {}),
    members,
  });
}

/** `c #room` opens or joins a room; `c #group-N` joins group N. */
function joinRoom(hub: HubState, me: Member, target: string): void {
  const wanted = roomTarget(target);
  if (wanted.kind === 'invalid') return hub.send(me, { action: 'connect', status: 'no-user', msg: wanted.msg });
  let group = wanted.kind === 'id' ? hub.groups.get(wanted.id) : hub.groups.room(wanted.room);
  if (!group) {
    if (wanted.kind === 'id') return hub.send(me, { action: 'connect', status: 'no-user', msg: `there is no group ${wanted.id}` });
    group = hub.groups.create(wanted.room, me);
    hub.history.opened(group.id);
  }
  admit(hub, me, group, [me], group.room ?? `#group-${group.id}`);
}

/** Stores a chat line (made safe for every front: core/text.ts) and queues it for the rest of the group. */
function say(hub: HubState, me: Member, said: string, flip: boolean): void {
  const text = chatText(said);
  if (text.length > hub.limits.maxLineChars) {
    hub.fail(me, 'too-large', `a chat line has at most ${hub.limits.maxLineChars} characters; yours was not sent`, 'exchange');
    return;
  }
  const group = hub.groups.of(me)!;
  const ts = hub.clock.now();
  const line = hub.history.record({ group: group.id, sender: me.name!, senderKey: me.historyKey, text, ts: ts.getTime(), seq: ++group.seq });
  const event: ServerEvent = {
    action: 'exchange',
    from: `[${me.name}]`,
    message: text,
    name: me.name!,
    front: me.front,
    id: line.id,
    group: group.id,
    seq: line.seq,
    ts: ts.toISOString(),
    ...(flip ? { flip: true as const } : {}),
  };
  hub.queueLine(me, group, line, event);
}

/**
 * The name an identity logs in under: the one bound to it, or else the first free name derived
 * from the handle it asked for, which is bound from then on. Free means nobody owns it, nobody
 * is online under it and no history belongs to it (so no one inherits another's history).
 */
function ownedName(hub: HubState, identity: Identity, handle: string): string | null {
  const bound = hub.accounts.nameOf(identity);
  if (bound !== null) return bound;
  for (const candidate of nameCandidates(deriveName(handle))) {
    const key = nameKey(candidate);
    if (hub.accounts.accountOf(key) || hub.presence.get(candidate) || hub.history.hasUser(key)) continue;
    if (hub.accounts.bind(identity, candidate)) return candidate;
  }
  return null;
}

export const HANDLERS: { [K in ActionName]: Handler<K> } = {
  // login <name> [password]: a free, well-formed name nobody owns, as a guest; a registered name
  // with its password; a session with an identity (or a proven account) takes its own name
  login: {
    states: ['offline'],
    run(hub, me, { name, password, features = [] }) {
      if (me.identity) {
        const own = ownedName(hub, me.identity, name);
        if (own === null) return hub.send(me, { action: 'login', status: 'invalid', msg: `no free name can be made from ${JSON.stringify(name.slice(0, 40))}` });
        for (const f of features) me.features.add(f);
        const account = hub.accounts.accountOf(nameKey(own))!;
        if (!hub.enter(me, own, account.historyKey)) return hub.send(me, { action: 'login', status: 'duplicate', msg: `${own} is already online` });
        return hub.send(me, { action: 'login', status: 'ok', name: own, registered: true });
      }
      if (me.account) return enterAccount(hub, me, me.account, features);
      const problem = nameProblem(name);
      if (problem) return hub.send(me, { action: 'login', status: 'invalid', msg: problem });
      const account = hub.accounts.accountOf(nameKey(name));
      if (account?.secret && password !== undefined) return passwordLogin(hub, me, name, password, features);
      if (account) return hub.send(me, ownedReply(account));
      for (const f of features) me.features.add(f);
      if (!hub.enter(me, name.normalize('NFC'))) return hub.send(me, { action: 'login', status: 'duplicate', msg: `${name} is already in use` });
      if (password !== undefined) return hub.send(me, { action: 'login', status: 'ok', msg: `${name} is not registered: you are a guest (register to keep the name)` });
      hub.send(me, { action: 'login', status: 'ok' });
    },
  },

  // register <password>: the name I hold as a guest becomes mine; from then on it takes the password
  register: {
    states: ONLINE,
    run(hub, me, { password }) {
      register(hub, me, password);
    },
  },

  // time: the server's local time
  time: {
    states: ONLINE,
    run(hub, me) {
      const now = hub.clock.now();
      hub.send(me, { action: 'time', results: classicTime(now), iso: now.toISOString() });
    },
  },

  // list: who is online and which groups exist
  list: {
    states: ONLINE,
    run(hub, me) {
      const users = hub.presence.list().map((u) => {
        const group = hub.groups.of(u);
        return group ? { name: u.name!, front: u.front, state: 1 as const, group: group.id } : { name: u.name!, front: u.front, state: 0 as const };
      });
      const groups = hub.groups.list().map((g) => ({
        id: g.id,
        members: memberNames(g),
        ...roomOf(g),
        ...(g.owner ? { owner: g.owner.name! } : {}),
        ...(g.topic ? { topic: g.topic } : {}),
      }));
      hub.send(me, { action: 'list', results: classicListText(users, groups), users, groups });
    },
  },

  // poem <n>: sonnet n, 1..154, as a number or a Roman numeral
  poem: {
    states: ONLINE,
    run(hub, me, { target }) {
      const found = hub.sonnets.resolve(target);
      if (!found.ok) return hub.send(me, { action: 'poem', results: '', msg: found.msg });
      hub.send(me, { action: 'poem', results: poemText(found.sonnet), poem: found.sonnet });
    },
  },

  // sonnets <words>: the sonnet lines holding every word
  sonnets: {
    states: ONLINE,
    run(hub, me, { target }) {
      const { hits, total } = hub.sonnets.search(target, hub.limits.sonnetHits);
      const lines = hits.map((h) => `Sonnet ${h.number} (${h.title}) line ${h.line}: ${h.text}`);
      if (total > hits.length) lines.push(`(${total - hits.length} more lines not shown)`);
      const msg = total === 0 ? `no sonnet line holds ${JSON.stringify(target.trim().slice(0, 60))}` : undefined;
      hub.send(me, { action: 'sonnets', results: lines.join('\n'), matches: hits, ...(msg ? { msg } : {}) });
    },
  },

  // search <terms>: my own history, every word (or "quoted phrase") must match
  search: {
    states: ONLINE,
    run(hub, me, { target }) {
      hub.flushLines();
      const started = performance.now();
      let page: SearchPage;
      try {
        page = hub.history.search(me.historyKey, parseSearchQuery(target), hub.limits.searchResults);
      } catch (err) {
        if (!(err instanceof HistoryUnavailable)) throw err;
        hub.log.error('history search failed', { user: me.name!, err: err.message });
        return hub.fail(me, 'unavailable', 'your history cannot be searched right now: the server cannot use its database; try again later', 'search');
      }
      hub.observer.searched((performance.now() - started) / 1000);
      const kept: { text: string; match: HistoryLine }[] = [];
      let budget = SEARCH_BUDGET;
      for (let i = page.lines.length - 1; i >= 0; i--) {
        const line = page.lines[i]!;
        const ts = new Date(line.ts);
        const text = classicHistoryLine(ts, line.sender, line.text);
        budget -= asciiString(text).length + asciiString(line.text).length + asciiString(line.sender).length + 100;
        if (budget < 0) break;
        kept.push({ text, match: { id: line.id, group: line.group, from: line.sender, message: line.text, ts: ts.toISOString() } });
      }
      kept.reverse();
      const omitted = page.total - kept.length;
      const texts = kept.map((k) => k.text);
      if (omitted > 0) texts.push(`(${omitted} older matches not shown)`);
      hub.send(me, { action: 'search', results: texts.join('\n'), matches: kept.map((k) => k.match), omitted });
    },
  },

  // connect <peer> | <#room> | <#group-N>: join the peer's group or form one with them; open or join a room
  connect: {
    states: ONLINE,
    run(hub, me, { target }) {
      hub.flushLines();
      const mine = hub.groups.of(me);
      if (mine) {
        return hub.send(me, { action: 'connect', status: 'busy', msg: `you are already in group ${mine.id}; type bye to leave it first`, group: mine.id });
      }
      const wanted = target.trim();
      if (wanted.startsWith('#')) return joinRoom(hub, me, wanted);
      if (nameKey(wanted) === me.key) return hub.send(me, { action: 'connect', status: 'self', msg: 'you cannot connect to yourself' });
      const peer = hub.presence.get(wanted);
      if (!peer) return hub.send(me, { action: 'connect', status: 'no-user', msg: `${wanted.slice(0, 40)} is not online` });
      const group = hub.groups.of(peer);
      if (group) return admit(hub, me, group, [me], peer.name!);
      const created = hub.groups.create();
      hub.history.opened(created.id);
      admit(hub, me, created, [me, peer], peer.name!);
    },
  },

  // exchange <message>: a chat line to the rest of my group (`_flip_ ...` reverses the words)
  exchange: {
    states: ['chatting'],
    run(hub, me, { message }) {
      const flip = message.startsWith(FLIP_PREFIX + ' ');
      say(hub, me, flip ? `${FLIP_PREFIX} ${flipWords(message.slice(FLIP_PREFIX.length))}` : message, flip);
    },
  },

  // flip <message>: a chat line with its words reversed
  flip: {
    states: ['chatting'],
    run(hub, me, { message }) {
      say(hub, me, `${FLIP_PREFIX} ${flipWords(message)}`, true);
    },
  },

  // ping <text>: answered pong <text>
  ping: {
    states: ONLINE,
    run(hub, me, { message }) {
      hub.send(me, { action: 'pong', message });
    },
  },

  // disconnect [reason]: leave my group (nothing to do when I am in none); the others see the reason
  disconnect: {
    states: ONLINE,
    run(hub, me, { reason }) {
      hub.flushLines();
      hub.leaveGroup(me, reason ? { reason: lineText(reason) } : {});
    },
  },

  // topic [text]: show my group's topic, or set it for everyone in the group
  topic: {
    states: ['chatting'],
    run(hub, me, { topic }) {
      const group = hub.groups.of(me)!;
      if (topic === undefined) return hub.send(me, { action: 'topic', group: group.id, topic: group.topic });
      group.topic = lineText(topic.slice(0, TOPIC_MAX));
      const event: ServerEvent = { action: 'topic', group: group.id, topic: group.topic, by: me.name! };
      for (const m of group.members) hub.send(m.member, event);
    },
  },

  // kick <name> [reason]: the owner of a room removes a member
  kick: {
    states: ['chatting'],
    run(hub, me, { target, reason }) {
      hub.flushLines();
      const group = hub.groups.of(me)!;
      if (group.room === undefined || group.owner !== me) {
        return hub.fail(me, 'not-allowed', group.room === undefined ? 'only rooms (#name) have owners who can kick' : `only ${group.owner?.name} can kick in ${group.room}`, 'kick');
      }
      const victim = group.members.find((m) => m.member.key === nameKey(target.trim()))?.member;
      if (!victim) return hub.fail(me, 'no-such-member', `${target.trim().slice(0, 40)} is not in ${group.room}`, 'kick');
      hub.leaveGroup(victim, reason ? { by: me.name!, reason: lineText(reason) } : { by: me.name! });
    },
  },

  // invite <name>: ask a user to join my group
  invite: {
    states: ONLINE,
    run(hub, me, { target }) {
      const group = hub.groups.of(me);
      if (!group) return hub.send(me, { action: 'invite', status: 'not-chatting', target, msg: 'you are not in a group to invite anyone to' });
      const peer = hub.presence.get(target.trim());
      if (!peer) return hub.send(me, { action: 'invite', status: 'no-user', target, msg: `${target.trim().slice(0, 40)} is not online` });
      hub.send(peer, { action: 'invite', status: 'request', from: me.name!, front: me.front, group: group.id, ...roomOf(group) });
      hub.send(me, { action: 'invite', status: 'sent', target: peer.name! });
    },
  },
};
