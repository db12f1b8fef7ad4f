/**
 * The chat lines the bot has recently seen on Discord, by Discord message id: lines Discord users
 * typed, and lines relayed to Discord (each piece of a split line). A Discord reply to one of
 * them carries a short quote of it to the other fronts, and a reply in the DM goes to the
 * conversation the line came from. Bounded: the oldest are forgotten first.
 */
import type { Talk } from './user.js';

export interface SeenLine {
  /** The chat name of whoever said it. */
  name: string;
  text: string;
  /** Where a reply to it in the DM goes (lines posted in a DM). */
  talk?: Talk;
  /** A Discord user's message: who wrote it, and the chat line it became (its edit or deletion names it). */
  author?: string;
  line?: { id: number; group: number };
}

/** How many lines are kept. */
const KEPT = 5000;
/** How much of the replied-to line a quote shows. */
const QUOTE_CHARS = 60;

export class RecentLines {
  private readonly lines = new Map<string, SeenLine>();

  constructor(private readonly kept = KEPT) {}

  remember(messageId: string, line: SeenLine): void {
    this.lines.delete(messageId);
    this.lines.set(messageId, line);
    if (this.lines.size > this.kept) this.lines.delete(this.lines.keys().next().value!);
  }

  get(messageId: string): SeenLine | undefined {
    return this.lines.get(messageId);
  }
}

/** A reply's text with a short quote of the line it answers: `(re bob: "the first words…") text`. */
export function quoted(line: SeenLine, text: string): string {
  const flat = line.text.replace(/\s+/g, ' ').trim();
  const chars = [...flat];
  const short = chars.length <= QUOTE_CHARS ? flat : `${chars.slice(0, QUOTE_CHARS - 1).join('').trimEnd()}…`;
  return `(re ${line.name}: "${short}") ${text}`;
}
