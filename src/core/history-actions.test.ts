import { describe, expect, it } from 'vitest';
import { Hub } from './hub.js';
import { MemoryAccounts } from './memory-accounts.js';
import { MemoryHistory } from './memory-history.js';
import type { ClientAction, Feature, ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const sonnets = new SonnetBook(parseSonnets('I.\n\nFrom fairest creatures we desire increase,\n'));
const turn = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

function setup(commitFault: () => Error | null = () => null) {
  const log = () => undefined;
  let now = Date.UTC(2026, 10, 25, 14, 30);
  const hub = new Hub({
    history: new MemoryHistory({ commitFault }),
    accounts: new MemoryAccounts(),
    sonnets,
    // Every line a millisecond after the one before.
    clock: { now: () => new Date(now++) },
    log: { debug: log, info: log, warn: log, error: log },
    limits: { historyPage: 3 },
  });
  const user = (name: string, features: Feature[] = ['events', 'rooms']) => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front: 'tcp', deliver: (e) => events.push(e), features });
    void session.dispatch({ action: 'login', name });
    const ask = async <K extends ServerEvent['action']>(action: ClientAction, kind: K): Promise<Extract<ServerEvent, { action: K }>> => {
      events.length = 0;
      await session.dispatch(action, 'x');
      const answers = events.splice(0);
      const found = answers.find((e) => e.action === kind);
      if (!found) throw new Error(`no ${kind} in ${JSON.stringify(answers)}`);
      return found as Extract<ServerEvent, { action: K }>;
    };
    return { events, session, ask, say: (message: string, group: number) => session.dispatch({ action: 'exchange', message, group }) };
  };
  return { hub, user };
}

const texts = (e: Extract<ServerEvent, { action: 'history' }>): string[] => e.lines.map((l) => l.message);

describe('history', () => {
  it('pages through a room with the lines a member was entitled to, by line or by moment', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await alice.say('before bob', 1);
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    for (const n of [1, 2, 3, 4]) await alice.say(`line ${n}`, 1);
    await turn();
    const latest = await bob.ask({ action: 'history', target: '#TEA', newest: true }, 'history');
    expect(latest.target).toBe('#TEA');
    expect(texts(latest)).toEqual(['line 2', 'line 3', 'line 4']);
    expect(latest.lines[0]).toMatchObject({ group: 1, seq: 3, label: '#tea', from: 'alice' });
    const older = await bob.ask({ action: 'history', target: '#tea', before: { group: 1, seq: 3 }, newest: true, limit: 50 }, 'history');
    expect(texts(older)).toEqual(['line 1']);
    const after = await bob.ask({ action: 'history', target: '#tea', after: { ts: latest.lines[0]!.ts }, limit: 1 }, 'history');
    expect(texts(after)).toEqual(['line 3']);
    expect(texts(await bob.ask({ action: 'history', target: '#nowhere' }, 'history'))).toEqual([]);
    expect(await bob.ask({ action: 'history', target: '#tea', after: { ts: 'yesterday' } }, 'error')).toMatchObject({ code: 'bad-request', for: 'history' });
  });

  it('reads a direct conversation by the other person, online or not, and lists conversations newest first', async () => {
    const { user } = setup();
    const alice = user('alice');
    const bob = user('bob');
    await alice.session.dispatch({ action: 'direct', target: 'bob', message: 'psst' });
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await alice.say('tea time', 2);
    await turn();
    bob.session.close();
    expect(texts(await alice.ask({ action: 'history', target: 'BOB' }, 'history'))).toEqual(['psst']);
    expect(texts(await alice.ask({ action: 'history', target: 'carol' }, 'history'))).toEqual([]);
    const list = await alice.ask({ action: 'conversations' }, 'conversations');
    expect(list.conversations.map((c) => c.target)).toEqual(['#tea', 'bob']);
    const early = await alice.ask({ action: 'conversations', before: list.conversations[0]!.ts }, 'conversations');
    expect(early.conversations.map((c) => c.target)).toEqual(['bob']);
  });

  it('answers unavailable while the store cannot write', async () => {
    let failing = false;
    const { user } = setup(() => (failing ? new Error('disk full') : null));
    const alice = user('alice');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    failing = true;
    await alice.say('lost', 1);
    await turn();
    expect(await alice.ask({ action: 'history', target: '#tea' }, 'error')).toMatchObject({ code: 'unavailable', for: 'history' });
  });
});

describe('the echo feature', () => {
  it("gives a sender its own line once stored, as the others get it; without it the sender gets nothing", async () => {
    const { user } = setup();
    const alice = user('alice', ['events', 'rooms', 'echo']);
    const bob = user('bob');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    await bob.session.dispatch({ action: 'connect', target: '#tea' });
    alice.events.length = 0;
    bob.events.length = 0;
    await alice.say('hello', 1);
    await bob.say('hi', 1);
    expect(alice.events).toEqual([]);
    await turn();
    const mine = alice.events.filter((e) => e.action === 'exchange');
    const theirs = bob.events.filter((e) => e.action === 'exchange');
    expect(mine.map((e) => e.message)).toEqual(['hello', 'hi']);
    expect(theirs.map((e) => e.message)).toEqual(['hello']);
    expect(mine[0]).toBe(theirs[0]);
  });
});

describe('a feature negotiated as the session goes', () => {
  it('echoes the lines said after echo is wanted, and none after it is not', async () => {
    const { user } = setup();
    const alice = user('alice');
    await alice.session.dispatch({ action: 'connect', target: '#tea' });
    alice.events.length = 0;
    await alice.say('before', 1);
    await turn();
    alice.session.want('echo', true);
    await alice.say('during', 1);
    await turn();
    alice.session.want('echo', false);
    await alice.say('after', 1);
    await turn();
    expect(alice.events.filter((e) => e.action === 'exchange').map((e) => e.message)).toEqual(['during']);
  });
});
