/**
 * Reassembles IRC lines from a byte stream split anywhere (even inside a UTF-8 character).
 * A line ends at CR, LF or CR LF; empty lines are skipped. A line longer than the limit is
 * reported once, as soon as it passes the limit, and its bytes are dropped up to the next line
 * end, so a peer that never sends a newline costs no memory.
 */

export type ReadItem = { kind: 'line'; bytes: Buffer } | { kind: 'too-long' };

/** 512 bytes per line including CR LF (the IRC limit). */
export const MAX_LINE_BYTES = 510;

export class LineReader {
  /** The line being read, in the chunks it came in; none between lines. */
  private parts: Buffer[] | null = null;
  private size = 0;
  private discarding = false;

  constructor(private readonly maxBytes = MAX_LINE_BYTES) {}

  /** Whether it holds nothing between calls (no part of a line, none to skip): a new reader would read on alike. */
  get idle(): boolean {
    return this.parts === null && !this.discarding;
  }

  push(chunk: Buffer): ReadItem[] {
    const items: ReadItem[] = [];
    let start = 0;
    for (let i = 0; i < chunk.length; i++) {
      const byte = chunk[i];
      if (byte !== 0x0a && byte !== 0x0d) continue;
      this.take(chunk.subarray(start, i), items);
      this.endLine(items);
      start = i + 1;
    }
    this.take(chunk.subarray(start), items);
    return items;
  }

  private take(segment: Buffer, items: ReadItem[]): void {
    if (this.discarding || segment.length === 0) return;
    this.size += segment.length;
    if (this.size > this.maxBytes) {
      this.discarding = true;
      this.parts = null;
      this.size = 0;
      items.push({ kind: 'too-long' });
      return;
    }
    (this.parts ??= []).push(segment);
  }

  private endLine(items: ReadItem[]): void {
    if (this.discarding) {
      this.discarding = false;
      return;
    }
    if (this.size === 0) return;
    const parts = this.parts!;
    const bytes = parts.length === 1 ? Buffer.from(parts[0]!) : Buffer.concat(parts, this.size);
    this.parts = null;
    this.size = 0;
    items.push({ kind: 'line', bytes });
  }
}
