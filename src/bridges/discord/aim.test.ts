import { describe, expect, it } from 'vitest';
import type { Command } from '../../core/commands.js';
import { aim } from './aim.js';

const send = (...actions: Extract<Command, { kind: 'send' }>['actions']): Command => ({ kind: 'send', actions });
const lookup = (label: string): number | undefined => (label === 'bob' ? 7 : undefined);

describe('aim', () => {
  it.each<[string, Command, Command]>([
    ['a line to a group', send({ action: 'exchange', message: 'hi' }), send({ action: 'exchange', message: 'hi', group: 3 })],
    ['bye in a group', send({ action: 'exchange', message: 'bye' }, { action: 'disconnect' }), send({ action: 'exchange', message: 'bye', group: 3 }, { action: 'disconnect', group: 3 })],
    ['a group named already', send({ action: 'disconnect', group: 5 }), send({ action: 'disconnect', group: 5 })],
    ['a command about no group', send({ action: 'list' }), send({ action: 'list' })],
    ['not a send', { kind: 'help' }, { kind: 'help' }],
  ])('in a group: %s', (_what, command, expected) => {
    expect(aim(command, { kind: 'group', group: 3 }, lookup)).toEqual(expected);
  });

  it.each<[string, string, Command, Command]>([
    ['a line is a direct line', 'bob', send({ action: 'flip', message: 'a b' }), send({ action: 'direct', target: 'bob', message: 'a b' })],
    ['bye leaves the conversation', 'bob', send({ action: 'exchange', message: 'bye' }, { action: 'disconnect' }), send({ action: 'direct', target: 'bob', message: 'bye' }, { action: 'disconnect', group: 7 })],
    ['bye of an ended conversation leaves nothing', 'cy', send({ action: 'disconnect' }), send()],
  ])('in a direct conversation: %s', (_what, peer, command, expected) => {
    expect(aim(command, { kind: 'direct', peer }, lookup)).toEqual(expected);
  });
});
