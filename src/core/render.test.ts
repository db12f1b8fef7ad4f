import { describe, expect, it } from 'vitest';
import type { ServerEvent } from './protocol.js';
import { classicHistoryLine } from './classic.js';
import { MENU, renderEvent, renderTransition, welcomeUser } from './render.js';

describe('classic screens', () => {
  it('starts the menu with the classic lines', () => {
    expect(MENU.split('\n').slice(0, 5)).toEqual([
      '',
      '++++ Choose one of the following commands',
      '         time: calendar time in the system',
      '         who: to find out who else are there',
      '         c _peer_: to connect to the _peer_ and chat',
    ]);
    expect(MENU).toContain('         q: to leave the chat system\n');
    expect(welcomeUser('zz').endsWith('\nWelcome, zz!')).toBe(true);
  });

  it.each([
    [{ action: 'time', results: '25.11.26,14:30', iso: 'x' } as ServerEvent, {}, 'Time is: 25.11.26,14:30'],
    [{ action: 'list', results: 'Users: ------------\n{}\nGroups: -----------\n{}\n', users: [], groups: [] } as ServerEvent, {}, 'Here are all the users in the system:\nUsers: ------------\n{}\nGroups: -----------\n{}\n'],
    [{ action: 'poem', results: 'I.\n\nA line' } as ServerEvent, { target: '1' }, 'I.\n\nA line\n\n'],
    [{ action: 'poem', results: '', msg: 'there is no sonnet 200' } as ServerEvent, { target: '200' }, 'Sonnet 200 not found (there is no sonnet 200)\n\n'],
    [{ action: 'search', results: '(..) a : x', matches: [], omitted: 0 } as ServerEvent, { target: 'x' }, '(..) a : x\n\n'],
    [{ action: 'search', results: '', matches: [], omitted: 0 } as ServerEvent, { target: 'love' }, "'love' not found\n\n"],
    [{ action: 'connect', status: 'self' } as ServerEvent, {}, 'Cannot talk to yourself (sick)\nConnection unsuccessful\n'],
    [{ action: 'connect', status: 'no-user' } as ServerEvent, {}, 'User is not online, try again later\nConnection unsuccessful\n'],
    [{ action: 'login', status: 'duplicate' } as ServerEvent, {}, 'Duplicate username, try again'],
    [{ action: 'rename', old: 'bob', name: 'rob', front: 'irc' } as ServerEvent, {}, '(bob is now known as rob)'],
    [{ action: 'rename', status: 'ok', name: 'rob', old: 'bob' } as ServerEvent, {}, 'You are now known as rob'],
    [{ action: 'rename', status: 'duplicate', name: 'ann', msg: 'ann is already in use' } as ServerEvent, {}, 'Not renamed: ann is already in use.'],
    [{ action: 'away', name: 'bob', front: 'irc', message: 'lunch' } as ServerEvent, {}, '(bob is away: lunch)'],
    [{ action: 'away', name: 'bob', front: 'irc' } as ServerEvent, {}, '(bob is back)'],
    [{ action: 'away', status: 'away', message: 'lunch' } as ServerEvent, {}, 'You are marked as away: lunch'],
    [{ action: 'away', status: 'back' } as ServerEvent, {}, 'You are no longer marked as away'],
    [{ action: 'login', status: 'duplicate', msg: 'this name is registered', credential: 'discord' } as ServerEvent, {}, 'this name is registered, try again'],
    [{ action: 'login', status: 'denied', msg: 'wrong password for ann' } as ServerEvent, {}, 'wrong password for ann, try again'],
    [{ action: 'login', status: 'limited', msg: 'too many failed logins for ann: try again in 60 s', retryAfter: 60 } as ServerEvent, {}, 'too many failed logins for ann: try again in 60 s.'],
    [{ action: 'login', status: 'ok' } as ServerEvent, {}, null],
    [{ action: 'login', status: 'ok', msg: 'ann is not registered: you are a guest' } as ServerEvent, {}, 'ann is not registered: you are a guest'],
    [{ action: 'register', status: 'ok', name: 'ann', msg: 'ann is registered' } as ServerEvent, {}, 'ann is registered'],
    [{ action: 'register', status: 'invalid', msg: 'a password has at least 8 characters' } as ServerEvent, {}, 'Not registered: a password has at least 8 characters.'],
    [{ action: 'exchange', from: '[bob]', message: 'hi all', name: 'bob', front: 'tcp', id: 1, group: 1, seq: 1, ts: 'x' } as ServerEvent, {}, '[bob]hi all'],
    [{ action: 'edit', from: '[bob]', message: '(edit) hi everyone', name: 'bob', front: 'tcp', id: 1, group: 1, text: 'hi everyone' } as ServerEvent, {}, '[bob] (edit) hi everyone'],
    [{ action: 'edit', from: '[bob]', message: '(deleted a line)', name: 'bob', front: 'tcp', id: 1, group: 1, text: '', deleted: true } as ServerEvent, {}, '[bob] (deleted a line)'],
    [{ action: 'pong', message: 'blah blah' } as ServerEvent, {}, 'pong blah blah'],
    [{ action: 'leave', name: 'c', group: 1, members: [], kickedBy: 'a', reason: 'spam' } as ServerEvent, {}, '(c was removed by a: spam)'],
    [{ action: 'leave', name: 'c', group: 1, members: [] } as ServerEvent, {}, '(c left)'],
    [{ action: 'lock', group: 1, locked: true, by: 'ann' } as ServerEvent, {}, '(ann made this group invite-only)'],
    [{ action: 'invite', status: 'invited', from: 'ann', front: 'irc', target: 'cy', group: 1, room: '#tea' } as ServerEvent, {}, '(ann invited cy to #tea)'],
    [{ action: 'connect', status: 'closed', msg: '#tea is invite-only: ask a member to invite you' } as ServerEvent, {}, '#tea is invite-only: ask a member to invite you\nConnection unsuccessful\n'],
    [{ action: 'lock', group: 1, locked: false, by: 'ann' } as ServerEvent, {}, '(ann opened this group to everyone)'],
  ])('%j', (event, asked, text) => {
    expect(renderEvent(event, asked as { target?: string })).toBe(text);
  });

  it('renders transitions as the classic client did', () => {
    expect(renderTransition({ kind: 'connected', peer: 'Wen' })).toBe(`You are connected with Wen\nConnect to Wen. Chat away!\n\n${'-'.repeat(35)}\n`);
    expect(renderTransition({ kind: 'joined-by', peer: 'Joyce' })).toBe(`Request from Joyce\nYou are connected with Joyce. Chat away!\n\n${'-'.repeat(36)}\n`);
    expect(renderTransition({ kind: 'member-joined', name: 'zz' })).toBe('(zz joined)\n');
    expect(renderTransition({ kind: 'left', peer: 'bob' })).toBe(`You are disconnected from bob\n${MENU}`);
    expect(renderTransition({ kind: 'dissolved' })).toBe(MENU);
    expect(renderTransition({ kind: 'none' })).toBeNull();
  });

  it('renders what happens to one of many groups without the menu', () => {
    expect(renderTransition({ kind: 'left-group', label: '#b' })).toBe('You are disconnected from #b');
    expect(renderTransition({ kind: 'group-ended', label: '#group-3', kicked: false, direct: false })).toBe('(everyone else left #group-3)');
    expect(renderTransition({ kind: 'group-ended', label: 'bob', kicked: false, direct: true })).toBe('(bob left your conversation)');
    expect(renderTransition({ kind: 'group-ended', label: '#a', kicked: true, direct: false })).toBeNull();
    expect(renderTransition({ kind: 'focused', label: '#a', unread: 2 })).toBe('(now in #a, 2 unread; rooms lists your groups, w <n> switches)');
    expect(renderTransition({ kind: 'focused', label: 'bob', unread: 0 })).toBe('(now in bob; rooms lists your groups, w <n> switches)');
  });
});

describe('what a returning user missed', () => {
  it('is a block: a heading that says how many, the lines as search prints them, a closing rule', () => {
    const ts = '2026-11-25T14:30:00.000Z';
    const event: ServerEvent = {
      action: 'missed',
      group: 3,
      kind: 'room',
      title: '#tea',
      lines: [{ id: 9, group: 3, seq: 4, label: '#tea', from: 'bob', message: 'tea?', ts }],
      older: 2,
      msg: '1 line in #tea while you were away (and 2 older: ? <word> searches them)',
    };
    expect(renderEvent(event)).toBe(
      ['-- 1 line in #tea while you were away (and 2 older: ? <word> searches them) --', classicHistoryLine(new Date(ts), 'bob', 'tea?'), '-- end of what you missed in #tea --'].join('\n'),
    );
    expect(renderEvent({ action: 'resume', groups: 2 })).toBeNull();
  });
});
