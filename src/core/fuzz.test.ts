/**
 * Property tests: tens of thousands of generated inputs for the frame decoder, the command
 * parser, edge validation and the hub. No exception escapes, nothing hangs, and the decoder's
 * output does not depend on how the bytes were chunked.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parseCommand } from './commands.js';
import { FrameDecoder } from './framing.js';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { ClientAction } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';
import { parseAction, validateAction } from './validate.js';

/** Per property; with four of them, some 40,000 inputs a run. */
const RUNS = 10_000;
const TIMEOUT = 60_000;

function decodeAll(chunks: Uint8Array[]): { frames: string[]; error: string | null } {
  const decoder = new FrameDecoder(2000);
  const frames: string[] = [];
  for (const chunk of chunks) {
    const r = decoder.push(Buffer.from(chunk));
    frames.push(...r.frames);
    if (r.error) return { frames, error: r.error.code };
  }
  return { frames, error: null };
}

/** Splits bytes at the given (sorted, deduplicated) cut points. */
function cut(bytes: Uint8Array, cuts: number[]): Uint8Array[] {
  const points = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
  const out: Uint8Array[] = [];
  let from = 0;
  for (const p of points) {
    out.push(bytes.subarray(from, p));
    from = p;
  }
  out.push(bytes.subarray(from));
  return out;
}

/** A frame as a foreign sender writes it: header counting code points, raw UTF-8 payload. */
const frameArb = fc.string({ unit: 'grapheme', maxLength: 40 }).map((text) => Buffer.from(String([...text].length).padStart(5, '0') + text, 'utf8'));
const streamArb = fc.oneof(
  fc.array(frameArb, { maxLength: 6 }).map((frames) => new Uint8Array(Buffer.concat(frames))),
  fc.uint8Array({ maxLength: 120 }),
  fc.tuple(fc.array(frameArb, { maxLength: 3 }), fc.uint8Array({ maxLength: 30 })).map(([f, junk]) => new Uint8Array(Buffer.concat([...f, junk]))),
);

describe('FrameDecoder (property)', () => {
  it('gives the same frames and error however the stream is chunked, and never throws', () => {
    fc.assert(
      fc.property(streamArb, fc.array(fc.nat(), { maxLength: 12 }), (bytes, cuts) => {
        expect(decodeAll(cut(bytes, cuts))).toEqual(decodeAll([bytes]));
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);

  it('returns every well-formed frame as sent', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ unit: 'grapheme', maxLength: 30 }), { maxLength: 5 }), (texts) => {
        const bytes = Buffer.concat(texts.map((t) => Buffer.from(String([...t].length).padStart(5, '0') + t, 'utf8')));
        expect(decodeAll([bytes]).frames).toEqual(texts);
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('parseCommand (property)', () => {
  it('never throws, and every action it produces passes edge validation', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 60 }), fc.constantFrom('command' as const, 'chat' as const), (line, mode) => {
        const command = parseCommand(line, mode);
        if (command.kind === 'send') {
          for (const action of command.actions) expect(validateAction(JSON.parse(JSON.stringify(action)))).toEqual({ ok: true, action });
        }
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('parseAction (property)', () => {
  it('never throws on any JSON text or value', () => {
    const actionish = fc.record({ action: fc.oneof(fc.constantFrom('login', 'poem', 'exchange', 'connect', 'kick', 'topic', 'search'), fc.string()), name: fc.anything(), target: fc.anything(), message: fc.anything(), topic: fc.anything(), reason: fc.anything(), features: fc.anything() }, { requiredKeys: ['action'] });
    fc.assert(
      fc.property(fc.oneof(fc.string({ unit: 'binary' }), fc.json(), actionish.map((v) => JSON.stringify(v) ?? 'null')), (text) => {
        const result = parseAction(text);
        expect(typeof result.ok).toBe('boolean');
      }),
      { numRuns: RUNS },
    );
  }, TIMEOUT);
});

describe('Hub (property)', () => {
  const sonnets = new SonnetBook(parseSonnets('I.\n\nOne line of verse\n'));
  const names = ['ann', 'bob', 'cy', 'dee'];
  const actionArb: fc.Arbitrary<ClientAction> = fc.oneof(
    fc.constantFrom<ClientAction>({ action: 'time' }, { action: 'list' }, { action: 'disconnect' }, { action: 'topic' }),
    fc.constantFrom(...names, '#room', '#group-1', 'nobody', '').map((target): ClientAction => ({ action: 'connect', target })),
    fc.string({ maxLength: 10 }).map((message): ClientAction => ({ action: 'exchange', message })),
    fc.string({ maxLength: 10 }).map((target): ClientAction => ({ action: 'search', target })),
    fc.constantFrom(...names).map((target): ClientAction => ({ action: 'kick', target })),
    fc.constantFrom(...names).map((target): ClientAction => ({ action: 'invite', target })),
    fc.record({ target: fc.constantFrom(...names, 'nobody'), message: fc.string({ maxLength: 5 }) }).map((d): ClientAction => ({ action: 'direct', ...d })),
    fc.constantFrom('1', '2', '#room', ...names).map((target): ClientAction => ({ action: 'focus', target })),
    fc.boolean().map((locked): ClientAction => ({ action: 'lock', locked })),
    fc.record({ group: fc.integer({ min: 1, max: 6 }), message: fc.string({ maxLength: 5 }) }).map((e): ClientAction => ({ action: 'exchange', ...e })),
    fc.integer({ min: 1, max: 6 }).map((group): ClientAction => ({ action: 'disconnect', group })),
    fc.constant<ClientAction>({ action: 'rooms' }),
    fc.string({ maxLength: 5 }).map((target): ClientAction => ({ action: 'poem', target })),
  );
  const stepArb = fc.record({ who: fc.nat(names.length - 1), act: fc.oneof({ weight: 8, arbitrary: actionArb }, { weight: 1, arbitrary: fc.constant('close' as const) }) });

  it('keeps its invariants under any sequence of actions from several users', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { maxLength: 40 }), (steps) => {
        const errors: string[] = [];
        const log = { debug: () => {}, info: () => {}, warn: () => {}, error: (m: string) => errors.push(m) };
        const hub = new Hub({ history: new MemoryHistory(), accounts: new MemoryAccounts(), sonnets, clock: { now: () => new Date(0) }, log });
        const open = (i: number) => {
          // ann and cy show many groups; bob and dee have the classic one-group view
          const s = hub.open({ front: 'tcp', deliver: () => {}, features: i % 2 === 0 ? ['events', 'rooms'] : ['events'] });
          s.dispatch({ action: 'login', name: names[i]! });
          return s;
        };
        const sessions = names.map((_, i) => open(i));
        for (const { who, act } of steps) {
          if (act === 'close') {
            sessions[who]!.close();
            sessions[who] = open(who);
          } else {
            sessions[who]!.dispatch(act);
          }
          hub.flush();
          const shared = new Map<unknown, number>();
          for (const group of hub.groups.list()) {
            expect(group.members.length).toBeGreaterThanOrEqual(group.kind === 'adhoc' ? 2 : 1);
            if (group.kind === 'direct') expect(group.members.length).toBeLessThanOrEqual(2);
            expect(new Set(group.members.map((m) => m.member)).size).toBe(group.members.length);
            for (const m of group.members) {
              expect(hub.groups.of(m.member)).toContain(group);
              if (group.kind !== 'direct') shared.set(m.member, (shared.get(m.member) ?? 0) + 1);
            }
          }
          for (const member of hub.presence.list()) {
            if (member.focus !== null) expect(hub.groups.of(member).map((g) => g.id)).toContain(member.focus);
            // a one-group session is in one group besides its direct conversations
            if (!member.rooms) expect(shared.get(member) ?? 0).toBeLessThanOrEqual(1);
          }
        }
        expect(errors).toEqual([]);
      }),
      { numRuns: 600 },
    );
  }, TIMEOUT);
});
