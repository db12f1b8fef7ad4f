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
