/**
 * IRCv3 `labeled-response`: the reply to a command that carried `@label=...` carries the same
 * label: an `ACK` when there is nothing else to say, the one line itself when it is one line,
 * else a `labeled-response` batch holding every line (a reply that is one batch already, such as
 * a CHATHISTORY page, takes the label on its own `BATCH +`).
 */
import { serializeMessage } from './message.js';
import type { ReplyBuffer } from './reply-buffer.js';

/** Whether a serialised line carries a `batch` tag (it belongs to a batch already). */
function inBatch(line: string): boolean {
  if (!line.startsWith('@')) return false;
  return /(^@|;)batch=/.test(line.slice(0, line.indexOf(' ')));
}

/** The verb of a serialised line (after its tags and source). */
function verbOf(line: string): string {
  const atoms = line.split(' ');
  let at = 0;
  if (atoms[at]?.startsWith('@')) at++;
  if (atoms[at]?.startsWith(':')) at++;
  return atoms[at] ?? '';
}

export interface LabelContext {
  readonly out: ReplyBuffer;
  readonly serverName: string;
  /** The client negotiated `batch`. */
  readonly batches: boolean;
  /** A fresh batch id. */
  nextBatch(): string;
}

/** Writes the reply of the command labelled `label`, made of `lines` (serialised, with CR LF). */
export function labelReply(c: LabelContext, label: string, lines: readonly string[]): void {
  const { out } = c;
  const first = lines[0];
  if (first === undefined) return out.raw(serializeMessage({ tags: { label }, source: c.serverName, verb: 'ACK', params: [] }) + '\r\n');
  const oneBatch = lines.length > 1 && verbOf(first) === 'BATCH' && lines.slice(1, -1).every(inBatch) && verbOf(lines.at(-1)!) === 'BATCH';
  if (lines.length === 1 || oneBatch || !c.batches) {
    out.tagged([first], { label });
    return out.tagged(lines.slice(1), {});
  }
  const id = c.nextBatch();
  out.raw(serializeMessage({ tags: { label }, source: c.serverName, verb: 'BATCH', params: [`+${id}`, 'labeled-response'] }) + '\r\n');
  for (const line of lines) out.tagged([line], inBatch(line) ? {} : { batch: id });
  out.raw(serializeMessage({ source: c.serverName, verb: 'BATCH', params: [`-${id}`] }) + '\r\n');
}
