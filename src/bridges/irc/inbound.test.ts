import { describe, expect, it } from 'vitest';
import { channelInput, directText, serviceInput } from './inbound.js';

describe('channelInput', () => {
  it.each([
    ['hello there', { kind: 'send', actions: [{ action: 'exchange', message: 'hello there' }] }],
    ['\x02bold\x02 move', { kind: 'send', actions: [{ action: 'exchange', message: 'bold move' }] }],
    ['bye', { kind: 'send', actions: [{ action: 'exchange', message: 'bye' }, { action: 'disconnect' }] }],
    ['_flip_ what said is true', { kind: 'send', actions: [{ action: 'flip', message: 'what said is true' }] }],
    ['/who', { kind: 'send', actions: [{ action: 'list' }] }],
    ['//etc/passwd', { kind: 'send', actions: [{ action: 'exchange', message: '/etc/passwd' }] }],
    ['\x01ACTION waves\x01', { kind: 'send', actions: [{ action: 'exchange', message: '*waves*' }] }],
    ['\x01ACTION \x01', { kind: 'empty' }],
    ['\x01VERSION\x01', { kind: 'ctcp', name: 'VERSION' }],
    ['   ', { kind: 'empty' }],
  ])('%j', (text, expected) => expect(channelInput(text)).toEqual(expected));
});

describe('serviceInput', () => {
  it.each([
    ['who', { kind: 'send', actions: [{ action: 'list' }] }],
    ['/who', { kind: 'send', actions: [{ action: 'list' }] }],
    ['c peter', { kind: 'send', actions: [{ action: 'connect', target: 'peter' }] }],
    ['cpeter', { kind: 'send', actions: [{ action: 'connect', target: 'peter' }] }],
    ['? love', { kind: 'send', actions: [{ action: 'search', target: 'love' }] }],
    ['p 3', { kind: 'send', actions: [{ action: 'poem', target: '3' }] }],
    ['s summer', { kind: 'send', actions: [{ action: 'sonnets', target: 'summer' }] }],
    ['bye', { kind: 'send', actions: [{ action: 'disconnect' }] }],
    ['help', { kind: 'help' }],
    ['q', { kind: 'quit' }],
    ['c', { kind: 'usage', msg: 'usage: c <name>: connect to a user' }],
    ['dance', { kind: 'unknown', text: 'dance' }],
    ['\x01PING 123\x01', { kind: 'ctcp', name: 'PING' }],
  ])('%j', (text, expected) => expect(serviceInput(text)).toEqual(expected));
});

describe('directText', () => {
  it('keeps the words and drops formatting', () => {
    expect(directText('\x0304hi\x03 peter')).toBe('hi peter');
    expect(directText('\x01ACTION nods\x01')).toBe('*nods*');
  });
});
