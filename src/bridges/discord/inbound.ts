/**
 * Inbound text from Discord for the other fronts: user, role and channel mentions, custom
 * emoji, slash-command mentions and timestamps become readable text; attachments and
 * stickers become their links and names, so nothing a Discord user sent is lost.
 */

/** How mentioned things are named; unknown ids get a neutral placeholder. */
export interface MentionNames {
  user(id: string): string | null;
  role(id: string): string | null;
  channel(id: string): string | null;
}

const TOKEN_RE = /<(@!?|@&|#)(\d+)>|<a?:(\w+):\d+>|<\/([\w -]+):\d+>|<t:(-?\d+)(?::[tTdDfFR])?>/g;

/** A Discord timestamp as plain UTC text. */
function timestamp(seconds: string): string {
  const date = new Date(Number(seconds) * 1000);
  return Number.isNaN(date.getTime()) ? seconds : date.toISOString().replace('T', ' ').replace(/:\d\d\.\d{3}Z$/, ' UTC');
}

/** Discord message syntax as readable text. */
export function readableText(content: string, names: MentionNames): string {
  return content.replace(TOKEN_RE, (_all, kind?: string, id?: string, emoji?: string, command?: string, seconds?: string) => {
    if (emoji !== undefined) return `:${emoji}:`;
    if (command !== undefined) return `/${command}`;
    if (seconds !== undefined) return timestamp(seconds);
    if (kind === '#') return `#${names.channel(id!) ?? 'unknown-channel'}`;
    if (kind === '@&') return `@${names.role(id!) ?? 'unknown-role'}`;
    return `@${names.user(id!) ?? 'unknown-user'}`;
  });
}

/** What a message carries besides its text. */
export interface Extras {
  attachments: readonly { name: string; url: string }[];
  stickers: readonly string[];
}

/** The text with a line per attachment and sticker after it. */
export function withExtras(text: string, extras: Extras): string {
  const lines = [
    ...extras.stickers.map((name) => `[sticker: ${name}]`),
    ...extras.attachments.map((a) => `[file: ${a.name}] ${a.url}`),
  ];
  return [text, ...lines].filter((l) => l !== '').join('\n');
}
