import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it, vi } from 'vitest';
import { freshDatabase, POSTGRES_NEED } from '../../test/helpers/engines.js';
import { LinkHarness, login, type LinkUser } from '../../test/helpers/link-harness.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { waitFor, waitForAsync } from '../../test/helpers/wait.js';
import { searchReply } from '../core/actions/library.js';
import type { Logger } from '../core/log.js';
import type { ServerEvent } from '../core/protocol.js';
import { parseSearchQuery } from '../core/search-query.js';
import type { LocalPostgres } from '../engines/postgres.js';
import { PgHistory } from '../store/pg/pg-history.js';
import { PgNodeSearch, SEARCH_APPLICATION } from './node-search.js';
import type { RemoteHub } from './remote-hub.js';
import { LocalTransport } from './transport.js';

const timing = { heartbeatMs: 20, leaseMs: 400 };
const links = new LinkHarness(timing);
const errors: string[] = [];
const warnings: string[] = [];
const log: Logger = { debug: () => undefined, info: () => undefined, warn: (msg) => void warnings.push(msg), error: (msg) => void errors.push(msg) };

describeNeeds(POSTGRES_NEED)('a node answers searches from PostgreSQL itself', () => {
  let engine: LocalPostgres | null = null;
  let url = '';
  let history: PgHistory;
  let searcher: PgNodeSearch;
  let answered = 0;

  beforeAll(async () => {
    ({ url, engine } = await freshDatabase('node_search'));
    history = new PgHistory(url, { node: 'hub' });
    searcher = new PgNodeSearch(url, 100, log, () => void answered++);
  });
  afterEach(() => {
    links.stopAll();
    vi.restoreAllMocks();
  });
  afterAll(async () => {
    await searcher?.close();
    await history?.close();
    await engine?.destroy();
  });

  /** A hub on the PostgreSQL history, and node `a`, which searches that database itself. */
  const cluster = (): { node: RemoteHub; hubSearches: () => number } => {
    const transport = new LocalTransport();
    const { hub } = links.hubNode(transport, links.hubOn(history));
    const spy = vi.spyOn(hub.history, 'search');
    return { node: links.node('a', transport, { searcher }), hubSearches: () => spy.mock.calls.length };
  };
  const said = (u: LinkUser): ServerEvent[] => u.events.filter((e) => e.action === 'search' || e.action === 'list' || e.action === 'error');

  it('finds the line its user has just said, as the hub would answer, without asking the hub', async () => {
    const { node, hubSearches } = cluster();
    const alice = await login(node, 'alice', ['events', 'rooms']);
    const bob = await login(node, 'bob');
    for (const u of [alice, bob]) await u.session.dispatch({ action: 'connect', target: '#found' });
    // A search first, so that the next one finds a connection open and asks at once.
    await alice.session.dispatch({ action: 'search', target: 'nothing' });
    alice.events.length = 0;
    const before = answered;
    // In one batch to the hub: bob's request answered at once, then alice's line; her search waits
    // for the hub's answer to the line, which comes only once the line is stored.
    void bob.session.dispatch({ action: 'list' });
    void alice.session.dispatch({ action: 'exchange', message: 'the quick brown fox' });
    await alice.session.dispatch({ action: 'search', target: 'quick fox' });
    await bob.session.dispatch({ action: 'search', target: '"quick brown"' });
    expect(hubSearches()).toBe(0);
    expect(answered - before).toBe(2);

    const [mine] = said(alice);
    expect(mine).toMatchObject({ action: 'search', omitted: 0, matches: [{ message: 'the quick brown fox', from: 'alice', label: '#found' }] });
    expect(mine).toEqual(searchReply(history.search('alice', parseSearchQuery('quick fox'), 100), true));
    // A classic session's lines are not named by their group, as the hub's answer has it.
    expect(said(bob).at(-1)).toEqual(searchReply(history.search('bob', parseSearchQuery('"quick brown"'), 100), false));
    expect(String((said(bob).at(-1) as { results: string }).results)).not.toContain('#found');
  });

  it('keeps the order of the session\'s answers, and leaves a session not logged in to the hub', async () => {
    const { node, hubSearches } = cluster();
    const carol = await login(node, 'carol', ['events', 'rooms']);
    const dave = await login(node, 'dave');
    // The search waits on a lock; carol's next request, which the hub answers, waits for it.
    const locker = new pg.Client({ connectionString: url });
    await locker.connect();
    try {
      await locker.query('BEGIN; LOCK TABLE history_lines IN ACCESS EXCLUSIVE MODE');
      const both = Promise.all([carol.session.dispatch({ action: 'search', target: 'anything' }), carol.session.dispatch({ action: 'list' })]);
      await waitForAsync('the search to wait on the lock', async () => (await locker.query("SELECT 1 FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'")).rowCount === 1);
      // A request the hub answers after anything carol sent it before.
      await dave.session.dispatch({ action: 'list' });
      expect(said(carol)).toEqual([]);
      await locker.query('COMMIT');
      await both;
    } finally {
      await locker.end();
    }
    expect(said(carol).map((e) => e.action)).toEqual(['search', 'list']);

    const anonymous: ServerEvent[] = [];
    const session = node.open({ front: 'tcp', deliver: (e) => void anonymous.push(e) });
    await session.dispatch({ action: 'search', target: 'anything' });
    expect(anonymous).toMatchObject([{ action: 'error', for: 'search' }]);
    expect(hubSearches()).toBe(0);
  });

  it('answers while no hub is heard', async () => {
    const transport = new LocalTransport();
    const { host } = links.hubNode(transport, links.hubOn(history));
    const node = links.node('a', transport, { searcher });
    const erin = await login(node, 'erin', ['events', 'rooms']);
    await erin.session.dispatch({ action: 'connect', target: '#kept' });
    await erin.session.dispatch({ action: 'exchange', message: 'said before the hub went' });
    host.stop();
    await waitFor('the hub to be lost', () => !node.connected, 2000);
    await erin.session.dispatch({ action: 'search', target: 'before' });
    expect(await erin.next('search')).toMatchObject({ matches: [{ message: 'said before the hub went', label: '#kept' }] });
  });

  it('gets its searcher ready when it first hears a hub, the history being there by then, and only then', async () => {
    const warm = vi.spyOn(searcher, 'warm');
    const transport = new LocalTransport();
    const node = links.node('a', transport, { searcher });
    await new Promise((resolve) => setImmediate(resolve));
    expect(warm).not.toHaveBeenCalled();
    links.hubNode(transport, links.hubOn(history));
    await waitFor('the hub to be heard', () => node.connected, 2000);
    expect(warm).toHaveBeenCalledTimes(1);
  });

  it('opens its connections before the first search, the search prepared on each, keeps them however long they idle, and closes them with itself', async () => {
    const watcher = new pg.Client(url);
    await watcher.connect();
    // Search connections by process id, with what each last ran: an idle one shows the search it prepared.
    const open = async (): Promise<Map<number, string>> =>
      new Map((await watcher.query<{ pid: number; query: string }>('SELECT pid, query FROM pg_stat_activity WHERE datname = current_database() AND application_name = $1', [SEARCH_APPLICATION])).rows.map((r) => [r.pid, r.query]));
    const before = await open();
    const ready = new PgNodeSearch(url, 100, log, () => undefined);
    const mine = async (): Promise<string[]> => [...(await open())].filter(([pid]) => !before.has(pid)).map(([, query]) => query);
    try {
      expect(await mine()).toEqual([]);
      // The pool would close an idle connection on a timer set as the connection comes back to it:
      // the clock is the test's from before the warm-up, and a minute of it passes idle.
      vi.useFakeTimers({ toFake: ['setTimeout', 'clearTimeout'] });
      try {
        await ready.warm();
        await vi.advanceTimersByTimeAsync(60_000);
      } finally {
        vi.useRealTimers();
      }
      const queries = await mine();
      expect(queries).toHaveLength(2);
      for (const query of queries) expect(query).toContain('FROM history_memberships');
    } finally {
      await ready.close();
      await waitForAsync('its connections to close', async () => (await mine()).length === 0, 3000);
      await watcher.end();
    }
  });

  it('answers unavailable, and logs it, when PostgreSQL cannot be reached', async () => {
    const away = new PgNodeSearch(url.replace(/:\d+\//, ':1/'), 100, log, () => undefined);
    try {
      warnings.length = 0;
      await away.warm();
      expect(warnings).toEqual(['cluster: the search connections could not be opened ahead']);
      errors.length = 0;
      const event = await away.search({ name: 'dave', historyKey: 'dave', rooms: false }, 'anything');
      expect(event).toMatchObject({ action: 'error', code: 'unavailable', for: 'search' });
      expect(errors).toEqual(['history search failed']);
    } finally {
      await away.close();
    }
  });
});
