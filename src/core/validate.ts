/**
 * Edge validation: untrusted JSON (a classic frame, a WebSocket message) becomes a typed
 * ClientAction or an error with a stable code. Inside the hub, actions are trusted.
 */
import { PASSWORD_MAX } from './password-rule.js';
import type { ActionName, ClientAction, ErrorCode, Feature, HistoryMark, Label, ModeChange, ModeLetter } from './protocol.js';

export interface ValidationError {
  code: ErrorCode;
  msg: string;
  for?: string;
}

/** A checked request, with the label its answers will carry (when the client gave one). */
export type Validated = { ok: true; action: ClientAction; label?: Label } | { ok: false; error: ValidationError; label?: Label };

/** The longest label a client may give a request. */
export const LABEL_MAX = 64;

type Fields = Record<string, unknown>;
type Reader<K extends ActionName> = (fields: Fields) => Extract<ClientAction, { action: K }> | string;

/** A required text field; numbers are accepted as their decimal text (classic clients send `"3"`, others `3`). */
function text(fields: Fields, key: string, numeric = false): string | null {
  const value = fields[key];
  if (typeof value === 'string') return value;
  if (numeric && typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const KNOWN_FEATURES: ReadonlySet<string> = new Set<Feature>(['events', 'presence', 'rooms', 'echo', 'signals', 'acks']);

/** Adds the optional `group` (a group id) of an action about one group; an error text when it is malformed. */
function inGroup<A extends ClientAction>(fields: Fields, action: A): A | string {
  const group = fields['group'];
  if (group === undefined) return action;
  if (typeof group !== 'number' || !Number.isSafeInteger(group) || group < 1) return '"group" must be a group id (a whole number from 1)';
  return { ...action, group };
}

function features(value: unknown): Feature[] | string {
  if (value === undefined) return [];
  if (!Array.isArray(value) || !value.every((f) => typeof f === 'string')) return '"features" must be a list of strings';
  return value.filter((f): f is Feature => KNOWN_FEATURES.has(f));
}

const PASSWORD_BAD = `"password" must be a string of at most ${PASSWORD_MAX * 2} characters`;

/** The password field: undefined when absent, null when malformed (an error never quotes it). */
function passwordField(fields: Fields): string | null | undefined {
  const value = fields['password'];
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length <= PASSWORD_MAX * 2 ? value : null;
}

/** The most mode changes one `mode` request may carry. */
export const MODE_CHANGES_MAX = 20;
const MODE_LETTERS: ReadonlySet<string> = new Set<ModeLetter>(['i', 'k', 'l', 'm', 'n', 's', 't', 'o', 'v', 'b']);
/** Letters whose change needs an argument: always (o v b), or only when set (k l). */
const NEEDS_ARG: ReadonlySet<string> = new Set(['o', 'v', 'b']);

function modeChange(value: unknown): ModeChange | null {
  if (typeof value !== 'object' || value === null) return null;
  const { mode, on, arg } = value as Fields;
  if (typeof mode !== 'string' || !MODE_LETTERS.has(mode) || typeof on !== 'boolean') return null;
  if (arg === undefined) return NEEDS_ARG.has(mode) || (on && (mode === 'k' || mode === 'l')) ? null : { mode: mode as ModeLetter, on };
  return typeof arg === 'string' && arg.length <= 200 ? { mode: mode as ModeLetter, on, arg } : null;
}

function modeChanges(value: unknown): ModeChange[] | string {
  const bad = `"changes" must be a list of at most ${MODE_CHANGES_MAX} {mode, on, arg?} (mode one of iklmnstovb; k and l take an arg when set, o v b always)`;
  if (!Array.isArray(value) || value.length > MODE_CHANGES_MAX) return bad;
  const changes = value.map(modeChange);
  return changes.every((c): c is ModeChange => c !== null) ? changes : bad;
}

function withTarget<K extends 'poem' | 'sonnets' | 'search' | 'focus'>(action: K, numeric = false): Reader<K> {
  return (fields) => {
    const target = text(fields, 'target', numeric);
    return target === null ? '"target" must be a string' : ({ action, target } as Extract<ClientAction, { action: K }>);
  };
}

function withMessage<K extends 'exchange' | 'flip' | 'ping'>(action: K): Reader<K> {
  return (fields) => {
    const message = text(fields, 'message');
    if (message === null) return '"message" must be a string';
    const read = { action, message } as Extract<ClientAction, { action: K }>;
    return action === 'ping' ? read : inGroup(fields, read);
  };
}

const isId = (value: unknown): value is number => typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;

/** An optional history mark (`{group, seq}` or `{ts}`); null when malformed. */
function mark(value: unknown): HistoryMark | undefined | null {
  if (value === undefined) return undefined;
  if (typeof value !== 'object' || value === null) return null;
  const { group, seq, ts } = value as Fields;
  if (typeof ts === 'string' && ts.length <= 40) return { ts };
  return isId(group) && isId(seq) ? { group, seq } : null;
}

/** An optional moment (ISO 8601 text); null when malformed. */
function moment(value: unknown): string | undefined | null {
  if (value === undefined) return undefined;
  return typeof value === 'string' && value.length <= 40 ? value : null;
}

/** An optional page size; null when malformed. */
function limitOf(value: unknown): number | undefined | null {
  if (value === undefined) return undefined;
  return isId(value) && value > 0 ? value : null;
}

/** Whether a key is that of a client-only tag (`+name`, `+vendor.example/name`). */
export const isClientTag = (key: string): boolean => /^\+(?:[A-Za-z0-9.-]+\/)?[A-Za-z0-9-]+$/.test(key);

/** Client-only tags: at most 20, each a `+name` key with a string value of at most 400 characters; null when malformed. */
function clientTags(value: unknown): Record<string, string> | null {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return null;
  const entries = Object.entries(value as Fields);
  if (entries.length === 0 || entries.length > 20) return null;
  const tags: Record<string, string> = {};
  for (const [key, v] of entries) {
    if (!isClientTag(key) || typeof v !== 'string' || v.length > 400) return null;
    tags[key] = v;
  }
  return tags;
}

const LINE_ID_BAD = '"id" must be a line id (a whole number from 1)';

/** The `id` of the line an edit or delete is about; null when it is not one. */
function lineId(fields: Fields): number | null {
  const id = fields['id'];
  return typeof id === 'number' && Number.isSafeInteger(id) && id >= 1 ? id : null;
}

/** One reader per action; a missing action is a compile error. */
const READERS: { [K in ActionName]: Reader<K> } = {
  login: (fields) => {
    const name = text(fields, 'name');
    if (name === null) return '"name" must be a string';
    const wanted = features(fields['features']);
    if (typeof wanted === 'string') return wanted;
    const secret = passwordField(fields);
    if (secret === null) return PASSWORD_BAD;
    const action: Extract<ClientAction, { action: 'login' }> = { action: 'login', name };
    if (secret !== undefined) action.password = secret;
    if (wanted.length > 0) action.features = wanted;
    return action;
  },
  register: (fields) => {
    const secret = passwordField(fields);
    return typeof secret === 'string' ? { action: 'register', password: secret } : PASSWORD_BAD;
  },
  time: () => ({ action: 'time' }),
  list: () => ({ action: 'list' }),
  counts: () => ({ action: 'counts' }),
  poem: withTarget('poem', true),
  sonnets: withTarget('sonnets'),
  search: withTarget('search'),
  connect: (fields) => {
    const target = text(fields, 'target');
    if (target === null) return '"target" must be a string';
    const key = fields['key'];
    if (key === undefined) return { action: 'connect', target };
    return typeof key === 'string' ? { action: 'connect', target, key } : '"key" must be a string';
  },
  focus: withTarget('focus', true),
  exchange: withMessage('exchange'),
  flip: withMessage('flip'),
  ping: withMessage('ping'),
  disconnect: (fields) => {
    const reason = fields['reason'];
    if (reason === undefined) return inGroup(fields, { action: 'disconnect' });
    return typeof reason === 'string' ? inGroup(fields, { action: 'disconnect', reason }) : '"reason" must be a string';
  },
  topic: (fields) => {
    const topic = fields['topic'];
    if (topic === undefined) return inGroup(fields, { action: 'topic' });
    return typeof topic === 'string' ? inGroup(fields, { action: 'topic', topic }) : '"topic" must be a string';
  },
  kick: (fields) => {
    const target = text(fields, 'target');
    if (target === null) return '"target" must be a string';
    const reason = fields['reason'];
    if (reason === undefined) return inGroup(fields, { action: 'kick', target });
    return typeof reason === 'string' ? inGroup(fields, { action: 'kick', target, reason }) : '"reason" must be a string';
  },
  invite: (fields) => {
    const target = text(fields, 'target');
    return target === null ? '"target" must be a string' : inGroup(fields, { action: 'invite', target });
  },
  lock: (fields) => {
    const locked = fields['locked'];
    return typeof locked === 'boolean' ? inGroup(fields, { action: 'lock', locked }) : '"locked" must be true or false';
  },
  direct: (fields) => {
    const target = text(fields, 'target');
    const message = text(fields, 'message');
    if (target === null) return '"target" must be a string';
    return message === null ? '"message" must be a string' : { action: 'direct', target, message };
  },
  rooms: () => ({ action: 'rooms' }),
  resume: () => ({ action: 'resume' }),
  mode: (fields) => {
    if (fields['changes'] === undefined) return inGroup(fields, { action: 'mode' });
    const changes = modeChanges(fields['changes']);
    return typeof changes === 'string' ? changes : inGroup(fields, { action: 'mode', changes });
  },
  oper: (fields) => {
    const name = text(fields, 'name');
    const secret = passwordField(fields);
    if (name === null) return '"name" must be a string';
    return typeof secret === 'string' ? { action: 'oper', name, password: secret } : PASSWORD_BAD;
  },
  kill: (fields) => {
    const target = text(fields, 'target');
    if (target === null) return '"target" must be a string';
    const reason = fields['reason'];
    if (reason === undefined) return { action: 'kill', target };
    return typeof reason === 'string' ? { action: 'kill', target, reason } : '"reason" must be a string';
  },
  history: (fields) => {
    const target = text(fields, 'target');
    if (target === null) return '"target" must be a string';
    const [after, before, limit, newest] = [mark(fields['after']), mark(fields['before']), limitOf(fields['limit']), fields['newest']];
    if (after === null || before === null) return '"after" and "before" must be {"group": id, "seq": n} or {"ts": "ISO 8601 time"}';
    if (limit === null) return '"limit" must be a whole number from 1';
    if (newest !== undefined && typeof newest !== 'boolean') return '"newest" must be true or false';
    return { action: 'history', target, ...(after ? { after } : {}), ...(before ? { before } : {}), ...(newest !== undefined ? { newest } : {}), ...(limit ? { limit } : {}) };
  },
  signal: (fields) => {
    const tags = clientTags(fields['tags']);
    return tags === null ? '"tags" must map 1 to 20 client-only tags ("+name") to strings' : inGroup(fields, { action: 'signal', tags });
  },
  conversations: (fields) => {
    const [after, before, limit] = [moment(fields['after']), moment(fields['before']), limitOf(fields['limit'])];
    if (after === null || before === null) return '"after" and "before" must be ISO 8601 times';
    if (limit === null) return '"limit" must be a whole number from 1';
    return { action: 'conversations', ...(after ? { after } : {}), ...(before ? { before } : {}), ...(limit ? { limit } : {}) };
  },
  edit: (fields) => {
    const id = lineId(fields);
    const message = text(fields, 'message');
    if (id === null) return LINE_ID_BAD;
    return message === null ? '"message" must be a string' : inGroup(fields, { action: 'edit', id, message });
  },
  delete: (fields) => {
    const id = lineId(fields);
    return id === null ? LINE_ID_BAD : inGroup(fields, { action: 'delete', id });
  },
  rename: (fields) => {
    const name = text(fields, 'name');
    return name === null ? '"name" must be a string' : { action: 'rename', name };
  },
  away: (fields) => {
    const message = fields['message'];
    if (message === undefined) return { action: 'away' };
    return typeof message === 'string' ? { action: 'away', message } : '"message" must be a string';
  },
};

/** The request's label: a string of at most LABEL_MAX characters or a number (as its text); null when malformed. */
function labelOf(value: unknown): Label | null | undefined {
  if (value === undefined) return undefined;
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  return typeof value === 'string' && value.length <= LABEL_MAX ? value : null;
}

function isActionName(name: string): name is ActionName {
  return Object.hasOwn(READERS, name);
}

/** Checks an already-parsed value. */
export function validateAction(value: unknown): Validated {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: { code: 'bad-request', msg: 'a request is a JSON object' } };
  }
  const fields = value as Fields;
  const label = labelOf(fields['label']);
  const tagged = label === undefined || label === null ? {} : { label };
  const name = fields['action'];
  if (typeof name !== 'string') return { ok: false, error: { code: 'bad-request', msg: 'a request needs an "action" string' }, ...tagged };
  if (!isActionName(name)) {
    return { ok: false, error: { code: 'unknown-action', msg: `unknown action ${JSON.stringify(name.slice(0, 40))}`, for: name.slice(0, 40) }, ...tagged };
  }
  if (label === null) return { ok: false, error: { code: 'bad-request', msg: `"label" must be a string of at most ${LABEL_MAX} characters or a number`, for: name } };
  const read = READERS[name] as Reader<ActionName>;
  const result = read(fields);
  return typeof result === 'string' ? { ok: false, error: { code: 'bad-request', msg: result, for: name }, ...tagged } : { ok: true, action: result, ...tagged };
}

/** Parses and checks one JSON text. */
export function parseAction(json: string): Validated {
  let value: unknown;
  try {
    value = JSON.parse(json);
  } catch {
    return { ok: false, error: { code: 'bad-json', msg: 'the frame is not valid JSON' } };
  }
  return validateAction(value);
}
