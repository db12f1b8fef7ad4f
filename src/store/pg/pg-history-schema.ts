/**
 * The PostgreSQL history's schema, as migration steps (migrate.ts runs each once per database).
 * Tables are named `history_*`, since the accounts, keeps and cluster stores share the database.
 *
 * Several server processes write one history, so nothing is numbered in a process alone: line and
 * membership ids come in blocks from sequences (a process numbers its lines within its block
 * without a round trip, and its ids still grow in the order it records them), and a block's unused
 * rest is handed back at a clean close for the next process to start from. A deleted line keeps
 * its row, without text, because its seq still counts (history.ts `said`, `lastSeq`).
 */

/** Ids a process takes from a sequence at a time; the sequences step by it. */
export const ID_BLOCK = 1000;

/** The index that keeps each group's seq once: a line whose place is stored already is refused (core/history.ts SeqTaken). */
export const LINE_PLACES = 'history_lines_by_seq';

/** `to_seq` of a membership that has not ended (history-queue.ts OPEN: Number.MAX_SAFE_INTEGER). */
export const OPEN_SEQ = '9007199254740991';

/** The history's migration steps, in order (migrate.ts); a step once released is never changed, only followed. */
export const HISTORY_STEPS: readonly string[] = [
  `CREATE SEQUENCE history_line_ids INCREMENT BY ${ID_BLOCK};
   CREATE SEQUENCE history_membership_ids INCREMENT BY ${ID_BLOCK};
   CREATE SEQUENCE history_run_ids;
   CREATE TABLE history_free_ids (
     kind text NOT NULL,
     first bigint NOT NULL,
     last bigint NOT NULL,
     PRIMARY KEY (kind, first)
   );
   CREATE TABLE history_runs (
     run bigint PRIMARY KEY,
     node text NOT NULL,
     started bigint NOT NULL
   );
   CREATE INDEX history_runs_by_node ON history_runs (node);
   CREATE TABLE history_lines (
     id bigint PRIMARY KEY,
     grp bigint NOT NULL,
     seq bigint NOT NULL,
     sender text NOT NULL,
     sender_key text NOT NULL,
     text text,
     ts bigint NOT NULL,
     words tsvector
   );
   CREATE INDEX history_lines_by_seq ON history_lines (grp, seq);
   CREATE INDEX history_lines_words ON history_lines USING gin (words);
   CREATE TABLE history_groups (
     id bigint PRIMARY KEY,
     created bigint NOT NULL,
     kind text NOT NULL,
     label text NOT NULL
   );
   CREATE TABLE history_memberships (
     id bigint PRIMARY KEY,
     run bigint NOT NULL,
     user_key text NOT NULL,
     grp bigint NOT NULL,
     from_seq bigint NOT NULL,
     to_seq bigint NOT NULL
   );
   CREATE INDEX history_memberships_by_user ON history_memberships (user_key, grp);
   CREATE INDEX history_memberships_open ON history_memberships (run) WHERE to_seq = ${OPEN_SEQ};
   CREATE TABLE history_directs (
     key_a text NOT NULL,
     key_b text NOT NULL,
     grp bigint NOT NULL,
     PRIMARY KEY (key_a, key_b)
   );`,
  // A group's lines newest first by id: a common word's search walks them down to its page's cut (pg-search-reads.ts).
  'CREATE INDEX history_lines_by_id ON history_lines (grp, id)',
  // The number of lines stored (deleted ones left out), kept by each commit's own statements: a
  // store reads it at open instead of counting the lines (about a second at 10,000,000, which a
  // take-over of the hub would wait). A history from before is counted once, here; the lock holds
  // off writers until the count is in, so that none of their lines is missed.
  `LOCK TABLE history_lines IN SHARE MODE;
   CREATE TABLE history_line_count (
     one boolean PRIMARY KEY DEFAULT true CHECK (one),
     lines bigint NOT NULL
   );
   INSERT INTO history_line_count (lines) SELECT count(*) FROM history_lines WHERE text IS NOT NULL;`,
  // A group's lines together, whole: the table keeps lines in the order they came, a group's apart
  // among everyone's, so reading 100 of a group's lines read about 100 pages. The index by (grp, seq)
  // holds every column a search or a page of history reads, so reading them is an index-only scan
  // of a few neighbouring pages; the one by (grp, id) tells a line's seq from its id. Vacuumed
  // after every 10,000 lines written, so the visibility map that index-only scans need stays
  // current (by default an insert-only table waits for a fifth of its size).
  `DROP INDEX history_lines_by_seq;
   CREATE INDEX history_lines_by_seq ON history_lines (grp, seq) INCLUDE (id, sender, sender_key, text, ts, words);
   DROP INDEX history_lines_by_id;
   CREATE INDEX history_lines_by_id ON history_lines (grp, id) INCLUDE (seq);
   ALTER TABLE history_lines SET (autovacuum_vacuum_insert_threshold = 10000, autovacuum_vacuum_insert_scale_factor = 0);`,
  // A group's seq is taken once: one hub numbers its lines, and if a stale hub that has not yet
  // heard the next one stores a line, the database, not the hub's count, decides whose it is.
  `DROP INDEX history_lines_by_seq;
   CREATE UNIQUE INDEX ${LINE_PLACES} ON history_lines (grp, seq) INCLUDE (id, sender, sender_key, text, ts, words);`,
];
