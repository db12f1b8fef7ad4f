import { existsSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import pg from 'pg';
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import { freshDatabase, OWN_POSTGRES_NEED, ownPostgres } from '../../test/helpers/engines.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { Proc } from '../../test/helpers/process.js';
import { waitFor, waitForAsync } from '../../test/helpers/wait.js';
import type { Logger } from '../core/log.js';
import type { LocalPostgres } from '../engines/postgres.js';
import { Leader, leaderKey } from './leader.js';

const POLL_MS = 100;
const SILENT_MS = 2000;
/** How soon another node must lead once the lock is free: a few polls, with room for a busy machine. */
const TAKEOVER_MS = 3000;
const quiet: Logger = { debug: () => {}, info: () => {}, warn: () => {}, error: () => {} };

/** Who leads, as the callbacks tell it, and the most that ever led at once. */
class Watch {
  readonly leaders = new Set<string>();
  readonly events: string[] = [];
  most = 0;
  lead(node: string): void {
    this.leaders.add(node);
    this.most = Math.max(this.most, this.leaders.size);
    this.events.push(`${node} leads`);
  }
  lose(node: string): void {
    this.leaders.delete(node);
    this.events.push(`${node} loses`);
  }
  one(): string | null {
    return this.leaders.size === 1 ? [...this.leaders][0]! : null;
  }
}

describeNeeds(OWN_POSTGRES_NEED)('Leader: exactly one node runs the singleton', () => {
  let engine: LocalPostgres;
  let url = '';
  let electors: Leader[] = [];
  const elect = (node: string, watch: Watch, onLead: () => void = () => {}): Leader => {
    const leader = new Leader({
      url,
      what: 'discord',
      nodeId: node,
      pollMs: POLL_MS,
      silentMs: SILENT_MS,
      onLead: () => {
        watch.lead(node);
        onLead();
      },
      onLose: () => watch.lose(node),
      log: quiet,
    });
    electors.push(leader);
    leader.start();
    return leader;
  };
  /** Asks PostgreSQL on a connection of its own (one made before a restart would be gone after it). */
  const ask = async <R extends pg.QueryResultRow>(sql: string, params: unknown[] = []): Promise<R[]> => {
    const admin = new pg.Client({ connectionString: url });
    await admin.connect();
    try {
      return (await admin.query<R>(sql, params)).rows;
    } finally {
      await admin.end();
    }
  };
  /** The backend holding the lock, if any (a key of 48 bits shows as two 32-bit halves). */
  const holder = async (): Promise<number | null> => {
    const key = BigInt(leaderKey('discord'));
    const found = await ask<{ pid: number }>("SELECT pid FROM pg_locks WHERE locktype = 'advisory' AND granted AND classid = $1 AND objid = $2", [
      String(key >> 32n),
      String(key & 0xffffffffn),
    ]);
    return found[0]?.pid ?? null;
  };
  /** Waits until the node's session has tried for the lock `times` more times (each try changes its state). */
  const tries = async (node: string, times: number): Promise<void> => {
    const seen = new Set<string>();
    await waitForAsync(`${node} to try ${times} times`, async () => {
      const row = await ask<{ at: Date | null }>('SELECT state_change AS at FROM pg_stat_activity WHERE application_name = $1', [`ics-chat leader discord ${node}`]);
      if (row[0]?.at) seen.add(row[0].at.toISOString());
      return seen.size > times;
    });
  };

  beforeAll(async () => {
    engine = await ownPostgres();
    url = (await freshDatabase('leader', engine)).url;
  });
  afterEach(async () => {
    await Promise.all(electors.map((e) => e.stop()));
    electors = [];
  });
  afterAll(async () => {
    await engine?.destroy();
  });

  it('lets one of two nodes lead while the other keeps trying', async () => {
    const watch = new Watch();
    const [one, two] = [elect('n1', watch), elect('n2', watch)];
    const first = await waitFor('a leader', () => watch.one());
    expect([one.leading, two.leading].filter(Boolean)).toHaveLength(1);
    await tries(first === 'n1' ? 'n2' : 'n1', 5);
    expect(watch.one()).toBe(first);
    expect(watch.most).toBe(1);
  });

  it('hands the lead over when the leader stops, its onLose done before the other leads', async () => {
    const watch = new Watch();
    const [one, two] = [elect('n1', watch), elect('n2', watch)];
    const first = await waitFor('a leader', () => watch.one());
    const stopping = first === 'n1' ? one : two;
    const stopped = Date.now();
    await stopping.stop();
    const next = await waitFor('the other node to lead', () => (watch.one() !== first ? watch.one() : null), TAKEOVER_MS);
    expect(Date.now() - stopped).toBeLessThan(TAKEOVER_MS);
    expect(next).not.toBe(first);
    expect(watch.events).toEqual([`${first} leads`, `${first} loses`, `${next} leads`]);
    expect(watch.most).toBe(1);
  });

  it("hands the lead over when the leader's backend is ended, and the old leader stands by", async () => {
    const watch = new Watch();
    elect('n1', watch);
    elect('n2', watch);
    const first = await waitFor('a leader', () => watch.one());
    const pid = await holder();
    expect(pid).not.toBeNull();
    const ended = Date.now();
    await ask('SELECT pg_terminate_backend($1)', [pid]);
    const next = await waitFor('the other node to lead', () => (watch.one() !== first ? watch.one() : null), TAKEOVER_MS);
    expect(Date.now() - ended).toBeLessThan(TAKEOVER_MS);
    expect(watch.events.slice(0, 2)).toEqual([`${first} leads`, `${first} loses`]);
    expect(watch.most).toBe(1);
    expect(await holder()).not.toBe(pid);
    // The old leader is back as a standby: its new session is there, and it does not lead.
    await tries(first, 3);
    expect(watch.one()).toBe(next);
    expect(watch.most).toBe(1);
  });

  it('hands the lead over when the leading process is killed (kill -9)', async () => {
    const built = fileURLToPath(new URL('../../dist/cluster/leader.js', import.meta.url));
    if (!existsSync(built)) throw new Error(`${built} is not built; run npm run build`);
    const script = `
      const { Leader } = await import(${JSON.stringify(pathToFileURL(built).href)});
      const log = { debug() {}, info() {}, warn() {}, error() {} };
      new Leader({ url: ${JSON.stringify(url)}, what: 'discord', nodeId: 'n9', pollMs: ${POLL_MS}, silentMs: ${SILENT_MS}, onLead: () => console.log('leading'), onLose: () => console.log('lost'), log }).start();`;
    const child = new Proc(process.execPath, ['--input-type=module', '-e', script]);
    try {
      await child.expectOut('leading');
      const watch = new Watch();
      elect('n1', watch);
      await tries('n1', 3);
      expect(watch.leaders.size).toBe(0);
      const killed = Date.now();
      child.kill();
      await waitFor('n1 to lead', () => watch.one() === 'n1', TAKEOVER_MS);
      expect(Date.now() - killed).toBeLessThan(TAKEOVER_MS);
    } finally {
      child.kill();
    }
  });

  it('gives the lead up when onLead fails, and takes it again', async () => {
    const watch = new Watch();
    let failures = 1;
    elect('n1', watch, () => {
      if (failures-- > 0) throw new Error('the front would not start');
    });
    await waitFor('n1 to lead after a failed start', () => watch.events.length === 3);
    expect(watch.events).toEqual(['n1 leads', 'n1 loses', 'n1 leads']);
    expect(await holder()).not.toBeNull();
  });

  it('survives a restart of PostgreSQL: the leader loses, and one node leads again once it is back', async () => {
    const watch = new Watch();
    elect('n1', watch);
    elect('n2', watch);
    const first = await waitFor('a leader', () => watch.one());
    await engine.stop();
    await waitFor('the leader to lose', () => watch.leaders.size === 0, TAKEOVER_MS);
    expect(watch.events).toEqual([`${first} leads`, `${first} loses`]);
    await engine.start();
    await waitFor('a leader again', () => watch.one(), TAKEOVER_MS);
    expect(watch.most).toBe(1);
    expect(await holder()).not.toBeNull();
  });
});
