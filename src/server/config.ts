/**
 * The one module that reads the environment (after loading `.env`). Everything else
 * receives its slice of the frozen Config. Every setting is documented in .env.example.
 */
import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import dotenv from 'dotenv';
import type { WebConfig } from '../bridges/web/web-front.js';
import type { LoginLimits } from '../core/login-limiter.js';
import type { OperatorEntry } from '../core/operators.js';
import type { ScryptCost } from '../core/passwords.js';
import type { ThrottleOptions } from '../core/throttle.js';
import type { AdmissionLimits } from '../net/admission.js';
import type { LogLevel } from './logger.js';

export const FRONT_NAMES = ['tcp', 'irc', 'discord', 'web'] as const;
export type FrontName = (typeof FRONT_NAMES)[number];

export interface TcpConfig {
  host: string;
  port: number;
  /** Largest frame accepted, in characters (the header allows 99,999). */
  maxFrameChars: number;
  /** Output a client may leave unread before it is disconnected, in bytes. */
  maxOutboundBytes: number;
  /** Rate limit per connection: a burst of requests, then a steady rate; a few more wait, the rest are refused. */
  flood: ThrottleOptions;
  /**
   * How long a connection may wait at the login prompt. Long, because the course's client spins
   * printing `disconnected` once closed there; before that, a full queue of waiting connections
   * closes the oldest native one (instead of refusing the newcomer).
   */
  loginTimeoutMs: number;
}

export interface IrcConfig {
  host: string;
  port: number;
  /** The server's name in numerics and as the service's host. */
  serverName: string;
  /** A text file whose lines are the message of the day; none when null. */
  motdFile: string | null;
  /** Output a client may leave unread before it is disconnected, in bytes. */
  maxOutboundBytes: number;
  /** Silence after which the server pings a client; a client silent as long again is dropped. */
  pingIntervalMs: number;
  /** Flood control per connection: a burst of lines, then a steady rate; a few more wait, the rest are refused. */
  flood: ThrottleOptions;
  /** Lines of a channel's history shown on JOIN to a registered user whose client has no draft/chathistory; 0: none. */
  joinReplay: number;
}

/** The Discord front; present only when DISCORD_TOKEN is set. */
export interface DiscordConfig {
  /** The bot token: a secret, never logged. */
  token: string;
  /** The application the token must belong to (checked at login), if given. */
  applicationId: string | null;
  /** The bridged text channels. */
  channelIds: readonly string[];
  /** Slash commands are registered in this guild only (instantly) instead of globally. */
  guildId: string | null;
  /** A user in no group is logged out after this long without activity; 0 = never. */
  idleMs: number;
  /**
   * Members of a bridged channel's guild are online in the chat while Discord shows them online
   * (the privileged Presence intent); without it a user comes online at their first message.
   */
  presence: boolean;
  /** Test only: the REST base of a fake Discord (`http://127.0.0.1:PORT/api`). */
  apiBase: string | null;
  /** Rate limit per Discord user, as for a connection on the other fronts. */
  flood: ThrottleOptions;
}

/** Password accounts: the hashing cost of new passwords, and the brakes on failed logins. */
export interface AccountsConfig {
  scrypt: ScryptCost;
  loginLimits: LoginLimits;
  /** Server operators (IRC's O-lines): their passwords are secrets, never logged. */
  operators: readonly OperatorEntry[];
}

/** Cluster mode: several nodes serving one user base, on PostgreSQL (DATABASE_URL) and NATS. */
export interface ClusterConfig {
  /** `nats://host:port`. */
  natsUrl: string;
  /** The first token of every subject the cluster uses on the bus, so clusters of different names can share one nats-server. */
  name: string;
  /** This node's name on the bus (letters, digits, `_` and `-`). */
  nodeId: string | null;
  /** How often nodes and the hub say they are there. */
  heartbeatMs: number;
  /** How long a silent node or hub is waited for before it is taken for dead. */
  leaseMs: number;
}

export interface Config {
  fronts: readonly FrontName[];
  accounts: AccountsConfig;
  tcp: TcpConfig;
  irc: IrcConfig;
  discord: DiscordConfig | null;
  web: WebConfig;
  /** Caps on connections, shared by the native, IRC and web fronts. */
  admission: AdmissionLimits;
  dataDir: string;
  /** Where history, accounts and kept memberships live when not in DATA_DIR: a PostgreSQL URL (may hold a password: never logged). */
  databaseUrl: string | null;
  /** Present when NATS_URL is set (which needs DATABASE_URL). */
  cluster: ClusterConfig | null;
  sonnetsFile: string;
  logLevel: LogLevel;
  maxLineChars: number;
  /** Most lines a returning user is shown of each conversation they missed. */
  missedLines: number;
  /** How long a room nobody is in, kept by no registered member, keeps its topic and modes (ms). */
  roomForgetMs: number;
}

export class ConfigError extends Error {
  override readonly name = 'ConfigError';
}

type Env = Readonly<Record<string, string | undefined>>;

function integer(env: Env, key: string, fallback: number, min: number, max: number): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return fallback;
  const n = Number(raw);
  if (!Number.isInteger(n) || n < min || n > max) throw new ConfigError(`${key} must be a whole number from ${min} to ${max}, got ${JSON.stringify(raw)}`);
  return n;
}

function text(env: Env, key: string, fallback: string): string {
  const raw = env[key]?.trim();
  return raw === undefined || raw === '' ? fallback : raw;
}

function oneOf<T extends string>(env: Env, key: string, allowed: readonly T[], fallback: T): T {
  const raw = text(env, key, fallback).toLowerCase();
  if (!(allowed as readonly string[]).includes(raw)) throw new ConfigError(`${key} must be one of ${allowed.join(', ')}, got ${JSON.stringify(raw)}`);
  return raw as T;
}

function fronts(env: Env): FrontName[] {
  const names = text(env, 'FRONTS', FRONT_NAMES.join(','))
    .split(',')
    .map((f) => f.trim().toLowerCase())
    .filter((f) => f !== '');
  for (const name of names) {
    if (!(FRONT_NAMES as readonly string[]).includes(name)) throw new ConfigError(`FRONTS names an unknown front ${JSON.stringify(name)}; known: ${FRONT_NAMES.join(', ')}`);
  }
  if (names.length === 0) throw new ConfigError('FRONTS must name at least one front');
  return [...new Set(names)] as FrontName[];
}

/**
 * IRC_OPERS: `name:password` pairs separated by commas; a password runs to the next comma and
 * may hold colons. An error never quotes a password.
 */
function operators(env: Env): OperatorEntry[] {
  const raw = env['IRC_OPERS']?.trim() ?? '';
  if (raw === '') return [];
  return raw.split(',').map((entry, i) => {
    const colon = entry.indexOf(':');
    const name = entry.slice(0, Math.max(colon, 0)).trim();
    const password = entry.slice(colon + 1);
    if (colon < 0 || !/^[A-Za-z][A-Za-z0-9_-]{0,29}$/.test(name) || password.length < 8) {
      throw new ConfigError(`IRC_OPERS entry ${i + 1} must be name:password (a name of letters, digits, _ and -, a password of at least 8 characters)`);
    }
    return Object.freeze({ name, password });
  });
}

/** A server name as IRC numerics carry it: letters, digits, dots and dashes. */
function serverName(env: Env): string {
  const name = text(env, 'IRC_SERVER_NAME', 'ics-chat.local');
  if (!/^[A-Za-z0-9][A-Za-z0-9.-]{0,62}$/.test(name)) throw new ConfigError(`IRC_SERVER_NAME must be a host name (letters, digits, dots, dashes), got ${JSON.stringify(name)}`);
  return name;
}

const SNOWFLAKE = /^\d{5,20}$/;

function snowflake(env: Env, key: string): string | null {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return null;
  if (!SNOWFLAKE.test(raw)) throw new ConfigError(`${key} must be a Discord id (digits only; Developer Mode -> right-click -> Copy ID), got ${JSON.stringify(raw)}`);
  return raw;
}

function snowflakes(env: Env, key: string): string[] {
  const ids = (env[key] ?? '').split(',').map((id) => id.trim()).filter((id) => id !== '');
  for (const id of ids) {
    if (!SNOWFLAKE.test(id)) throw new ConfigError(`${key} must list Discord channel ids separated by commas, got ${JSON.stringify(id)}`);
  }
  return [...new Set(ids)];
}

function minutes(env: Env, key: string, fallback: number): number {
  const raw = env[key]?.trim();
  if (raw === undefined || raw === '') return fallback * 60_000;
  const n = Number(raw);
  if (!Number.isFinite(n) || n < 0 || n > 10_080) throw new ConfigError(`${key} must be a number of minutes from 0 to 10080 (0 = never), got ${JSON.stringify(raw)}`);
  return Math.round(n * 60_000);
}

function onOff(env: Env, key: string, fallback: boolean): boolean {
  const raw = env[key]?.trim().toLowerCase();
  if (raw === undefined || raw === '') return fallback;
  if (['1', 'on', 'true', 'yes'].includes(raw)) return true;
  if (['0', 'off', 'false', 'no'].includes(raw)) return false;
  throw new ConfigError(`${key} must be on or off, got ${JSON.stringify(raw)}`);
}

function apiBase(env: Env): string | null {
  const raw = env['DISCORD_API_BASE']?.trim();
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError(`DISCORD_API_BASE must be a URL such as http://127.0.0.1:PORT/api, got ${JSON.stringify(raw)}`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new ConfigError('DISCORD_API_BASE must be an http or https URL');
  return raw.replace(/\/+$/, '');
}

/** Rate limits, the same for a connection on every front and for each Discord user. */
function flood(env: Env): ThrottleOptions {
  return Object.freeze({
    burst: integer(env, 'FLOOD_BURST', 20, 1, 1_000_000),
    perSecond: integer(env, 'FLOOD_RATE', 5, 1, 1_000_000),
    maxQueued: integer(env, 'FLOOD_QUEUE', 50, 0, 10_000),
  });
}

function admission(env: Env): AdmissionLimits {
  return Object.freeze({
    maxConnections: integer(env, 'MAX_CONNECTIONS', 4096, 1, 1_000_000),
    maxPerAddress: integer(env, 'MAX_CONNECTIONS_PER_ADDRESS', 256, 1, 1_000_000),
    maxPending: integer(env, 'MAX_PENDING_LOGINS', 256, 1, 1_000_000),
    loginTimeoutMs: integer(env, 'LOGIN_TIMEOUT_MS', 120_000, 100, 86_400_000),
  });
}

function discord(env: Env, limits: ThrottleOptions): DiscordConfig | null {
  const token = env['DISCORD_TOKEN']?.trim();
  if (token === undefined || token === '') return null;
  return Object.freeze({
    token,
    applicationId: snowflake(env, 'DISCORD_APPLICATION_ID'),
    channelIds: Object.freeze(snowflakes(env, 'DISCORD_CHANNEL_IDS')),
    guildId: snowflake(env, 'DISCORD_GUILD_ID'),
    idleMs: minutes(env, 'DISCORD_IDLE_MINUTES', 30),
    presence: onOff(env, 'DISCORD_PRESENCE', false),
    apiBase: apiBase(env),
    flood: limits,
  });
}

function accounts(env: Env): AccountsConfig {
  const windowMs = integer(env, 'LOGIN_FAILURE_WINDOW', 300, 1, 86_400) * 1000;
  const perName = integer(env, 'LOGIN_FAILURES_PER_NAME', 5, 1, 1000);
  const perAddress = integer(env, 'LOGIN_FAILURES_PER_ADDRESS', 20, 1, 100_000);
  return Object.freeze({
    scrypt: Object.freeze({ logN: integer(env, 'PASSWORD_COST', 15, 12, 20), r: 8, p: 1 }),
    loginLimits: Object.freeze({
      perName: Object.freeze({ burst: perName, refillMs: windowMs / perName }),
      perAddress: Object.freeze({ burst: perAddress, refillMs: windowMs / perAddress }),
    }),
    operators: Object.freeze(operators(env)),
  });
}

/** DATABASE_URL: a PostgreSQL URL, or none (the embedded SQLite database in DATA_DIR). */
function databaseUrl(env: Env): string | null {
  const raw = env['DATABASE_URL']?.trim();
  if (raw === undefined || raw === '') return null;
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new ConfigError('DATABASE_URL must be a PostgreSQL URL, postgres://user:password@host:port/database');
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') throw new ConfigError(`DATABASE_URL must be a PostgreSQL URL (postgres://...), not ${url.protocol}//...`);
  if (url.pathname.length <= 1) throw new ConfigError('DATABASE_URL must name a database (postgres://user@host:port/database)');
  return raw;
}

/** NATS_URL turns cluster mode on: the bus, the cluster's and this node's names, and the heartbeat and lease. */
function cluster(env: Env, database: string | null): ClusterConfig | null {
  const raw = env['NATS_URL']?.trim();
  if (raw === undefined || raw === '') return null;
  if (database === null) throw new ConfigError('NATS_URL (cluster mode) needs DATABASE_URL: the nodes share one PostgreSQL database');
  if (!/^nats:\/\/[^\s/]+$/.test(raw)) throw new ConfigError('NATS_URL must be nats://host:port');
  // Set but blank is refused, not taken as the default: a name meant to keep two clusters apart must not quietly be `ics`.
  const name = env['CLUSTER_NAME']?.trim() ?? 'ics';
  if (!/^[A-Za-z0-9_-]{1,64}$/.test(name)) throw new ConfigError('CLUSTER_NAME must be 1-64 letters, digits, _ or - (it starts every NATS subject: no spaces, ., * or >)');
  const nodeId = env['NODE_ID']?.trim() || null;
  if (nodeId !== null && !/^[A-Za-z0-9_-]{1,64}$/.test(nodeId)) throw new ConfigError('NODE_ID must be 1-64 letters, digits, _ or -');
  const heartbeatMs = integer(env, 'CLUSTER_HEARTBEAT_MS', 1000, 20, 60_000);
  const leaseMs = integer(env, 'CLUSTER_LEASE_MS', 10_000, 100, 600_000);
  if (leaseMs < 3 * heartbeatMs) throw new ConfigError('CLUSTER_LEASE_MS must be at least three heartbeats (CLUSTER_HEARTBEAT_MS)');
  return Object.freeze({ natsUrl: raw, name, nodeId, heartbeatMs, leaseMs });
}

/** The web page as `npm run build` bundles it (dist/page), found from this module in src/ or dist/. */
const PAGE_DIR = fileURLToPath(new URL('../../dist/page/', import.meta.url));

/** Builds the config from an environment (tests pass their own). Paths resolve against `cwd`. */
export function readConfig(env: Env, cwd: string = process.cwd()): Config {
  const dataDir = resolve(cwd, text(env, 'DATA_DIR', 'data'));
  const database = databaseUrl(env);
  const chatHost = text(env, 'CHAT_HOST', '0.0.0.0');
  const maxOutboundBytes = integer(env, 'MAX_OUTBOUND_BYTES', 4 << 20, 4096, 1 << 30);
  const motd = text(env, 'IRC_MOTD_FILE', '');
  const limits = flood(env);
  return Object.freeze({
    fronts: Object.freeze(fronts(env)),
    accounts: accounts(env),
    tcp: Object.freeze({
      host: chatHost,
      port: integer(env, 'CHAT_PORT', 1112, 0, 65535),
      maxFrameChars: integer(env, 'MAX_FRAME_CHARS', 99_999, 64, 99_999),
      maxOutboundBytes,
      flood: limits,
      loginTimeoutMs: integer(env, 'CHAT_LOGIN_TIMEOUT_MS', 3_600_000, 100, 604_800_000),
    }),
    irc: Object.freeze({
      host: text(env, 'IRC_HOST', chatHost),
      port: integer(env, 'IRC_PORT', 6667, 0, 65535),
      serverName: serverName(env),
      motdFile: motd === '' ? null : resolve(cwd, motd),
      maxOutboundBytes,
      pingIntervalMs: 120_000,
      flood: limits,
      joinReplay: integer(env, 'IRC_JOIN_REPLAY', 0, 0, 100),
    }),
    discord: discord(env, limits),
    web: Object.freeze({
      host: text(env, 'WEB_HOST', chatHost),
      port: integer(env, 'WEB_PORT', 8080, 0, 65535),
      maxMessageBytes: integer(env, 'WEB_MAX_MESSAGE_BYTES', 64 << 10, 1024, 16 << 20),
      heartbeatMs: integer(env, 'WEB_HEARTBEAT_MS', 30_000, 50, 3_600_000),
      maxOutboundBytes,
      flood: limits,
      pageDir: PAGE_DIR,
    }),
    admission: admission(env),
    dataDir,
    databaseUrl: database,
    cluster: cluster(env, database),
    sonnetsFile: resolve(cwd, text(env, 'SONNETS_FILE', 'data/sonnets.txt')),
    logLevel: oneOf(env, 'LOG_LEVEL', ['debug', 'info', 'warn', 'error'] as const, 'info'),
    maxLineChars: integer(env, 'MAX_LINE_CHARS', 8000, 1, 16_000),
    missedLines: integer(env, 'MISSED_LINES', 50, 0, 100),
    roomForgetMs: integer(env, 'ROOM_FORGET_AFTER', 86_400, 0, 31_536_000) * 1000,
  });
}

/** Loads `.env` (if present) into the environment, then reads the config from it. */
export function loadConfig(): Config {
  dotenv.config({ quiet: true });
  return readConfig(process.env);
}

/** Loads `.env` (if present) and gives DATABASE_URL, checked as the server checks it, or null when unset: for tools that need only it (migrate-history). */
export function loadDatabaseUrl(): string | null {
  dotenv.config({ quiet: true });
  return databaseUrl(process.env);
}
