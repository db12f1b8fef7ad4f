import { describe, expect, it } from 'vitest';
import { UserState } from './user-state.js';

const members = [{ name: 'alice', front: 'tcp' }, { name: 'bob', front: 'irc' }];

describe('UserState', () => {
  it('logs in on an ok reply to the name it sent', () => {
    const s = new UserState();
    expect(s.apply({ action: 'login', status: 'ok' })).toEqual({ kind: 'none' });
    s.sent({ action: 'login', name: 'alice' });
    expect(s.apply({ action: 'login', status: 'duplicate' })).toEqual({ kind: 'none' });
    expect(s.state).toBe('offline');
    s.sent({ action: 'login', name: 'alicia' });
    expect(s.apply({ action: 'login', status: 'ok' })).toEqual({ kind: 'logged-in', name: 'alicia' });
    expect(s.state).toBe('loggedin');
    expect(s.mode).toBe('command');
  });

  it('takes the name an account login confirms, spelt as registered', () => {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice', password: 'pass word' });
    expect(s.apply({ action: 'login', status: 'ok', name: 'Alice', registered: true })).toEqual({ kind: 'logged-in', name: 'Alice' });
  });

  it('starts chatting on a connect success or a request push, and counts joiners after that', () => {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    expect(s.apply({ action: 'connect', status: 'no-user' })).toEqual({ kind: 'none' });
    expect(s.apply({ action: 'connect', status: 'request', from: 'bob', front: 'irc', group: 1, members })).toEqual({ kind: 'joined-by', peer: 'bob' });
    expect(s.mode).toBe('chat');
    expect(s.apply({ action: 'connect', status: 'request', from: 'carol', front: 'web', group: 1, members })).toEqual({ kind: 'member-joined', name: 'carol' });
    expect(s.apply({ action: 'leave', name: 'carol', group: 1, members })).toEqual({ kind: 'member-left', name: 'carol' });
    expect(s.group).toBe(1);
  });

  it('keeps a large group\'s members from notices that name only who came or went', () => {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    s.sent({ action: 'connect', target: '#big' });
    s.apply({ action: 'connect', status: 'success', peer: '#big', group: 1, room: '#big', kind: 'room', members });
    expect(s.apply({ action: 'connect', status: 'request', from: 'carol', front: 'web', group: 1, room: '#big', count: 3, kind: 'room' })).toEqual({ kind: 'member-joined', name: 'carol' });
    expect(s.members).toEqual([...members, { name: 'carol', front: 'web' }]);
    expect(s.apply({ action: 'leave', name: 'bob', group: 1, count: 2 })).toEqual({ kind: 'member-left', name: 'bob' });
    expect(s.members).toEqual([{ name: 'alice', front: 'tcp' }, { name: 'carol', front: 'web' }]);
  });

  it('follows a rename: its own name, a member\'s, and the peer it chats with', () => {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    s.apply({ action: 'connect', status: 'request', from: 'bob', front: 'irc', group: 1, members });
    expect(s.apply({ action: 'rename', old: 'bob', name: 'rob', front: 'irc' })).toEqual({ kind: 'none' });
    expect(s.peer).toBe('rob');
    expect(s.members).toEqual([{ name: 'alice', front: 'tcp' }, { name: 'rob', front: 'irc' }]);
    s.apply({ action: 'rename', status: 'ok', name: 'ally', old: 'alice' });
    expect(s.name).toBe('ally');
  });

  it('leaves on bye at once, and on a disconnect push', () => {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    expect(s.apply({ action: 'connect', status: 'success', peer: 'bob', group: 2, members })).toEqual({ kind: 'connected', peer: 'bob' });
    expect(s.sent({ action: 'disconnect' })).toEqual({ kind: 'left', peer: 'bob' });
    expect(s.state).toBe('loggedin');
    expect(s.apply({ action: 'disconnect', msg: 'everyone left, you are alone', group: 2 })).toEqual({ kind: 'none' });
    s.apply({ action: 'connect', status: 'success', peer: 'bob', group: 3, members });
    expect(s.apply({ action: 'disconnect', msg: 'everyone left, you are alone', group: 3 })).toEqual({ kind: 'dissolved' });
    expect(s.group).toBeNull();
  });
});

describe('UserState with many groups', () => {
  const room = (group: number, name: string) => ({ action: 'connect' as const, status: 'success' as const, peer: name, group, room: name, kind: 'room' as const, members });

  function inRooms(): UserState {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice', features: ['events', 'presence', 'rooms'] });
    s.apply({ action: 'login', status: 'ok' });
    return s;
  }

  it('keeps every group apart from the focus, which typed lines go to', () => {
    const s = inRooms();
    expect(s.apply(room(1, '#a'))).toEqual({ kind: 'connected', peer: '#a' });
    expect(s.apply(room(2, '#b'))).toEqual({ kind: 'connected', peer: '#b' });
    const three = [...members, { name: 'carol', front: 'web' }];
    expect(s.apply({ action: 'connect', status: 'request', from: 'carol', front: 'web', group: 1, room: '#a', members: three, kind: 'room' })).toEqual({ kind: 'member-joined', name: 'carol' });
    expect([s.group, s.members, s.groups.get(1)?.members]).toEqual([2, members, three]);
    expect(s.apply({ action: 'leave', name: 'carol', group: 1, members })).toEqual({ kind: 'member-left', name: 'carol' });
    s.apply({ action: 'exchange', from: '[bob]', message: 'psst', name: 'bob', front: 'irc', id: 9, group: 3, seq: 1, ts: '', direct: true });
    s.apply({ action: 'direct', status: 'sent', target: 'dan', group: 4, id: 10, seq: 1, ts: '', title: 'dan' });
    expect([...s.groups.values()].map((g) => [g.group, g.kind, g.label])).toEqual([
      [1, 'room', '#a'],
      [2, 'room', '#b'],
      [3, 'direct', 'bob'],
      [4, 'direct', 'dan'],
    ]);
    expect([s.lookup('#A'), s.lookup('BOB'), s.lookup('#nowhere')]).toEqual([1, 3, undefined]);
    expect(s.apply({ action: 'focus', group: 1, title: '#a', kind: 'room', members, unread: 2 })).toEqual({ kind: 'focused', label: '#a', unread: 2 });
    expect([s.group, s.peer, s.mode]).toEqual([1, '#a', 'chat']);
  });

  it('leaves one group: another at once, the focus until the server names the next', () => {
    const s = inRooms();
    s.apply(room(1, '#a'));
    s.apply(room(2, '#b'));
    expect(s.sent({ action: 'disconnect', group: 1 })).toEqual({ kind: 'left-group', label: '#a' });
    expect([s.group, s.state]).toEqual([2, 'chatting']);
    s.apply(room(3, '#c'));
    expect(s.sent({ action: 'disconnect' })).toEqual({ kind: 'left-group', label: '#c' });
    expect([s.group, s.mode]).toEqual([null, 'command']);
    expect(s.apply({ action: 'focus', group: 2, title: '#b', kind: 'room', members, unread: 0 })).toEqual({ kind: 'focused', label: '#b', unread: 0 });
    expect(s.sent({ action: 'disconnect', group: 2 })).toEqual({ kind: 'left', peer: '#b' });
    expect(s.apply({ action: 'focus', group: null })).toEqual({ kind: 'none' });
    expect([s.state, s.groups.size]).toEqual(['loggedin', 0]);
  });

  it('ends a group: the classic menu when it was the only one, else which one, and whether the user was removed', () => {
    const s = inRooms();
    s.apply(room(1, '#a'));
    s.apply(room(2, '#b'));
    s.apply({ action: 'connect', status: 'success', peer: 'bob', group: 3, kind: 'adhoc', members });
    expect(s.apply({ action: 'disconnect', msg: 'ann removed you from #a', group: 1, room: '#a', by: 'ann' })).toEqual({ kind: 'group-ended', label: '#a', kicked: true, direct: false });
    expect(s.group).toBe(3);
    expect(s.apply({ action: 'disconnect', msg: 'everyone left, you are alone', group: 3 })).toEqual({ kind: 'group-ended', label: '#group-3', kicked: false, direct: false });
    expect(s.mode).toBe('command');
    s.apply({ action: 'focus', group: 2, title: '#b', kind: 'room', members, unread: 0 });
    expect(s.apply({ action: 'disconnect', msg: 'everyone left, you are alone', group: 2 })).toEqual({ kind: 'dissolved' });
  });

  it('takes the server\'s list of groups as the truth about the focus', () => {
    const s = new UserState({ rooms: true });
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    const entry = (group: number, label: string, focus: boolean) => ({ group, kind: 'room' as const, label, members, unread: 0, focus, locked: false });
    s.apply({ action: 'rooms', groups: [entry(1, '#a', false), entry(2, '#b', true)] });
    expect([s.group, s.peer, s.state, s.groups.size]).toEqual([2, '#b', 'chatting', 2]);
    s.apply({ action: 'rooms', groups: [entry(1, '#a', false)] });
    expect([s.group, s.state, s.groups.size]).toEqual([null, 'loggedin', 1]);
  });

  it('knows only its focus without rooms: a direct line shown inline is no group of its own', () => {
    const s = new UserState();
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    s.apply({ action: 'connect', status: 'success', peer: 'bob', group: 2, members });
    s.apply({ action: 'exchange', from: '[carol → you]', message: 'psst', name: 'carol', front: 'irc', id: 9, group: 3, seq: 1, ts: '', direct: true });
    expect([...s.groups.keys()]).toEqual([2]);
    expect(s.sent({ action: 'disconnect' })).toEqual({ kind: 'left', peer: 'bob' });
  });
});
