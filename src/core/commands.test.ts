import { describe, expect, it } from 'vitest';
import { parseCommand, type Command } from './commands.js';

const send = (...actions: unknown[]): Command => ({ kind: 'send', actions } as Command);

describe('parseCommand, logged in', () => {
  it.each<[string, Command]>([
    ['time', send({ action: 'time' })],
    [' who ', send({ action: 'list' })],
    ['WHO', send({ action: 'list' })],
    ['c peter', send({ action: 'connect', target: 'peter' })],
    ['cpeter', send({ action: 'connect', target: 'peter' })],
    ['c   Zoë', send({ action: 'connect', target: 'Zoë' })],
    ['c #lobby', send({ action: 'connect', target: '#lobby' })],
    ['c #lobby sesame', send({ action: 'connect', target: '#lobby', key: 'sesame' })],
    ['? love', send({ action: 'search', target: 'love' })],
    ['?love ICS', send({ action: 'search', target: 'love ICS' })],
    ['? "summer day"', send({ action: 'search', target: '"summer day"' })],
    ['p 3', send({ action: 'poem', target: '3' })],
    ['p3', send({ action: 'poem', target: '3' })],
    ['p xviii', send({ action: 'poem', target: 'xviii' })],
    ['p 1000', send({ action: 'poem', target: '1000' })],
    ['s summer', send({ action: 'sonnets', target: 'summer' })],
    ['ping blah blah', send({ action: 'ping', message: 'blah blah' })],
    ['ping', send({ action: 'ping', message: '' })],
    ['bye', send({ action: 'disconnect' })],
    ['bye #nowhere', { kind: 'usage', msg: 'you are not in #nowhere: rooms lists your groups' }],
    ['m bob hi there', send({ action: 'direct', target: 'bob', message: 'hi there' })],
    ['m bob', { kind: 'usage', msg: 'usage: m <name> <text>: a private line to one person' }],
    ['j #tea', send({ action: 'connect', target: '#tea' })],
    ['j tea', send({ action: 'connect', target: '#tea' })],
    ['rooms', send({ action: 'rooms' })],
    ['w 2', send({ action: 'focus', target: '2' })],
    ['w #tea', send({ action: 'focus', target: '#tea' })],
    ['lock', send({ action: 'lock', locked: true })],
    ['unlock', send({ action: 'lock', locked: false })],
    ['topic', send({ action: 'topic' })],
    ['topic the sonnets, all of them', send({ action: 'topic', topic: 'the sonnets, all of them' })],
    ['invite carol', send({ action: 'invite', target: 'carol' })],
    ['kick bob', send({ action: 'kick', target: 'bob' })],
    ['kick bob  too  loud', send({ action: 'kick', target: 'bob', reason: 'too loud' })],
    ['register', { kind: 'register' }],
    ['REGISTER', { kind: 'register' }],
    ['register  two words ', send({ action: 'register', password: 'two words' })],
    ['help', { kind: 'help' }],
    ['q', { kind: 'quit' }],
    ['', { kind: 'empty' }],
    ['   ', { kind: 'empty' }],
  ])('%j', (line, command) => {
    expect(parseCommand(line, 'command')).toEqual(command);
  });

  it.each<[string, Command]>([
    ['c', { kind: 'usage', msg: 'usage: c <name>: connect to a user' }],
    ['?', { kind: 'usage', msg: 'usage: ? <words>: search your chat history' }],
    ['p', { kind: 'usage', msg: 'usage: p <n>: sonnet n, 1-154 (or a Roman numeral)' }],
    ['s', { kind: 'usage', msg: 'usage: s <word>: find the sonnets holding a word' }],
  ])('explains %j', (line, command) => {
    expect(parseCommand(line, 'command')).toEqual(command);
  });

  it.each(['cat is cute', 'pizza', 'p3x', 'time please', 'q now', 'hello', 'bye now'])('%j is not a command', (line) => {
    expect(parseCommand(line, 'command')).toEqual({ kind: 'unknown', text: line });
  });
});

describe('parseCommand, chatting', () => {
  it.each<[string, Command]>([
    ['hi all', send({ action: 'exchange', message: 'hi all' })],
    ['who', send({ action: 'exchange', message: 'who' })],
    ['q', send({ action: 'exchange', message: 'q' })],
    ['  spaced  ', send({ action: 'exchange', message: '  spaced  ' })],
    ['bye', send({ action: 'exchange', message: 'bye' }, { action: 'disconnect' })],
    ['_flip_ what said is true', send({ action: 'flip', message: 'what said is true' })],
    ['/who', send({ action: 'list' })],
    ['/p 18', send({ action: 'poem', target: '18' })],
    ['/q', { kind: 'quit' }],
    ['/topic new', send({ action: 'topic', topic: 'new' })],
    ['//who', send({ action: 'exchange', message: '/who' })],
    ['/register', { kind: 'register' }],
    ['/register pass word', send({ action: 'register', password: 'pass word' })],
    ['register pass word', send({ action: 'exchange', message: 'register pass word' })],
    ['/', send({ action: 'exchange', message: '/' })],
    ['', { kind: 'empty' }],
  ])('%j', (line, command) => {
    expect(parseCommand(line, 'chat')).toEqual(command);
  });
});

describe('parseCommand, leaving one of many groups', () => {
  it('finds the group a bye names through the lookup it is given', () => {
    const lookup = (label: string) => (label.toLowerCase() === '#tea' ? 7 : undefined);
    expect(parseCommand('bye #Tea', 'command', lookup)).toEqual(send({ action: 'disconnect', group: 7 }));
    expect(parseCommand('/bye #tea', 'chat', lookup)).toEqual(send({ action: 'disconnect', group: 7 }));
  });
});
