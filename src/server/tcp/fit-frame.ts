/**
 * A classic frame holds at most 99,999 characters (its header has five digits). An event that
 * would not fit is shortened rather than lost: its largest part goes first, then the next. A
 * list (a room's members, the users online) keeps the entries that fit and says how many it
 * leaves out (`<name>Omitted`, e.g. `membersOmitted`); a text is cut and says how much is
 * missing. Everything that fits passes exactly as it is.
 */
import { MAX_PAYLOAD_CHARS } from '../../core/framing.js';
import { pyDumps } from '../../core/pyjson.js';

type Payload = Record<string, unknown>;

/** The largest n in [0, max] for which `fits(n)` holds, fitting being monotonic (0 is returned when none fits). */
function largest(max: number, fits: (n: number) => boolean): number {
  let low = 0;
  let high = max;
  while (low < high) {
    const mid = Math.ceil((low + high) / 2);
    if (fits(mid)) low = mid;
    else high = mid - 1;
  }
  return low;
}

const fits = (payload: Payload): boolean => pyDumps(payload).length <= MAX_PAYLOAD_CHARS;

/** The payload with its list or text `key` shortened as far as it must be (to nothing when even that does not fit). */
function shorten(payload: Payload, key: string): Payload {
  const value = payload[key];
  if (Array.isArray(value)) {
    const first = (n: number): Payload => ({ ...payload, [key]: value.slice(0, n), [`${key}Omitted`]: value.length - n });
    return first(largest(value.length, (n) => fits(first(n))));
  }
  const text = String(value);
  const cut = (n: number): Payload => ({ ...payload, [key]: `${text.slice(0, n)} … (${text.length - n} more characters left out)` });
  return cut(largest(text.length, (n) => fits(cut(n))));
}

/** The payload of `event` (Python's JSON), shortened to fit one classic frame if it must be. */
export function fitPayload(event: Payload): string {
  const full = pyDumps(event);
  if (full.length <= MAX_PAYLOAD_CHARS) return full;
  const parts = Object.keys(event)
    .filter((key) => Array.isArray(event[key]) || typeof event[key] === 'string')
    .sort((a, b) => pyDumps(event[b]).length - pyDumps(event[a]).length);
  let payload = event;
  for (const key of parts) {
    payload = shorten(payload, key);
    if (fits(payload)) return pyDumps(payload);
  }
  return pyDumps({ action: 'error', code: 'too-large', msg: `an event (${String(event['action'])}) too large for one frame was left out` });
}
