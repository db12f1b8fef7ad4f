import { describe, expect, it } from 'vitest';
import { parseAction } from './validate.js';

describe('parseAction', () => {
  it.each([
    ['{"action": "login", "name": "zz"}', { action: 'login', name: 'zz' }],
    ['{"action":"login","name":"zz","features":["events","nonsense"]}', { action: 'login', name: 'zz', features: ['events'] }],
    ['{"action":"login","name":"zz","password":"pass word","features":["presence"]}', { action: 'login', name: 'zz', password: 'pass word', features: ['presence'] }],
    ['{"action": "register", "password": "pass word"}', { action: 'register', password: 'pass word' }],
    ['{"action": "time"}', { action: 'time' }],
    ['{"action": "list"}', { action: 'list' }],
    ['{"action": "poem", "target": "3"}', { action: 'poem', target: '3' }],
    ['{"action": "poem", "target": 3}', { action: 'poem', target: '3' }],
    ['{"action": "sonnets", "target": "summer"}', { action: 'sonnets', target: 'summer' }],
    ['{"action": "search", "target": "love"}', { action: 'search', target: 'love' }],
    ['{"action": "connect", "target": "peter"}', { action: 'connect', target: 'peter' }],
    ['{"action": "exchange", "from": "[zz]", "message": "hi"}', { action: 'exchange', message: 'hi' }],
    ['{"action": "exchange", "from": "[someone-else]", "message": "hi"}', { action: 'exchange', message: 'hi' }],
    ['{"action": "flip", "message": "a b"}', { action: 'flip', message: 'a b' }],
    ['{"action": "ping", "message": "blah"}', { action: 'ping', message: 'blah' }],
    ['{"action": "disconnect"}', { action: 'disconnect' }],
    ['{"action": "disconnect", "reason": "bedtime"}', { action: 'disconnect', reason: 'bedtime' }],
    ['{"action": "topic"}', { action: 'topic' }],
    ['{"action": "topic", "topic": "poems"}', { action: 'topic', topic: 'poems' }],
    ['{"action": "kick", "target": "bob"}', { action: 'kick', target: 'bob' }],
    ['{"action": "kick", "target": "bob", "reason": "spam"}', { action: 'kick', target: 'bob', reason: 'spam' }],
    ['{"action": "invite", "target": "bob"}', { action: 'invite', target: 'bob' }],
    ['{"action": "connect", "target": "#tea", "key": "sesame"}', { action: 'connect', target: '#tea', key: 'sesame' }],
    ['{"action": "mode", "group": 3}', { action: 'mode', group: 3 }],
    [
      '{"action": "mode", "changes": [{"mode": "k", "on": true, "arg": "x"}, {"mode": "k", "on": false}, {"mode": "l", "on": false}, {"mode": "b", "on": true, "arg": "a!*@*"}]}',
      { action: 'mode', changes: [{ mode: 'k', on: true, arg: 'x' }, { mode: 'k', on: false }, { mode: 'l', on: false }, { mode: 'b', on: true, arg: 'a!*@*' }] },
    ],
    ['{"action": "oper", "name": "root", "password": "pw"}', { action: 'oper', name: 'root', password: 'pw' }],
    ['{"action": "kill", "target": "bob", "reason": "spam"}', { action: 'kill', target: 'bob', reason: 'spam' }],
    ['{"action": "history", "target": "#tea", "after": {"group": 2, "seq": 5}, "newest": true, "limit": 9}', { action: 'history', target: '#tea', after: { group: 2, seq: 5 }, newest: true, limit: 9 }],
    ['{"action": "history", "target": "bob", "before": {"ts": "2026-11-25T14:30:00.000Z"}}', { action: 'history', target: 'bob', before: { ts: '2026-11-25T14:30:00.000Z' } }],
    ['{"action": "conversations", "after": "2026-11-25T14:30:00.000Z", "limit": 5}', { action: 'conversations', after: '2026-11-25T14:30:00.000Z', limit: 5 }],
    ['{"action":"login","name":"zz","features":["echo","signals"]}', { action: 'login', name: 'zz', features: ['echo', 'signals'] }],
    ['{"action": "signal", "tags": {"+typing": "active"}, "group": 2}', { action: 'signal', tags: { '+typing': 'active' }, group: 2 }],
  ])('accepts %s', (json, action) => {
    expect(parseAction(json)).toEqual({ ok: true, action });
  });

  it.each([
    ['', 'bad-json'],
    ['{"action": "time"', 'bad-json'],
    ['[1, 2]', 'bad-request'],
    ['"time"', 'bad-request'],
    ['null', 'bad-request'],
    ['{"name": "zz"}', 'bad-request'],
    ['{"action": 5}', 'bad-request'],
    ['{"action": "fly"}', 'unknown-action'],
    ['{"action": "toString"}', 'unknown-action'],
    ['{"action": "__proto__"}', 'unknown-action'],
    ['{"action": "login"}', 'bad-request'],
    ['{"action": "login", "name": ["zz"]}', 'bad-request'],
    ['{"action": "login", "name": "zz", "features": "events"}', 'bad-request'],
    ['{"action": "poem", "target": null}', 'bad-request'],
    ['{"action": "search", "target": 5}', 'bad-request'],
    ['{"action": "exchange", "message": {"x": 1}}', 'bad-request'],
    ['{"action": "topic", "topic": 5}', 'bad-request'],
    ['{"action": "kick", "target": "bob", "reason": []}', 'bad-request'],
    ['{"action": "history", "target": "#tea", "after": {"group": 1}}', 'bad-request'],
    ['{"action": "history", "target": "#tea", "limit": 0}', 'bad-request'],
    ['{"action": "history", "target": "#tea", "newest": "yes"}', 'bad-request'],
    ['{"action": "conversations", "before": 5}', 'bad-request'],
    ['{"action": "signal", "tags": {"typing": "active"}}', 'bad-request'],
    ['{"action": "signal", "tags": {}}', 'bad-request'],
    ['{"action": "signal", "tags": {"+typing": 1}}', 'bad-request'],
    ['{"action": "invite"}', 'bad-request'],
    ['{"action": "connect", "target": "#tea", "key": 5}', 'bad-request'],
    ['{"action": "mode", "changes": [{"mode": "x", "on": true}]}', 'bad-request'],
    ['{"action": "mode", "changes": [{"mode": "o", "on": true}]}', 'bad-request'],
    ['{"action": "mode", "changes": [{"mode": "k", "on": true}]}', 'bad-request'],
    ['{"action": "mode", "changes": [{"mode": "m", "on": "yes"}]}', 'bad-request'],
    [`{"action": "mode", "changes": [${Array(21).fill('{"mode": "m", "on": true}').join(', ')}]}`, 'bad-request'],
    ['{"action": "oper", "name": "root"}', 'bad-request'],
    ['{"action": "kill", "target": "bob", "reason": 1}', 'bad-request'],
    ['{"action": "disconnect", "reason": 7}', 'bad-request'],
    ['{"action": "login", "name": "zz", "password": 1234}', 'bad-request'],
    ['{"action": "register"}', 'bad-request'],
    ['{"action": "register", "password": null}', 'bad-request'],
    [`{"action": "register", "password": "${'x'.repeat(257)}"}`, 'bad-request'],
  ])('rejects %s with %s', (json, code) => {
    const result = parseAction(json);
    expect(result.ok).toBe(false);
    if (!result.ok) expect(result.error.code).toBe(code);
  });

  it('never quotes a password in an error', () => {
    const result = parseAction(`{"action": "login", "name": "zz", "password": "${'hunter2'.repeat(40)}"}`);
    expect(result).toEqual({ ok: false, error: { code: 'bad-request', msg: '"password" must be a string of at most 256 characters', for: 'login' } });
  });
});
