/** The sonnets said in both stores: the PostgreSQL history answers every search and page as the SQLite one does. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { POSTGRES_NEED } from '../../../test/helpers/engines.js';
import { describeNeeds } from '../../../test/helpers/needs.js';
import { schemaDatabase, type Schemas } from '../../../test/helpers/pg-schemas.js';
import type { FoundLine, HistoryStore } from '../../core/history.js';
import { parseSearchQuery } from '../../core/search-query.js';
import { parseSonnets, words } from '../../core/sonnets.js';
import { SqliteHistory } from '../sqlite-history.js';
import { PgHistory } from './pg-history.js';

const root = new URL('../../../', import.meta.url);
const sonnets = parseSonnets(readFileSync(new URL('data/sonnets.txt', root), 'utf8'));
const T0 = Date.UTC(2026, 0, 1);

/**
 * Each sonnet is a room, its lines said one by one: `reader` is in every room throughout, `late`
 * joins the odd ones after their seventh line, `gone` leaves every third after its fifth.
 */
function sayTheBook(h: HistoryStore): void {
  let said = 0;
  for (const sonnet of sonnets) {
    const g = sonnet.number;
    h.opened(g, 'room', `#sonnet-${g}`);
    h.joined('reader', g, 0);
    if (g % 3 === 0) h.joined('gone', g, 0);
    sonnet.lines.forEach((text, i) => {
      const seq = i + 1;
      if (seq === 8 && g % 2 === 1) h.joined('late', g, 7);
      if (seq === 6 && g % 3 === 0) h.left('gone', g, 5);
      h.record({ group: g, sender: 'Shakespeare', senderKey: 'shakespeare', text, ts: T0 + ++said * 1000, seq });
    });
    h.commit();
  }
}

/** The word said in the fewest lines (the first such in the book): a rare word. */
function rareWord(): string {
  const lines = new Map<string, number>();
  for (const line of sonnets.flatMap((s) => s.lines)) for (const w of new Set(words(line))) lines.set(w, (lines.get(w) ?? 0) + 1);
  return [...lines].find(([, n]) => n === 1)![0];
}

const QUERIES: readonly { what: string; text: string }[] = [
  { what: 'a rare word', text: rareWord() },
  { what: 'a common word', text: 'thy' },
  { what: 'a phrase', text: `"summer's day"` },
  // Its words are in many more lines than the phrase is.
  { what: 'a common phrase', text: '"my love"' },
  { what: 'two words', text: 'love time' },
  { what: 'a phrase and a word, any case', text: '"THOU ART" Fair' },
  { what: 'the sender', text: 'shakespeare' },
];

const shown = (lines: FoundLine[]): unknown[] => lines.map((l) => [l.id, l.group, l.seq, l.ts, l.text, l.label]);

describeNeeds(POSTGRES_NEED)('The sonnets in SQLite and in PostgreSQL', () => {
  let schemas: Schemas;
  let sqlite: SqliteHistory;
  let pg: PgHistory;
  beforeAll(async () => {
    schemas = await schemaDatabase('parity');
    sqlite = new SqliteHistory(':memory:');
    pg = new PgHistory(schemas.fresh(), { node: 'parity' });
    sayTheBook(sqlite);
    sayTheBook(pg);
    // A private PostgreSQL started and the whole book said twice: longer than a hook's usual bound on a busy machine.
  }, 60_000);
  afterAll(async () => {
    await pg?.close();
    await sqlite?.close();
    await schemas?.close();
  });

  it.each(QUERIES)('finds the same lines for $what ($text), for every reader, newest few or all', ({ text }) => {
    const query = parseSearchQuery(text);
    let found = 0;
    for (const user of ['reader', 'late', 'gone', 'nobody']) {
      for (const limit of [3, 5000]) {
        const [a, b] = [sqlite.search(user, query, limit), pg.search(user, query, limit)];
        expect({ total: b.total, lines: shown(b.lines) }, `${user}, ${limit}`).toEqual({ total: a.total, lines: shown(a.lines) });
        found += a.total;
      }
    }
    // An empty answer from both would prove nothing.
    expect(found).toBeGreaterThan(0);
  });

  it('reads the same pages and counts', () => {
    for (const user of ['reader', 'late', 'gone']) {
      for (const place of [{ label: '#SONNET-18' }, { group: 99 }, { group: 126 }]) {
        for (const newest of [true, false]) {
          const request = { newest, limit: 4, after: { ts: T0 + 250_000 } };
          expect(shown(pg.page(user, place, request)), `${user} ${JSON.stringify(place)}`).toEqual(shown(sqlite.page(user, place, request)));
        }
        expect(pg.said(user, place)).toBe(sqlite.said(user, place));
      }
      const byGroup = (h: HistoryStore): unknown[] => h.conversations(user, T0 + 100_000, T0 + 900_000).sort((x, y) => x.group - y.group);
      expect(byGroup(pg)).toEqual(byGroup(sqlite));
    }
    expect(pg.said('reader', { group: 99 })).toBe(15);
  });
});
