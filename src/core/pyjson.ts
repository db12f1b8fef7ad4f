/**
 * JSON exactly as the classic Python programs wrote it (`json.dumps` defaults):
 * `", "` and `": "` separators and every non-ASCII character escaped as `\uXXXX`,
 * so every frame is pure ASCII and its character count equals its byte count.
 */

const NON_ASCII = /[\u007f-\uffff]/g;
const HAS_NON_ASCII = /[\u007f-\uffff]/;

function escapeChar(ch: string): string {
  return '\\u' + ch.charCodeAt(0).toString(16).padStart(4, '0');
}

/** A JSON string literal with non-ASCII escaped (surrogate pairs stay as two escapes, as in Python). */
export function asciiString(text: string): string {
  const json = JSON.stringify(text);
  return HAS_NON_ASCII.test(json) ? json.replace(NON_ASCII, escapeChar) : json;
}

/** Keys as written (`"key": `), made once: events repeat a few dozen keys. Bounded, as tag names come from clients. */
const keyTexts = new Map<string, string>();
const MAX_KEY_TEXTS = 1000;

function keyText(key: string): string {
  let text = keyTexts.get(key);
  if (text === undefined) {
    text = asciiString(key) + ': ';
    if (keyTexts.size < MAX_KEY_TEXTS) keyTexts.set(key, text);
  }
  return text;
}

/** Serialises plain data (objects, arrays, strings, finite numbers, booleans, null). */
export function pyDumps(value: unknown): string {
  switch (typeof value) {
    case 'string':
      return asciiString(value);
    case 'number':
      return Number.isFinite(value) ? String(value) : 'null';
    case 'boolean':
      return value ? 'true' : 'false';
    case 'object': {
      if (value === null) return 'null';
      if (Array.isArray(value)) {
        let out = '[';
        for (let i = 0; i < value.length; i++) out += (i === 0 ? '' : ', ') + pyDumps(value[i]);
        return out + ']';
      }
      // Built by concatenation, without the entries' arrays: every event a front sends passes here.
      const record = value as Record<string, unknown>;
      let out = '{';
      let first = true;
      for (const key in record) {
        if (!Object.hasOwn(record, key)) continue;
        const item = record[key];
        if (item === undefined) continue;
        out += (first ? '' : ', ') + keyText(key) + pyDumps(item);
        first = false;
      }
      return out + '}';
    }
    default:
      return 'null';
  }
}
