import { DiscordAPIError } from 'discord.js';
import { describe, expect, it } from 'vitest';
import { explainClose, explainLoginFailure } from './explain.js';

const API = 'https://discord.com/api';

describe('explainLoginFailure', () => {
  it('tells a bad token, a refused intent and a network failure apart', () => {
    const invalid = Object.assign(new Error('An invalid token was provided.'), { code: 'TokenInvalid' });
    expect(explainLoginFailure(invalid, API)).toMatchObject({ kind: 'token', line: expect.stringContaining('Reset Token') });
    expect(explainLoginFailure(new Error('Authentication failed'), API).kind).toBe('token');
    expect(explainLoginFailure(new Error('Used disallowed intents'), API)).toMatchObject({ kind: 'intents', line: expect.stringContaining('Message Content Intent') });
    const refused = new TypeError('fetch failed', { cause: Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' }) });
    expect(explainLoginFailure(refused, API)).toEqual({ kind: 'unreachable', line: `cannot reach Discord at ${API} (ECONNREFUSED): check this machine's network access to Discord` });
    expect(explainLoginFailure(new Error('the Discord gateway did not answer within 30 s (timed out)'), API).kind).toBe('unreachable');
  });

  it('reports Discord trouble and anything else as it came', () => {
    expect(explainLoginFailure(Object.assign(new Error('Service Unavailable'), { status: 503 }), API).line).toContain('HTTP 503');
    const api = new DiscordAPIError({ message: 'Unknown thing', code: 10000 }, 10000, 404, 'GET', '/gateway/bot', {});
    expect(explainLoginFailure(api, API)).toEqual({ kind: 'other', line: 'cannot log in to Discord: Unknown thing' });
  });
});

describe('explainClose', () => {
  it.each([
    [4004, 'token'],
    [4014, 'intents'],
    [4013, 'other'],
  ])('close code %i is %s', (code, kind) => {
    expect(explainClose(code).kind).toBe(kind);
  });
});
