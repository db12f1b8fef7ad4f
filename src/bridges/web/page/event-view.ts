/**
 * How the server's events read in the log and the roster (logging in and registering are the
 * app's own business). An answer comes with what its request asked, so a result can repeat
 * the words looked for; a push comes with nothing. Private lines are marked as such.
 */
import type { ClientAction, GroupKind, ServerEvent } from '../../../core/protocol.js';
import { modesChanged, renderEvent } from '../../../core/render.js';
import type { Transition } from '../../../core/user-state.js';
import { roomsCard, searchCard, sonnetCard, sonnetHitsCard, whoCard } from './cards.js';
import type { LogView } from './log-view.js';
import type { Asked } from './requests.js';
import type { RosterView } from './roster-view.js';

/** What showing an event needs of the app. */
export interface EventHost {
  readonly log: LogView;
  readonly roster: RosterView;
  /** My name. */
  readonly me: string;
  send(action: ClientAction): void;
  /** My group's topic changed. */
  topicChanged(topic: string): void;
  /** The server said it is restarting (the drop that follows is that, not a fault). */
  restarting(): void;
}

/** Shows an event that is not about logging in or registering; `asked` when it answers a request. */
export function showEvent(host: EventHost, event: ServerEvent, asked: Asked | undefined): void {
  const { log } = host;
  const target = asked?.target ?? '';
  switch (event.action) {
    case 'time':
      return log.notice(`Server time: ${event.results}`);
    case 'list':
      host.roster.replace(event.users, event.groups);
      if (asked?.shown) whoCard(log, event.users, event.groups);
      return;
    case 'rooms':
      return roomsCard(log, event.groups);
    case 'poem':
      if (event.poem) return sonnetCard(log, event.poem);
      return log.notice(`No sonnet “${target}”: ${event.msg ?? 'not found'}.`, 'error');
    case 'sonnets': {
      const more = Number(/\((\d+) more lines not shown\)$/.exec(event.results)?.[1] ?? 0);
      return sonnetHitsCard(log, target, event.matches, more, (n) => host.send({ action: 'poem', target: String(n) }));
    }
    case 'search':
      return searchCard(log, target, event.matches, event.omitted);
    case 'connect':
      if (event.status === 'success' || event.status === 'request') return;
      return log.notice(`Could not connect to ${target}: ${event.msg ?? event.status}.`, 'error');
    case 'topic':
      host.topicChanged(event.topic);
      if (event.by) return log.notice(`${event.by} set the topic: ${event.topic}`);
      return log.notice(event.topic ? `Topic: ${event.topic}` : 'No topic is set.');
    case 'lock':
      return log.notice(event.locked ? `${event.by} made the group invite-only.` : `${event.by} opened the group to everyone.`);
    case 'mode':
      return log.notice(event.status === 'changed' ? modesChanged(event.by, event.changes) : (renderEvent(event) ?? ''));
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
      return log.notice(event.status === 'sent' ? `Invited ${event.target}.` : (event.msg ?? `Could not invite ${event.target}.`), event.status === 'sent' ? 'good' : 'error');
    case 'leave':
      return log.notice(event.kickedBy ? `${event.name} was removed by ${event.kickedBy}${event.reason ? `: ${event.reason}` : ''}.` : `${event.name} left the group.`);
    case 'disconnect':
      return log.notice(event.by ? `${event.msg}.` : 'Everyone else left, so the group has ended.', event.by ? 'error' : 'plain');
    case 'exchange':
      return log.line({
        name: event.name,
        front: event.front,
        text: event.message,
        at: new Date(event.ts),
        mine: false,
        flipped: event.flip === true,
        ...(event.direct ? { privately: 'to you' } : {}),
      });
    case 'direct':
      if (asked?.message === undefined) return;
      return log.line({ name: host.me, front: 'web', text: asked?.message ?? '', at: new Date(event.ts), mine: true, flipped: false, privately: `to ${event.target}` });
    case 'presence':
      if (event.status === 'online') host.roster.online(event.name, event.front);
      else host.roster.offline(event.name);
      return;
    case 'pong':
      return log.notice(`pong ${event.message}`);
    case 'note':
      return log.notice(event.message);
    case 'restart':
      // Said once the connection drops, with what it meant for the group.
      return host.restarting();
    case 'error':
      return log.notice(event.msg, 'error');
    case 'login':
    case 'register':
    case 'focus':
      return;
  }
}

/** Where the user chats, as the app knows it: the group's kind, a room's name, its id. */
export interface Place {
  kind: GroupKind | null;
  room: string | null;
  group: number | null;
}

/** What the log says when the user's group changes (joining, being joined, someone joining, leaving). */
export function transitionNotice(t: Extract<Transition, { kind: 'connected' | 'joined-by' | 'member-joined' | 'left' }>, place: Place): { text: string; tone: 'plain' | 'good' } {
  const { kind, room, group } = place;
  switch (t.kind) {
    case 'connected':
      if (kind === 'direct') return { text: `You are in your private conversation with ${t.peer}.`, tone: 'good' };
      return { text: room ? `You are in ${room} (group ${group}).` : `You are now chatting with ${t.peer} in group ${group}.`, tone: 'good' };
    case 'joined-by':
      if (kind === 'direct') return { text: `${t.peer} writes to you privately: what you type now goes to ${t.peer} only.`, tone: 'good' };
      return { text: `${t.peer} connected to you: you are chatting in group ${group}.`, tone: 'good' };
    case 'member-joined':
      return { text: `${t.name} joined the group.`, tone: 'plain' };
    case 'left':
      if (kind === 'direct') return { text: `You left your private conversation with ${t.peer}.`, tone: 'plain' };
      return { text: room ? `You left ${room}.` : `You left the group${t.peer ? ` with ${t.peer}` : ''}.`, tone: 'plain' };
  }
}
