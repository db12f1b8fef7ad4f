import { describe, expect, it } from 'vitest';
import { channelInput, directInput, serviceInput } from './inbound.js';

/** The user's channels: #tea is group 7, #b group 8. */
const lookup = (label: string): number | undefined => ({ '#tea': 7, '#b': 8 })[label];

describe('channelInput (typed in #tea, group 7)', () => {
  it.each([
    ['hello there', { kind: 'send', actions: [{ action: 'exchange', message: 'hello there', group: 7 }] }],
    ['\x02bold\x02 move', { kind: 'send', actions: [{ action: 'exchange', message: 'bold move', group: 7 }] }],
    ['bye', { kind: 'send', actions: [{ action: 'exchange', message: 'bye', group: 7 }, { action: 'disconnect', group: 7 }] }],
    ['_flip_ what said is true', { kind: 'send', actions: [{ action: 'flip', message: 'what said is true', group: 7 }] }],
    ['/who', { kind: 'send', actions: [{ action: 'list' }] }],
    ['/topic oolong', { kind: 'send', actions: [{ action: 'topic', topic: 'oolong', group: 7 }] }],
    ['/bye #b', { kind: 'send', actions: [{ action: 'disconnect', group: 8 }] }],
    ['/m bob hi', { kind: 'send', actions: [{ action: 'direct', target: 'bob', message: 'hi' }] }],
    ['//etc/passwd', { kind: 'send', actions: [{ action: 'exchange', message: '/etc/passwd', group: 7 }] }],
    ['\x01ACTION waves\x01', { kind: 'send', actions: [{ action: 'exchange', message: '*waves*', group: 7 }] }],
    ['\x01ACTION \x01', { kind: 'empty' }],
    ['\x01VERSION\x01', { kind: 'ctcp', name: 'VERSION' }],
    ['   ', { kind: 'empty' }],
  ])('%j', (text, expected) => expect(channelInput(text, 7, lookup)).toEqual(expected));
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
    ['bye #tea', { kind: 'send', actions: [{ action: 'disconnect', group: 7 }] }],
    ['j #b', { kind: 'send', actions: [{ action: 'connect', target: '#b' }] }],
    ['rooms', { kind: 'send', actions: [{ action: 'rooms' }] }],
    ['w 2', { kind: 'send', actions: [{ action: 'focus', target: '2' }] }],
    ['m bob hi there', { kind: 'send', actions: [{ action: 'direct', target: 'bob', message: 'hi there' }] }],
    ['help', { kind: 'help' }],
    ['q', { kind: 'quit' }],
    ['c', { kind: 'usage', msg: 'usage: c <name>: connect to a user' }],
    ['dance', { kind: 'unknown', text: 'dance' }],
    ['\x01PING 123\x01', { kind: 'ctcp', name: 'PING' }],
  ])('%j', (text, expected) => expect(serviceInput(text, lookup)).toEqual(expected));
});

describe('directInput', () => {
  it.each([
    ['\x0304hi\x03 peter ', { kind: 'text', text: 'hi peter' }],
    ['\x01ACTION nods\x01', { kind: 'text', text: '*nods*' }],
    ['\x01ACTION \x01', { kind: 'text', text: '' }],
    ['\x01VERSION\x01', { kind: 'ctcp', name: 'VERSION' }],
  ])('%j', (text, expected) => expect(directInput(text)).toEqual(expected));
});
