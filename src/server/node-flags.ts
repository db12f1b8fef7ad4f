/**
 * The Node.js flags the server runs with: `npm start` passes them (package.json, checked by a
 * test), and so do the benchmark and the soak when they start it (their tests check the
 * command line of the server they started against the start script).
 *
 * `--max-semi-space-size=4` caps V8's young generation at 4 MB a half (the default lets it grow
 * to 16 MB). A burst of logins grows it to the cap, and the pages are never given back: with the
 * default, 5,000 idle native connections cost 9.4 KB of RSS each, with 4 MB 5.5 KB, for some 2 %
 * more CPU at 20,000 chat lines a second (measured; see BENCHMARKS.md).
 */
export const NODE_FLAGS: readonly string[] = ['--max-semi-space-size=4'];
