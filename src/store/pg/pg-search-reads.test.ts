/**
 * A common word's search walks each interval's lines newest first and stops at the page's cut
 * (pg-search-reads.ts): it must page exactly the lines the memory store pages, among many groups
 * joined late, left, rejoined, and lines deleted after they were said.
 */
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_NEED } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { schemaDatabase, type Schemas } from '../../../test/helpers/pg-schemas.js';
import { type HistoryStore, type SearchPage } from '../../core/history.js';
import { MemoryHistory } from '../../core/memory-history.js';
import { parseSearchQuery } from '../../core/search-query.js';
import { PgHistory } from './pg-history.js';
import { searchStatement, type SearchRow, type SearchWay } from './pg-search-reads.js';
import { SyncPg } from './sync-client.js';

const T0 = Date.UTC(2026, 0, 1);
const GROUPS = 12;

/**
 * 1,500 lines among 12 groups, the same in every store: `a` joins each group after a tenth of its
 * lines or so, leaves some for good, leaves and rejoins others; every seventh line is deleted once
 * said, and a few words make the phrases.
 */
function sayTheSame(h: HistoryStore): void {
  let state = 20261207;
  const next = (n: number): number => {
    state = (state * 1103515245 + 12345) % 2 ** 31;
    return Math.floor(state / 65536) % n;
  };
  const seqs = new Array<number>(GROUPS + 1).fill(0);
  const inside = new Set<number>();
  for (let g = 1; g <= GROUPS; g++) h.opened(g, 'room', `#r${g}`);
  for (let i = 1; i <= 1500; i++) {
    const g = 1 + next(GROUPS);
    const seq = ++seqs[g]!;
    if (seq === 1 + (g % 4) * 10 && !inside.has(g)) {
      h.joined('a', g, seq - 1);
      inside.add(g);
    }
    if (inside.has(g) && next(100) < 2) {
      h.left('a', g, seq - 1);
      inside.delete(g);
    } else if (!inside.has(g) && g % 3 === 0 && next(100) < 5) {
      h.joined('a', g, seq - 1);
      inside.add(g);
    }
    const text = next(10) < 7 ? `word ${['x', 'y z', 'y', 'x y'][next(4)]} ${i}` : `other ${i}`;
    const line = h.record({ group: g, sender: 'b', senderKey: 'b', text, ts: T0 + i * 1000, seq });
    if (i % 7 === 0) {
      h.commit();
      h.revise(line.id, null);
    }
    if (i % 100 === 0) h.commit();
  }
  h.commit();
}

const shown = (page: SearchPage): unknown => ({ total: page.total, more: page.more, lines: page.lines.map((l) => [l.group, l.seq, l.text, l.label]) });

describeNeeds(POSTGRES_NEED)('A common word in PostgreSQL', () => {
  let schemas: Schemas;
  let pg: PgHistory;
  let url: string;
  const memory = new MemoryHistory();
  beforeAll(async () => {
    schemas = await schemaDatabase('common');
    url = schemas.fresh();
    pg = new PgHistory(url, { node: 'common' });
    sayTheSame(pg);
    sayTheSame(memory);
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await memory.close();
    await schemas?.close();
  });

  it.each(['word', '"word y"', 'x word', 'b y'])('pages %s as the memory store does, past the count, at every limit', (text) => {
    const query = parseSearchQuery(text);
    for (const limit of [1, 3, 10, 40]) {
      const expected = memory.search('a', query, limit);
      // More matches than the count covers: the walk, not the index's whole list, made this page.
      expect(expected.more, `${text}, ${limit}`).toBe(true);
      expect(shown(pg.search('a', query, limit)), `${text}, ${limit}`).toEqual(shown(expected));
    }
  });

  it('pages the newest when they all come from one interval, the others older', () => {
    const recent = new PgHistory(schemas.fresh(), { node: 'recent' });
    const reference = new MemoryHistory();
    for (const h of [recent, reference]) {
      for (const g of [1, 2, 3]) {
        h.opened(g, 'adhoc', `#group-${g}`);
        h.joined('c', g, 0);
      }
      let said = 0;
      const say = (g: number, seq: number): void => void h.record({ group: g, sender: 'b', senderKey: 'b', text: `word ${++said}`, ts: T0 + said, seq });
      for (let seq = 1; seq <= 150; seq++) say(1 + (seq % 2) * 2, seq);
      for (let seq = 1; seq <= 30; seq++) say(2, seq);
      h.commit();
    }
    for (const limit of [1, 10, 25]) expect(shown(recent.search('c', [['word']], limit)), `${limit}`).toEqual(shown(reference.search('c', [['word']], limit)));
    expect(recent.search('c', [['word']], 10).lines.every((l) => l.group === 2)).toBe(true);
    return Promise.all([recent.close(), reference.close()]);
  });

  it('counts a phrase with fewer matches exactly, from the index', () => {
    const expected = memory.search('a', parseSearchQuery('"x y"'), 80);
    expect(expected.more).toBeUndefined();
    expect(expected.total).toBeGreaterThan(80);
    expect(shown(pg.search('a', parseSearchQuery('"x y"'), 80))).toEqual(shown(expected));
  });

  it('counts a word from the newest lines when they settle it, and from the GIN index when they do not', async () => {
    const sparseUrl = schemas.fresh();
    const sparse = new PgHistory(sparseUrl, { node: 'sparse' });
    const reference = new MemoryHistory();
    const [raw, rawSparse] = [new SyncPg(url), new SyncPg(sparseUrl)];
    const way = (db: SyncPg, user: string, text: string, limit: number): SearchWay => {
      const statement = searchStatement(user, parseSearchQuery(text), limit)!;
      return db.prepared<SearchRow>(statement.name, statement.text, statement.values)[0]!.way;
    };
    try {
      // About three lines in five say "word" (deleted ones say nothing): more than half of the probe's.
      expect([way(raw, 'a', 'word', 1), way(raw, 'a', 'word', 10)]).toEqual(['newest', 'newest']);
      // "x y" in about one in six: counted among more of the newest lines, which hold all of a's.
      expect(way(raw, 'a', '"x y"', 80)).toBe('wider');
      // A number said once: the GIN index.
      expect(way(raw, 'a', '1234', 10)).toBe('index');
      for (const text of ['"x y"', '1234']) expect(shown(pg.search('a', parseSearchQuery(text), 80)), text).toEqual(shown(memory.search('a', parseSearchQuery(text), 80)));
      // A word frequent among the newest lines only, with more lines than the wider count reads
      // beyond them: that count cannot settle it, so the GIN index does.
      for (const h of [sparse, reference]) {
        h.opened(1, 'room', '#sparse');
        h.joined('c', 1, 0);
        for (let seq = 1; seq <= 2000; seq++) h.record({ group: 1, sender: 'b', senderKey: 'b', text: seq > 1990 ? `late ${seq}` : `early ${seq}`, ts: T0 + seq, seq });
        h.commit();
      }
      const late = parseSearchQuery('late');
      expect(way(rawSparse, 'c', 'late', 1)).toBe('index');
      expect(shown(sparse.search('c', late, 1))).toEqual(shown(reference.search('c', late, 1)));
      expect(sparse.search('c', late, 1).total).toBe(10);
    } finally {
      await Promise.all([raw.close(), rawSparse.close(), sparse.close(), reference.close()]);
    }
  });
});
