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
      if (Array.isArray(value)) return '[' + value.map(pyDumps).join(', ') + ']';
      const parts: string[] = [];
      for (const [key, item] of Object.entries(value)) {
        if (item !== undefined) parts.push(asciiString(key) + ': ' + pyDumps(item));
      }
      return '{' + parts.join(', ') + '}';
    }
    default:
      return 'null';
  }
}
