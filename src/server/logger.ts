/**
 * The log sink: one line per record, `time LEVEL message key=value ...`. Values are quoted and
 * escaped when they hold spaces, quotes or control characters, so no user text can forge a line.
 */
import type { LogFields, Logger } from '../core/log.js';

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

const RANK: Record<LogLevel, number> = { debug: 10, info: 20, warn: 30, error: 40 };

function value(v: string | number | boolean): string {
  const s = String(v);
  return /^[\w.:/@#+-]*$/.test(s) && s !== '' ? s : escapeControls(JSON.stringify(s));
}

// Controls (C0, DEL, C1), line and paragraph separators, and the invisible characters that
// reorder or hide text (bidi controls, zero-width characters, the BOM).
const CONTROL = /[\u0000-\u001f\u007f-\u009f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u2069\ufeff]/g;

/** Control and invisible characters as visible escapes, so user text cannot start a new log line, move the cursor or reorder the line. */
export function escapeControls(text: string): string {
  return text.replace(CONTROL, (c) => (c === '\n' ? '\\n' : c === '\r' ? '\\r' : c === '\t' ? '\\t' : '\\u' + c.charCodeAt(0).toString(16).padStart(4, '0')));
}

/** Formats one record; control characters in the message are escaped too. */
export function formatRecord(level: LogLevel, msg: string, fields: LogFields | undefined, at: Date): string {
  const safe = escapeControls(msg);
  let line = `${at.toISOString()} ${level.toUpperCase()} ${safe}`;
  for (const [k, v] of Object.entries(fields ?? {})) if (v !== undefined) line += ` ${k}=${value(v)}`;
  return line;
}

export function createLogger(level: LogLevel, write: (line: string, level: LogLevel) => void = defaultWrite): Logger {
  const at = (l: LogLevel) => (msg: string, fields?: LogFields) => {
    if (RANK[l] >= RANK[level]) write(formatRecord(l, msg, fields, new Date()), l);
  };
  return { debug: at('debug'), info: at('info'), warn: at('warn'), error: at('error') };
}

function defaultWrite(line: string, level: LogLevel): void {
  (RANK[level] >= RANK.warn ? process.stderr : process.stdout).write(line + '\n');
}
