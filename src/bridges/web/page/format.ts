/** Pure formatting for the page: times, names, sonnets, counts. */

const two = (n: number): string => String(n).padStart(2, '0');

/** `14:03` in the viewer's time zone. */
export function clockTime(date: Date): string {
  return `${two(date.getHours())}:${two(date.getMinutes())}`;
}

/** `14:03` today, `3 Mar 14:03` on other days of this year, `3 Mar 2023 14:03` before. */
export function dayTime(date: Date, now: Date): string {
  if (date.toDateString() === now.toDateString()) return clockTime(date);
  const day = `${date.getDate()} ${date.toLocaleString('en', { month: 'short' })}`;
  return date.getFullYear() === now.getFullYear() ? `${day} ${clockTime(date)}` : `${day} ${date.getFullYear()} ${clockTime(date)}`;
}

/** One of 8 colour classes, the same for a name (any case) everywhere. */
export function nameColour(name: string): string {
  let hash = 0;
  for (const ch of name.toLowerCase()) hash = (hash * 31 + ch.codePointAt(0)!) >>> 0;
  return `c${hash % 8}`;
}

/** `1 match`, `3 matches`. */
export function count(n: number, one: string, many: string): string {
  return `${n} ${n === 1 ? one : many}`;
}

/** A sonnet's stanzas: a 14-line sonnet as three quatrains and a closing couplet; any other as one stanza. */
export function stanzas(lines: readonly string[]): { lines: string[]; couplet: boolean }[] {
  if (lines.length !== 14) return [{ lines: [...lines], couplet: false }];
  return [
    { lines: lines.slice(0, 4), couplet: false },
    { lines: lines.slice(4, 8), couplet: false },
    { lines: lines.slice(8, 12), couplet: false },
    { lines: lines.slice(12), couplet: true },
  ];
}

/** `"Sonnet 18"` and the Roman title without its dot (`XVIII`). */
export function sonnetTitle(number: number, title: string): { main: string; sub: string } {
  return { main: `Sonnet ${number}`, sub: title.replace(/\.$/, '') };
}

/** Reconnect delays: 0.25 s doubling to 5 s (a restart takes seconds), with ±20% jitter so clients do not stampede. */
export function backoffMs(attempt: number, random: number): number {
  const base = Math.min(5000, 250 * 2 ** Math.max(0, attempt));
  return Math.round(base * (0.8 + 0.4 * random));
}

/** The shared command menu as rows (`c _peer_` -> what it does) and the notes around them. */
export function menuRows(menu: string): { rows: [string, string][]; notes: string[] } {
  const rows: [string, string][] = [];
  const notes: string[] = [];
  let note = '';
  for (const line of menu.split('\n')) {
    const row = /^\s+(\S.*?): (.+)$/.exec(line);
    if (row) rows.push([row[1]!, row[2]!]);
    else if (line.trim() === '') {
      if (note) notes.push(note);
      note = '';
    } else if (!line.startsWith('++++')) note = note ? `${note} ${line.trim()}` : line.trim();
  }
  if (note) notes.push(note);
  return { rows, notes };
}

const NAME_CHAR = /[\p{L}\p{N}_-]/u;

/** Whether `text` names `name` as a word, in any case, with or without `@`: a mention. */
export function mentions(text: string, name: string): boolean {
  if (name === '') return false;
  const lower = text.toLowerCase();
  const key = name.toLowerCase();
  for (let at = lower.indexOf(key); at >= 0; at = lower.indexOf(key, at + 1)) {
    const before = lower.slice(0, at);
    const after = lower.slice(at + key.length);
    if (!NAME_CHAR.test(Array.from(before).pop() ?? '') && !NAME_CHAR.test(Array.from(after)[0] ?? '')) return true;
  }
  return false;
}
