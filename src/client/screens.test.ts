import { describe, expect, it } from 'vitest';
import type { HistoryLine, MembershipInfo, ServerEvent } from '../core/protocol.js';
import { UserState } from '../core/user-state.js';
import { elsewhere, lineElsewhere, roomsText, searchText } from './screens.js';

const members = [{ name: 'alice', front: 'tcp' }, { name: 'bob', front: 'irc' }];

function inTwoRooms(): UserState {
  const s = new UserState({ rooms: true });
  s.sent({ action: 'login', name: 'alice' });
  s.apply({ action: 'login', status: 'ok' });
  s.apply({ action: 'connect', status: 'success', peer: '#a', group: 1, room: '#a', kind: 'room', members });
  s.apply({ action: 'connect', status: 'success', peer: '#b', group: 2, room: '#b', kind: 'room', members });
  return s;
}

const line = (group: number, extra: Partial<Extract<ServerEvent, { action: 'exchange' }>> = {}): Extract<ServerEvent, { action: 'exchange' }> => ({
  action: 'exchange',
  from: '[bob]',
  message: 'hi',
  name: 'bob',
  front: 'irc',
  id: 1,
  group,
  seq: 1,
  ts: '',
  ...extra,
});

describe('elsewhere', () => {
  it('names the group of an event that is not the focus, and nothing for the focus or a group not the user\'s', () => {
    const s = inTwoRooms();
    expect(elsewhere(line(2), s)).toBeNull();
    expect(elsewhere(line(1), s)).toBe('#a');
    expect(elsewhere({ action: 'leave', name: 'bob', group: 1, members }, s)).toBe('#a');
    expect(elsewhere({ action: 'invite', status: 'request', from: 'cy', front: 'web', group: 7, room: '#c' }, s)).toBeNull();
    expect(elsewhere({ action: 'disconnect', msg: 'x', group: 1 }, s)).toBeNull();
  });

  it('leaves a connect request at the menu to the classic screen', () => {
    const s = new UserState({ rooms: true });
    s.sent({ action: 'login', name: 'alice' });
    s.apply({ action: 'login', status: 'ok' });
    expect(elsewhere({ action: 'connect', status: 'request', from: 'bob', front: 'irc', group: 3, members }, s)).toBeNull();
  });
});

describe('lineElsewhere', () => {
  it.each([
    [line(1), '#a', '#a [bob]hi'],
    [line(9, { direct: true }), 'bob', '[bob → you]hi'],
  ])('%j in %s', (event, where, text) => {
    expect(lineElsewhere(event, where)).toBe(text);
  });
});

describe('roomsText', () => {
  const entry = (over: Partial<MembershipInfo>): MembershipInfo => ({ group: 1, kind: 'room', label: '#a', members, unread: 0, focus: false, locked: false, ...over });

  it('numbers the groups as w takes them, marks the focus, and says what is special', () => {
    expect(roomsText([entry({ focus: true }), entry({ group: 2, kind: 'direct', label: 'bob', unread: 3 }), entry({ group: 3, label: '#c', locked: true, members: [members[0]!] })], 'alice')).toBe(
      ['Your groups (* is where your lines go; w <n> switches):', '* 1. #a: bob', '  2. bob (direct, 3 unread)', '  3. #c: nobody else (invite-only)'].join('\n'),
    );
    expect(roomsText([], 'alice')).toMatch(/^You are in no group/);
  });
});

describe('searchText', () => {
  const match = (group: number, label: string, message: string): HistoryLine => ({ id: 1, group, seq: 1, label, from: 'alice', message, ts: new Date(2026, 10, 25, 14, 30).toISOString() });
  const search = (matches: HistoryLine[], omitted = 0): Extract<ServerEvent, { action: 'search' }> => ({ action: 'search', results: 'x', matches, omitted });

  it('is the classic screen when the lines come from one group, and names the group when from several', () => {
    expect(searchText(search([match(1, '#a', 'one'), match(1, '#a', 'two')]))).toBe('(25.11.26,14:30) alice : one\n(25.11.26,14:30) alice : two\n\n');
    expect(searchText(search([match(1, '#a', 'one'), match(2, 'alice+bob', 'two')], 4))).toBe(
      '(25.11.26,14:30) #a alice : one\n(25.11.26,14:30) alice+bob alice : two\n(4 older matches not shown)\n\n',
    );
    expect(searchText(search([]))).toBeNull();
  });

  it('says when the count of older matches stopped', () => {
    expect(searchText({ ...search([match(1, '#a', 'one')], 100), more: true })).toBe('(25.11.26,14:30) alice : one\n(more than 100 older matches not shown)\n\n');
  });
});
