/**
 * Edge validation: untrusted JSON (a classic frame, a WebSocket message) becomes a typed
 * ClientAction or an error with a stable code. Inside the hub, actions are trusted.
 */
import { PASSWORD_MAX } from './password-rule.js';
import type { ActionName, ClientAction, ErrorCode, Feature } from './protocol.js';

export interface ValidationError {
  code: ErrorCode;
  msg: string;
  for?: string;
}

export type Validated = { ok: true; action: ClientAction } | { ok: false; error: ValidationError };

type Fields = Record<string, unknown>;
type Reader<K extends ActionName> = (fields: Fields) => Extract<ClientAction, { action: K }> | string;

/** A required text field; numbers are accepted as their decimal text (classic clients send `"3"`, others `3`). */
function text(fields: Fields, key: string, numeric = false): string | null {
  const value = fields[key];
  if (typeof value === 'string') return value;
  if (numeric && typeof value === 'number' && Number.isFinite(value)) return String(value);
  return null;
}

const KNOWN_FEATURES: ReadonlySet<string> = new Set<Feature>(['events', 'presence']);

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

function withTarget<K extends 'poem' | 'sonnets' | 'search' | 'connect' | 'invite'>(action: K, numeric = false): Reader<K> {
  return (fields) => {
    const target = text(fields, 'target', numeric);
    return target === null ? '"target" must be a string' : ({ action, target } as Extract<ClientAction, { action: K }>);
  };
}

function withMessage<K extends 'exchange' | 'flip' | 'ping'>(action: K): Reader<K> {
  return (fields) => {
    const message = text(fields, 'message');
    return message === null ? '"message" must be a string' : ({ action, message } as Extract<ClientAction, { action: K }>);
  };
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
  poem: withTarget('poem', true),
  sonnets: withTarget('sonnets'),
  search: withTarget('search'),
  connect: withTarget('connect'),
  exchange: withMessage('exchange'),
  flip: withMessage('flip'),
  ping: withMessage('ping'),
  disconnect: (fields) => {
    const reason = fields['reason'];
    if (reason === undefined) return { action: 'disconnect' };
    return typeof reason === 'string' ? { action: 'disconnect', reason } : '"reason" must be a string';
  },
  topic: (fields) => {
    const topic = fields['topic'];
    if (topic === undefined) return { action: 'topic' };
    return typeof topic === 'string' ? { action: 'topic', topic } : '"topic" must be a string';
  },
  kick: (fields) => {
    const target = text(fields, 'target');
    if (target === null) return '"target" must be a string';
    const reason = fields['reason'];
    if (reason === undefined) return { action: 'kick', target };
    return typeof reason === 'string' ? { action: 'kick', target, reason } : '"reason" must be a string';
  },
  invite: withTarget('invite'),
};

function isActionName(name: string): name is ActionName {
  return Object.hasOwn(READERS, name);
}

/** Checks an already-parsed value. */
export function validateAction(value: unknown): Validated {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) {
    return { ok: false, error: { code: 'bad-request', msg: 'a request is a JSON object' } };
  }
  const fields = value as Fields;
  const name = fields['action'];
  if (typeof name !== 'string') return { ok: false, error: { code: 'bad-request', msg: 'a request needs an "action" string' } };
  if (!isActionName(name)) {
    return { ok: false, error: { code: 'unknown-action', msg: `unknown action ${JSON.stringify(name.slice(0, 40))}`, for: name.slice(0, 40) } };
  }
  const read = READERS[name] as Reader<ActionName>;
  const result = read(fields);
  return typeof result === 'string' ? { ok: false, error: { code: 'bad-request', msg: result, for: name } } : { ok: true, action: result };
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
