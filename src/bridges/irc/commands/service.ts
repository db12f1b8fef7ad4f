/**
 * Carrying out what a typed line meant (to the service `ics`, or a `/command` in a channel) the
 * way the terminal client does, and answering in notices from `ics`, one per line. The classic
 * screens come from the shared renderer; what only a many-group client has (`rooms`, `w`, `m`)
 * is said here.
 */
import type { ClientAction, ServerEvent } from '../../../core/protocol.js';
import { SERVICE_NICK, type IrcClient } from '../client.js';
import type { Inbound } from '../inbound.js';
import { leave } from './channels.js';

/** What `/msg ics help` shows: the chat's commands as an IRC user gives them, and what IRC itself does here. */
export const IRC_HELP = [
  'Send me these as private messages (/msg ics who, /msg ics p 18):',
  '  time: the server\'s calendar time',
  '  who: who is online, on every front',
  '  c <name>: chat with <name> (their group opens as a channel, #group-N)',
  '  c #room or j #room: open or join a room (the same as /join #room)',
  '  ? <words>: search your chat history',
  '  p <n>: sonnet n, 1-154; s <word>: the sonnets holding a word',
  '  register <password>: keep your nick; then connect with the password as PASS or through SASL',
  '  rooms: your groups; w <n> picks the one bye, topic, invite, kick and lock sent to me act on',
  '  ping <text>, help, q (quit)',
  'In a channel: just talk; /me waves; _flip_ <words> says them backwards; bye or /part leaves it.',
  '/msg peter hi writes to peter privately (a query window); /join #a,#b joins as many channels as you like.',
  'Channel operators: /topic, /invite nick #room, /kick #room nick [reason], /mode #room +i +k key +l n +m +t +s +o nick +v nick +b mask (/mode #room shows them).',
  'Everything else is IRC as usual: /whois, /who, /names, /list, /away, /nick, /quit.',
].join('\n');

type Answer<K extends ServerEvent['action']> = Extract<ServerEvent, { action: K }>;

function roomsText(event: Answer<'rooms'>): string {
  if (event.groups.length === 0) return 'You are in no group: /join #name opens or joins a room; /msg ics c peter starts a chat.';
  const lines = event.groups.map((g, i) => {
    // A direct conversation is always closed to others: only a room's lock is news.
    const what = g.kind === 'direct' ? `${g.label}, privately (/msg ${g.label})` : `${g.label}: ${g.members.map((m) => m.name).join(', ')}${g.locked ? ' (invite-only)' : ''}`;
    return `${i + 1}. ${what}${g.focus ? ' <- bye, topic, invite, kick and lock sent to me act here' : ''}`;
  });
  return ['Your groups:', ...lines].join('\n');
}

/** Shows one answer to an action the user typed. */
function answer(s: IrcClient, action: ClientAction, event: ServerEvent): void {
  switch (event.action) {
    case 'connect':
      if (event.status === 'success' && event.kind === 'direct' && event.peer !== undefined) {
        return s.out.service(`You and ${event.peer} talk privately: /msg ${event.peer} <text> writes there.`);
      }
      if (event.status === 'success') {
        s.mirror.apply(event);
        const view = event.group === undefined ? undefined : s.mirror.get(event.group);
        const others = (event.members ?? []).filter((m) => m.name !== s.nick).map((m) => `${m.name} (${m.front})`);
        const company = others.length > 0 ? ` with ${others.join(', ')}` : '';
        if (view) s.out.service(`You are in ${view.name}${company}. Chat there; bye or /part ${view.name} leaves.`);
        return;
      }
      if (event.status === 'closed') return s.out.service(`${event.msg ?? 'That group is closed'}. Connection unsuccessful`);
      break;
    case 'rooms':
      return s.out.service(roomsText(event));
    case 'focus':
      if (event.group === null) return;
      return s.out.service(`bye, topic, invite, kick and lock sent to me now act on ${event.title ?? 'that group'}.`);
    case 'direct':
      s.mirror.wroteTo(event.group, event.target);
      return s.out.service(`Sent to ${event.target} privately; /msg ${event.target} <text> does the same.`);
    case 'register':
      if (event.status === 'ok') s.loggedIn(s.nick!);
      break;
    case 'error':
      // A line refused in a channel (moderated, banned) is answered there.
      if (event.group !== undefined && s.mirror.apply(event)) return;
      break;
  }
  s.tell(event, 'target' in action ? action.target : undefined);
}

/** Runs one action and shows its answers. */
async function run(s: IrcClient, action: ClientAction): Promise<void> {
  if (action.action === 'disconnect' && action.group !== undefined) return leave(s, action.group, action.reason);
  const answers = await s.ask(action);
  if ((action.action === 'exchange' || action.action === 'flip') && !answers.some((e) => e.action === 'error')) s.said();
  for (const event of answers) answer(s, action, event);
  // `bye` names no group: it left the focus, which the gateway learns from the groups still held.
  if (action.action === 'disconnect') await partLeft(s, action.reason);
}

/** Shows the user parting every channel whose group they are no longer in. */
async function partLeft(s: IrcClient, reason: string | undefined): Promise<void> {
  const rooms = (await s.ask({ action: 'rooms' })).find((e): e is Answer<'rooms'> => e.action === 'rooms');
  if (!rooms) return;
  const held = new Set(rooms.groups.map((g) => g.group));
  for (const view of s.mirror.channels()) if (!held.has(view.id)) s.mirror.selfPart(view.id, reason);
}

/** Carries out what a line meant, the way the terminal client does. */
export async function perform(s: IrcClient, input: Inbound): Promise<void> {
  switch (input.kind) {
    case 'send':
      for (const action of input.actions) await run(s, action);
      return;
    case 'help':
      return s.out.service(IRC_HELP);
    case 'usage':
      return s.out.service(input.msg);
    case 'unknown':
      return s.out.service(`Unknown command: ${input.text.slice(0, 60)}. /msg ${SERVICE_NICK} help lists the commands.`);
    case 'register':
      return s.out.service(`IRC cannot ask for a password: send it along, /msg ${SERVICE_NICK} register <password> (at least 8 characters). From then on, connect with it as your PASS or through SASL.`);
    case 'quit':
      return s.quit('Closing Link: See you next time!');
    case 'ctcp':
      return s.out.serverNotice(`CTCP ${input.name.slice(0, 20)} is not supported here`);
    case 'empty':
      return;
  }
}
