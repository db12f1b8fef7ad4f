/**
 * The one command grammar every front uses to turn a typed line into actions.
 * State-aware: logged in, a line is a command (`time`, `who`, `c peter`/`cpeter`, `c #room`,
 * `c #room key`, `? love`, `p 3`/`p3`/`p xviii`, `s summer`, `ping x`, `topic`, `invite x`, `kick x`, `bye`,
 * `register`, `help`, `q`, and for many groups `m bob hi`, `j #room`, `rooms`, `w 2`/`w #room`,
 * `bye #room`, `lock`, `unlock`); chatting, a line is a chat
 * line except `bye`, `_flip_ ...` and commands written with a slash (`/who`, `//text` for "/text").
 * `register` alone asks the client to read a password without echoing it; `register <password>`
 * (for fronts that cannot prompt, like IRC's `/msg ics register ...`) sends it as typed.
 */
import { FLIP_PREFIX } from './classic.js';
import type { ClientAction } from './protocol.js';

export type InputMode = 'command' | 'chat';

export type Command =
  | { kind: 'send'; actions: ClientAction[] }
  | { kind: 'help' }
  | { kind: 'quit' }
  | { kind: 'usage'; msg: string }
  /** Read a new password without echo, then send `register`. */
  | { kind: 'register' }
  | { kind: 'unknown'; text: string }
  | { kind: 'empty' };

const send = (...actions: ClientAction[]): Command => ({ kind: 'send', actions });

/** The id of one of the user's groups by its label (`#room`, `#group-7`, a direct conversation's other name); the client's knowledge. */
export type GroupLookup = (label: string) => number | undefined;

/** A command word and how it reads its argument; `classic` commands may omit the space (`p3`, `cpeter`). */
interface Verb {
  word: string;
  classic?: RegExp;
  arg: 'none' | 'required' | 'optional';
  usage?: string;
  build(arg: string, lookup: GroupLookup): Command;
}

/** `bye` leaves the focused group; `bye #room` one of the others. */
function leave(arg: string, lookup: GroupLookup): Command {
  if (arg === '') return send({ action: 'disconnect' });
  const group = lookup(arg);
  if (group !== undefined) return send({ action: 'disconnect', group });
  // `bye now` is no command; `bye #tea` names a group the user is not in
  return arg.startsWith('#') ? { kind: 'usage', msg: `you are not in ${arg.slice(0, 40)}: rooms lists your groups` } : { kind: 'unknown', text: `bye ${arg}` };
}

/** `m bob hi there`: a direct line to bob. */
function direct(arg: string): Command {
  const space = arg.search(/\s/);
  if (space < 0) return { kind: 'usage', msg: 'usage: m <name> <text>: a private line to one person' };
  return send({ action: 'direct', target: arg.slice(0, space), message: arg.slice(space).trim() });
}

/** `c peter`, `c #room`, and `c #room key` for a room that takes a key (`+k`). */
function connectTo(arg: string): Command {
  const [target = '', key] = arg.split(/\s+/, 2);
  return send(target.startsWith('#') && key !== undefined ? { action: 'connect', target, key } : { action: 'connect', target: arg });
}

const VERBS: readonly Verb[] = [
  { word: 'time', arg: 'none', build: () => send({ action: 'time' }) },
  { word: 'who', arg: 'none', build: () => send({ action: 'list' }) },
  { word: 'help', arg: 'none', build: () => ({ kind: 'help' }) },
  { word: 'q', arg: 'none', build: () => ({ kind: 'quit' }) },
  { word: 'bye', arg: 'optional', build: leave },
  { word: 'm', arg: 'required', usage: 'm <name> <text>: a private line to one person', build: direct },
  { word: 'j', arg: 'required', usage: 'j #<room>: join or open a room', build: (a) => send({ action: 'connect', target: a.startsWith('#') ? a : `#${a}` }) },
  { word: 'rooms', arg: 'none', build: () => send({ action: 'rooms' }) },
  { word: 'w', arg: 'required', usage: 'w <n> | w #<room> | w <name>: switch to one of your groups', build: (a) => send({ action: 'focus', target: a }) },
  { word: 'lock', arg: 'none', build: () => send({ action: 'lock', locked: true }) },
  { word: 'unlock', arg: 'none', build: () => send({ action: 'lock', locked: false }) },
  { word: 'c', classic: /^c([#\p{L}][^\s]*)$/u, arg: 'required', usage: 'c <name>: connect to a user', build: connectTo },
  { word: '?', classic: /^\?(\S.*)$/u, arg: 'required', usage: '? <words>: search your chat history', build: (a) => send({ action: 'search', target: a }) },
  { word: 'p', classic: /^p(\d+)$/, arg: 'required', usage: 'p <n>: sonnet n, 1-154 (or a Roman numeral)', build: (a) => send({ action: 'poem', target: a }) },
  { word: 's', arg: 'required', usage: 's <word>: find the sonnets holding a word', build: (a) => send({ action: 'sonnets', target: a }) },
  { word: 'ping', arg: 'optional', build: (a) => send({ action: 'ping', message: a }) },
  { word: 'topic', arg: 'optional', build: (a) => send(a === '' ? { action: 'topic' } : { action: 'topic', topic: a }) },
  { word: 'register', arg: 'optional', build: (a) => (a === '' ? { kind: 'register' } : send({ action: 'register', password: a })) },
  { word: 'invite', arg: 'required', usage: 'invite <name>: ask a user to join your group', build: (a) => send({ action: 'invite', target: a }) },
  {
    word: 'kick',
    arg: 'required',
    usage: 'kick <name> [reason]: remove a member from your room',
    build: (a) => {
      const [target = '', ...why] = a.split(/\s+/);
      const reason = why.join(' ');
      return send(reason === '' ? { action: 'kick', target } : { action: 'kick', target, reason });
    },
  },
];

const KNOWS_NOTHING: GroupLookup = () => undefined;

function parseCommandLine(line: string, lookup: GroupLookup): Command {
  const text = line.trim();
  if (text === '') return { kind: 'empty' };
  const space = text.search(/\s/);
  const word = (space < 0 ? text : text.slice(0, space)).toLowerCase();
  const arg = space < 0 ? '' : text.slice(space).trim();
  for (const verb of VERBS) {
    if (verb.word === word) {
      if (verb.arg === 'none' && arg !== '') return { kind: 'unknown', text };
      if (verb.arg === 'required' && arg === '') return { kind: 'usage', msg: `usage: ${verb.usage}` };
      return verb.build(arg, lookup);
    }
    const classic = verb.classic?.exec(text);
    if (classic) return verb.build(classic[1]!.trim(), lookup);
  }
  return { kind: 'unknown', text };
}

/** Turns one typed line into what the front should do; `lookup` finds the user's groups by label (for `bye #room`). */
export function parseCommand(line: string, mode: InputMode, lookup: GroupLookup = KNOWS_NOTHING): Command {
  if (mode === 'command') return parseCommandLine(line, lookup);
  if (line.trim() === '') return { kind: 'empty' };
  if (line.trim() === 'bye') return send({ action: 'exchange', message: 'bye' }, { action: 'disconnect' });
  if (line.startsWith(FLIP_PREFIX + ' ')) return send({ action: 'flip', message: line.slice(FLIP_PREFIX.length + 1) });
  if (line.startsWith('//')) return send({ action: 'exchange', message: line.slice(1) });
  if (line.startsWith('/') && line.length > 1) return parseCommandLine(line.slice(1), lookup);
  return send({ action: 'exchange', message: line });
}
