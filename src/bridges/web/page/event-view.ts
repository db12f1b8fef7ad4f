/**
 * How the server's events read on the page (logging in and registering are the app's own
 * business). Each event about a group goes to that conversation's pane, so lines of the
 * conversations not shown are counted there as unread; answers and everything else go to the
 * pane on screen. An answer comes with what its request asked, so a result can repeat the words
 * looked for; a push comes with nothing.
 */
import { membersAfter } from '../../../core/member-list.js';
import type { ClientAction, GroupKind, MembershipInfo, ServerEvent } from '../../../core/protocol.js';
import { modesChanged, renderEvent } from '../../../core/render.js';
import { roomsCard, searchCard, sonnetCard, sonnetHitsCard, whoCard } from './cards.js';
import { live, type Conversation, type Conversations } from './conversations.js';
import { mentions } from './format.js';
import type { Asked } from './requests.js';
import type { RosterView } from './roster-view.js';

/** What showing an event needs of the app. */
export interface EventHost {
  readonly conversations: Conversations;
  readonly roster: RosterView;
  /** My name. */
  readonly me: string;
  send(action: ClientAction): void;
  /** Puts a conversation on screen (the user joined it, or asked for it). */
  showConversation(c: Conversation): void;
  /** The server said it is restarting (the drop that follows is that, not a fault). */
  restarting(): void;
}

const kindOf = (kind: GroupKind | undefined, room: string | undefined): GroupKind => kind ?? (room ? 'room' : 'adhoc');

/** Shows an event that is not about logging in or registering; `asked` when it answers a request. */
export function showEvent(host: EventHost, event: ServerEvent, asked: Asked | undefined): void {
  const { conversations } = host;
  const log = conversations.log;
  const target = asked?.target ?? '';
  switch (event.action) {
    case 'time':
      return log.notice(`Server time: ${event.results}`);
    case 'list':
      host.roster.replace(event.users, event.groups);
      if (asked?.shown) whoCard(log, event.users, event.groups);
      return;
    case 'rooms':
      synced(host, event.groups);
      if (asked?.shown) roomsCard(log, event.groups);
      return;
    case 'poem':
      if (event.poem) return sonnetCard(log, event.poem);
      return log.notice(`No sonnet “${target}”: ${event.msg ?? 'not found'}.`, 'error');
    case 'sonnets': {
      const more = Number(/\((\d+) more lines not shown\)$/.exec(event.results)?.[1] ?? 0);
      return sonnetHitsCard(log, target, event.matches, more, (n) => host.send({ action: 'poem', target: String(n) }));
    }
    case 'search':
      return searchCard(log, target, event.matches, event.omitted, event.more === true);
    case 'connect':
      return connected(host, event, target);
    case 'focus': {
      if (event.group === null) return;
      const c = conversations.joined(event.group, event.kind ?? 'adhoc', event.title ?? `#group-${event.group}`, event.members ?? []);
      // The page chose where to go itself when the user left or picked a conversation; a typed `w` asks the server.
      if (asked?.shown || conversations.shown === null) host.showConversation(c);
      return;
    }
    case 'topic': {
      const c = conversations.byGroup(event.group);
      if (c) c.topic = event.topic;
      conversations.render();
      const where = c?.log ?? log;
      if (event.by) return where.notice(`${event.by} set the topic: ${event.topic}`);
      return where.notice(event.topic ? `Topic: ${event.topic}` : 'No topic is set.');
    }
    case 'lock':
      return (conversations.byGroup(event.group)?.log ?? log).notice(event.locked ? `${event.by} made the group invite-only.` : `${event.by} opened the group to everyone.`);
    case 'mode':
      // A change is told where it happened; the modes asked for, where they were asked.
      if (event.status === 'changed') return (conversations.byGroup(event.group)?.log ?? log).notice(modesChanged(event.by, event.changes));
      return log.notice(renderEvent(event) ?? '');
    case 'oper':
      return log.notice(event.msg, event.status === 'ok' ? 'good' : 'error');
    case 'invite':
      if (event.status === 'request') {
        const where = event.room ?? `#group-${event.group}`;
        return log.notice(`${event.from} invites you to join ${event.room ?? `group ${event.group}`}.`, 'plain', new Date(), {
          label: `Join ${where}`,
          run: () => host.send({ action: 'connect', target: where }),
        });
      }
      // Told in the group's own conversation, where its members see who may come in.
      if (event.status === 'invited') return (conversations.byGroup(event.group)?.log ?? log).notice(renderEvent(event) ?? '');
      return log.notice(event.status === 'sent' ? `Invited ${event.target}.` : (event.msg ?? `Could not invite ${event.target}.`), event.status === 'sent' ? 'good' : 'error');
    case 'leave': {
      const c = conversations.byGroup(event.group);
      if (!c) return;
      c.members = membersAfter(event, c.members);
      conversations.render();
      return c.log.notice(event.kickedBy ? `${event.name} was removed by ${event.kickedBy}${event.reason ? `: ${event.reason}` : ''}.` : `${event.name} left the group.`);
    }
    case 'disconnect': {
      const c = conversations.byGroup(event.group);
      if (!c) return;
      c.ended = true;
      conversations.render();
      if (event.by) return c.log.notice(`${event.msg}.`, 'error');
      return c.log.notice(c.kind === 'direct' ? `${c.label} left your conversation: what you type here goes to ${c.label} again while they are online.` : 'Everyone else left, so the group has ended.');
    }
    case 'exchange': {
      const me = { name: host.me, front: 'web' };
      const c = event.direct ? conversations.joined(event.group, 'direct', event.name, [me, { name: event.name, front: event.front }]) : conversations.byGroup(event.group);
      (c?.log ?? log).line({
        name: event.name,
        front: event.front,
        text: event.message,
        at: new Date(event.ts),
        mine: false,
        flipped: event.flip === true,
        mention: mentions(event.message, host.me),
        id: event.id,
        ...(event.direct ? { privately: 'to you' } : {}),
      });
      if (c) c.last = { name: event.name, text: event.message };
      return conversations.render();
    }
    case 'edit': {
      const c = conversations.byGroup(event.group);
      const revised = c?.log.revise(event.id, event.deleted ? null : event.text) ?? false;
      if (!revised) (c?.log ?? log).notice(event.deleted ? `${event.name} deleted a line.` : `${event.name} edited a line: ${event.text}`);
      return;
    }
    case 'direct': {
      if (asked?.message === undefined) return;
      const c = conversations.joined(event.group, 'direct', event.target, [{ name: host.me, front: 'web' }, { name: event.target, front: '' }]);
      c.log.line({ name: host.me, front: 'web', text: asked.message, at: new Date(event.ts), mine: true, flipped: false, privately: `to ${event.target}` });
      c.last = { name: host.me, text: asked.message };
      return conversations.render();
    }
    case 'presence':
      if (event.status === 'online') host.roster.online(event.name, event.front);
      else host.roster.offline(event.name);
      return;
    case 'rename':
      if (!('front' in event)) return log.notice(renderEvent(event) ?? '', event.status === 'ok' ? 'good' : 'error');
      host.roster.offline(event.old);
      host.roster.online(event.name, event.front);
      return log.notice(`${event.old} is now known as ${event.name}.`);
    case 'away':
      if (!('name' in event)) return log.notice(renderEvent(event) ?? '');
      return log.notice(event.message === undefined ? `${event.name} is back.` : `${event.name} is away: ${event.message}`);
    case 'pong':
      return log.notice(`pong ${event.message}`);
    case 'note':
      return log.notice(event.message);
    case 'restart':
      // Said once the connection drops, with what it meant for the conversations.
      return host.restarting();
    case 'error':
      return log.notice(event.msg, 'error');
    case 'missed':
      return missed(host, event);
    case 'login':
    case 'register':
    case 'resume':
      return;
  }
}

/** What I missed in a conversation while I was away: a block in its pane, between two notices. */
function missed(host: EventHost, event: Extract<ServerEvent, { action: 'missed' }>): void {
  const c = host.conversations.byGroup(event.group);
  if (!c) return;
  c.log.notice(`${event.msg}:`);
  for (const l of event.lines) {
    c.log.line({ name: l.from, front: '', text: l.message, at: new Date(l.ts), mine: l.from === host.me, flipped: false, mention: mentions(l.message, host.me) });
  }
  const last = event.lines.at(-1);
  if (last) c.last = { name: last.from, text: last.message };
  c.log.notice(`End of what you missed in ${event.title}; new lines follow.`);
  host.conversations.render();
}

/** Joining a group, or being joined: the conversation, told in its pane. */
function connected(host: EventHost, event: Extract<ServerEvent, { action: 'connect' }>, target: string): void {
  const { conversations } = host;
  if (event.status === 'request') {
    const known = live(conversations.byGroup(event.group) ?? null);
    const kind = kindOf(event.kind, event.room);
    const members = membersAfter(event, conversations.byGroup(event.group)?.members ?? []);
    const c = conversations.joined(event.group, kind, event.room ?? (kind === 'direct' ? event.from : `#group-${event.group}`), members);
    if (known) c.log.notice(`${event.from} joined the group.`);
    else c.log.notice(kind === 'direct' ? `${event.from} writes to you privately.` : `${event.from} connected to you: you are chatting in group ${event.group}.`, 'good');
    // The server made it my focus only when I had none.
    if (conversations.shown === null) host.showConversation(c);
    return;
  }
  if (event.status !== 'success' || event.group === undefined) {
    return conversations.log.notice(`Could not connect to ${target}: ${event.msg ?? event.status}.`, 'error');
  }
  const kind = kindOf(event.kind, event.room);
  const peer = event.peer ?? '';
  const c = conversations.joined(event.group, kind, event.room ?? (kind === 'direct' ? peer : `#group-${event.group}`), event.members ?? []);
  c.topic = event.topic ?? '';
  if (kind === 'direct') c.log.notice(`You are in your private conversation with ${peer}.`, 'good');
  else c.log.notice(event.room ? `You are in ${event.room} (group ${event.group}).` : `You are now chatting with ${peer} in group ${event.group}.`, 'good');
  host.showConversation(c);
}

/** The server's list of my groups is the truth: each is a live conversation, any other is not. */
function synced(host: EventHost, groups: readonly MembershipInfo[]): void {
  const { conversations } = host;
  const listed = new Set(groups.map((g) => g.group));
  for (const c of conversations.all()) if (c.group !== null && !listed.has(c.group)) c.ended = true;
  for (const g of groups) {
    const c = conversations.joined(g.group, g.kind, g.label, g.members);
    c.topic = g.topic ?? '';
    if (g.focus && conversations.shown === null) host.showConversation(c);
  }
  conversations.render();
}
