/**
 * The fake's private threads: made under a channel, members added and removed, renamed,
 * archived and opened again, and listed (active ones by guild, archived ones the bot joined by
 * channel), each change told over the gateway as Discord does.
 */
import { channelObject, snowflake, type FakeChannel, type FakeUser } from './payloads.js';

export type Answer = { status: number; body?: unknown };

/** What the thread routes need of the fake. */
export interface ThreadHost {
  readonly channels: Map<string, FakeChannel>;
  readonly bot: FakeUser;
  readonly guildId: string;
  /** Whether the bot may create private threads. */
  readonly allowed: boolean;
  dispatch(t: string, d: unknown): void;
}

const UNKNOWN_CHANNEL: Answer = { status: 404, body: { message: 'Unknown Channel', code: 10003 } };

const threadsOf = (host: ThreadHost): FakeChannel[] => [...host.channels.values()].filter((c) => c.type === 12);

/** The answer to a thread request, or null when `call` (`METHOD /path`) is not one. */
export function threadRoute(host: ThreadHost, call: string, body: Record<string, unknown>): Answer | null {
  let p: RegExpExecArray | null;
  if ((p = /^POST \/channels\/(\d+)\/threads$/.exec(call))) return create(host, p[1]!, body);
  if (/^GET \/guilds\/\d+\/threads\/active$/.test(call)) {
    return { status: 200, body: { threads: threadsOf(host).filter((c) => !c.archived).map((c) => channelObject(c, host.bot.id)), members: [] } };
  }
  if ((p = /^GET \/channels\/(\d+)\/users\/@me\/threads\/archived\/private$/.exec(call))) {
    const parentId = p[1]!;
    const threads = threadsOf(host).filter((c) => c.archived && c.parentId === parentId && c.members.has(host.bot.id));
    return { status: 200, body: { threads: threads.map((c) => channelObject(c, host.bot.id)), members: [], has_more: false } };
  }
  if ((p = /^(PUT|DELETE) \/channels\/(\d+)\/thread-members\/(\d+)$/.exec(call))) {
    const thread = host.channels.get(p[2]!);
    if (!thread) return UNKNOWN_CHANNEL;
    if (p[1] === 'PUT') thread.members.add(p[3]!);
    else thread.members.delete(p[3]!);
    return { status: 204 };
  }
  if ((p = /^PATCH \/channels\/(\d+)$/.exec(call))) {
    const thread = host.channels.get(p[1]!);
    if (!thread) return UNKNOWN_CHANNEL;
    if (typeof body['archived'] === 'boolean') thread.archived = body['archived'];
    if (typeof body['name'] === 'string') thread.name = body['name'];
    const data = channelObject(thread, host.bot.id);
    host.dispatch('THREAD_UPDATE', data);
    return { status: 200, body: data };
  }
  return null;
}

function create(host: ThreadHost, parentId: string, body: Record<string, unknown>): Answer {
  const parent = host.channels.get(parentId);
  if (!parent) return UNKNOWN_CHANNEL;
  if (!host.allowed) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
  const name = String(body['name'] ?? '');
  if (name.length < 1 || name.length > 100) return { status: 400, body: { message: 'Invalid Form Body: name', code: 50035 } };
  const thread: FakeChannel = { id: snowflake(), name, type: Number(body['type'] ?? 11), guildId: host.guildId, parentId, archived: false, members: new Set([host.bot.id]) };
  host.channels.set(thread.id, thread);
  const data = channelObject(thread, host.bot.id);
  host.dispatch('THREAD_CREATE', { ...data, newly_created: true });
  return { status: 201, body: data };
}
