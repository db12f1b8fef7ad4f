/**
 * A small fake Discord on loopback that the real discord.js logs in to: the REST endpoints
 * the Discord front uses (messages, DMs, private threads (./thread-routes.ts), webhooks, slash-command
 * registration, interaction callbacks) and a gateway (./gateway.ts). It records every
 * request and every message, echoes messages back over the gateway as real Discord does,
 * answers the requests a test chooses with Discord's rate limits (./rate-limits.ts), and lets
 * a test act as Discord users: type, edit and delete in a channel, a thread or a DM, run a slash
 * command, come online and go offline.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { waitFor } from '../../helpers/wait.js';
import { FakeGateway } from './gateway.js';
import { RateLimits } from './rate-limits.js';
import { threadRoute, type ThreadHost } from './thread-routes.js';
import {
  guildPayload,
  interactionPayload,
  messagePayload,
  presenceObject,
  readyPayload,
  snowflake,
  type FakeChannel,
  type FakeUser,
  type MessageFields,
} from './payloads.js';

export type { FakeChannel, FakeUser } from './payloads.js';

export interface FakeOptions {
  token?: string;
  /** Privileged intents the application may use (default: Message Content only). */
  allowedPrivileged?: number;
  /** Whether the bot may manage webhooks (default true). */
  webhooks?: boolean;
  /** Whether the bot may create private threads (default true). */
  threads?: boolean;
}

export interface Request {
  method: string;
  path: string;
  query: URLSearchParams;
  body: Record<string, unknown> | unknown[] | null;
  auth: string | null;
}

/** A message as it now exists in the fake. */
export interface Posted {
  id: string;
  channelId: string;
  content: string;
  author: FakeUser;
  /** bot: the bot's own post; webhook: through a webhook (with `username`); user: typed by a test user. */
  via: 'bot' | 'webhook' | 'user';
  username?: string;
  replyTo?: string;
  allowedMentions?: unknown;
  /** Index of its `message <id>` entry in the fake's event log. */
  at: number;
}

export interface InteractionResponse {
  kind: 'reply' | 'defer' | 'edit' | 'followup';
  content: string;
  ephemeral: boolean;
}

export interface FakeInteraction {
  id: string;
  token: string;
  responses: InteractionResponse[];
}

export const MESSAGE_CONTENT = 1 << 15;
export const GUILD_PRESENCES = 1 << 8;

export class FakeDiscord {
  readonly token: string;
  readonly appId = snowflake();
  readonly guildId = snowflake();
  readonly bot: FakeUser = { id: this.appId, username: 'icsbot', global_name: null, bot: true };
  readonly requests: Request[] = [];
  readonly messages: Posted[] = [];
  /** Ordered log of what happened: gateway steps, `METHOD /path` of each request, `message <id>` for each message. */
  readonly events: string[] = [];
  readonly channels = new Map<string, FakeChannel>();
  readonly general: FakeChannel;
  readonly other: FakeChannel;
  readonly users = new Map<string, FakeUser>();
  readonly roles = [{ id: '', name: '@everyone' }, { id: snowflake(), name: 'mods' }];
  readonly gateway: FakeGateway;
  /** Users who do not accept DMs from the bot. */
  readonly closedDms = new Set<string>();
  /** The requests answered 429, and the rules that choose them. */
  readonly rateLimits = new RateLimits();
  private readonly interactions = new Map<string, FakeInteraction>();
  private readonly webhooks = new Map<string, { id: string; token: string; channelId: string }>();
  private readonly dms = new Map<string, FakeChannel>();
  private down = false;
  readonly restApi: string;
  private readonly threadHost: ThreadHost;

  private constructor(
    private readonly server: Server,
    readonly options: Required<FakeOptions>,
  ) {
    this.token = options.token;
    this.roles[0]!.id = this.guildId;
    const port = (server.address() as AddressInfo).port;
    this.restApi = `http://127.0.0.1:${port}/api`;
    this.threadHost = {
      channels: this.channels,
      bot: this.bot,
      guildId: this.guildId,
      allowed: options.threads,
      dispatch: (t, d) => this.gateway.dispatch(t, d),
    };
    this.general = this.addChannel('general');
    this.other = this.addChannel('random');
    this.gateway = new FakeGateway(server, {
      token: this.token,
      allowedPrivileged: options.allowedPrivileged,
      log: (e) => this.events.push(e),
      welcome: (sessionId) => [
        { t: 'READY', d: readyPayload(this.bot, this.appId, this.guildId, sessionId, `ws://127.0.0.1:${port}/gateway`) },
        {
          t: 'GUILD_CREATE',
          d: guildPayload(this.guildId, this.bot, [...this.channels.values()], [this.bot, ...this.users.values()], this.roles, (this.gateway.intents & GUILD_PRESENCES) !== 0),
        },
      ],
    });
    server.on('request', (req: IncomingMessage, res: ServerResponse) => this.receive(req, res));
    server.prependListener('upgrade', (_req: IncomingMessage, socket: { destroy(): void }) => {
      if (this.down) socket.destroy();
    });
  }

  static async start(options: FakeOptions = {}): Promise<FakeDiscord> {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    return new FakeDiscord(server, {
      token: options.token ?? 'fake-bot-token',
      allowedPrivileged: options.allowedPrivileged ?? MESSAGE_CONTENT,
      webhooks: options.webhooks ?? true,
      threads: options.threads ?? true,
    });
  }

  private addChannel(name: string): FakeChannel {
    const channel: FakeChannel = { id: snowflake(), name, type: 0, guildId: this.guildId, parentId: null, archived: false, members: new Set() };
    this.channels.set(channel.id, channel);
    return channel;
  }

  /** A guild member (created before the bot logs in, they are in GUILD_CREATE too), with a server nickname if given. */
  user(username: string, globalName: string | null = null, nick: string | null = null): FakeUser {
    const user: FakeUser = { id: snowflake(), username, global_name: globalName, bot: false, nick };
    this.users.set(user.id, user);
    return user;
  }

  /** Discord shows `user` with `status` now: a bot with the Presence intent is told. */
  setStatus(user: FakeUser, status: NonNullable<FakeUser['status']>): void {
    user.status = status;
    if ((this.gateway.intents & GUILD_PRESENCES) !== 0) this.gateway.dispatch('PRESENCE_UPDATE', presenceObject(user, this.guildId));
  }

  /** Makes every request and gateway connection fail (as if Discord were unreachable), or undoes that. */
  setDown(down: boolean): void {
    this.down = down;
    if (down) this.gateway.drop(1006);
  }

  // ---- acting as users ----

  /** `user` types `content` in a channel or thread; returns the message id. */
  say(user: FakeUser, channelId: string, content: string, extra: Partial<MessageFields> = {}): string {
    const channel = this.channels.get(channelId) ?? this.dmOf(user);
    // Like Discord: without the Message Content intent a bot gets empty content, except in DMs and when it is mentioned.
    const visible = (this.gateway.intents & MESSAGE_CONTENT) !== 0 || channel.guildId === null || content.includes(`<@${this.bot.id}>`);
    const fields: MessageFields = { id: snowflake(), channelId: channel.id, guildId: channel.guildId, author: user, content: visible ? content : '', ...extra };
    this.record({ id: fields.id, channelId: channel.id, content, author: user, via: 'user' });
    this.gateway.dispatch('MESSAGE_CREATE', messagePayload(fields));
    return fields.id;
  }

  /** `user` edits their message `id` in a channel, thread or DM to read `content`. */
  edit(user: FakeUser, channelId: string, id: string, content: string): void {
    const channel = this.channels.get(channelId) ?? this.dmOf(user);
    const posted = this.messages.find((m) => m.id === id);
    if (posted) posted.content = content;
    this.events.push(`edit ${id}`);
    this.gateway.dispatch('MESSAGE_UPDATE', { ...messagePayload({ id, channelId: channel.id, guildId: channel.guildId, author: user, content }), edited_timestamp: new Date().toISOString() });
  }

  /** A message is deleted (by its author or a moderator): Discord tells only its id and channel. */
  remove(channelId: string, id: string, guildId: string | null = this.guildId): void {
    this.events.push(`delete ${id}`);
    this.gateway.dispatch('MESSAGE_DELETE', { id, channel_id: channelId, ...(guildId ? { guild_id: guildId } : {}) });
  }

  /** `user` writes to the bot by DM. */
  dm(user: FakeUser, content: string): string {
    return this.say(user, this.dmOf(user).id, content);
  }

  dmOf(user: FakeUser): FakeChannel {
    let dm = this.dms.get(user.id);
    if (!dm) {
      dm = { id: snowflake(), name: '', type: 1, guildId: null, parentId: null, archived: false, members: new Set([user.id]) };
      this.dms.set(user.id, dm);
    }
    return dm;
  }

  /** `user` runs a slash command in a channel (or, with `dm`, in their DM with the bot). */
  slash(user: FakeUser, where: FakeChannel | 'dm', name: string, options: Record<string, string | number> = {}): FakeInteraction {
    const channel = where === 'dm' ? this.dmOf(user) : where;
    const interaction: FakeInteraction = { id: snowflake(), token: `itoken-${snowflake()}`, responses: [] };
    this.interactions.set(interaction.token, interaction);
    const opts = Object.entries(options).map(([n, value]) => ({ name: n, type: typeof value === 'number' ? 4 : 3, value }));
    this.gateway.dispatch('INTERACTION_CREATE', interactionPayload({ ...interaction, appId: this.appId, user, channel, name, options: opts }));
    return interaction;
  }

  // ---- waiting ----

  /** The first message (in creation order) that matches, waiting for it with a deadline. */
  async message(what: string, match: (m: Posted) => boolean, timeoutMs = 5000): Promise<Posted> {
    return waitFor(what, () => this.messages.find(match), timeoutMs);
  }

  /** Messages the bot (or its webhooks) posted in a channel, in order. */
  postedIn(channelId: string): Posted[] {
    return this.messages.filter((m) => m.channelId === channelId && m.via !== 'user');
  }

  async request(what: string, match: (r: Request) => boolean, timeoutMs = 5000): Promise<Request> {
    return waitFor(what, () => this.requests.find(match), timeoutMs);
  }

  async responses(interaction: FakeInteraction, n = 1, timeoutMs = 5000): Promise<InteractionResponse[]> {
    return waitFor(`${n} response(s) to the interaction`, () => interaction.responses.length >= n && interaction.responses, timeoutMs);
  }

  threads(): FakeChannel[] {
    return [...this.channels.values()].filter((c) => c.type === 12);
  }

  async close(): Promise<void> {
    this.gateway.close();
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  // ---- REST ----

  private record(m: Omit<Posted, 'at'>): Posted {
    this.events.push(`message ${m.id}`);
    const posted = { ...m, at: this.events.length - 1 };
    this.messages.push(posted);
    return posted;
  }

  private receive(req: IncomingMessage, res: ServerResponse): void {
    if (this.down) {
      req.socket.destroy();
      return;
    }
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const url = new URL(req.url ?? '/', 'http://fake');
      const raw = Buffer.concat(chunks).toString('utf8');
      const request: Request = {
        method: req.method ?? 'GET',
        path: decodeURIComponent(url.pathname.replace(/^\/api\/v10/, '')),
        query: url.searchParams,
        body: raw ? (JSON.parse(raw) as Request['body']) : null,
        auth: req.headers.authorization ?? null,
      };
      this.requests.push(request);
      this.events.push(`${request.method} ${request.path}`);
      const limited = this.rateLimits.check(request);
      if (limited) {
        this.events.push(`429 ${request.method} ${request.path}`);
        res.writeHead(limited.status, { 'Content-Type': 'application/json', ...limited.headers });
        res.end(JSON.stringify(limited.body));
        return;
      }
      const answer = this.route(request);
      res.writeHead(answer.status, answer.body === undefined ? {} : { 'Content-Type': 'application/json' });
      res.end(answer.body === undefined ? undefined : JSON.stringify(answer.body));
    });
  }

  private route(r: Request): { status: number; body?: unknown } {
    const m = (re: RegExp): RegExpExecArray | null => re.exec(`${r.method} ${r.path}`);
    const body = (r.body ?? {}) as Record<string, unknown>;
    const authed = r.auth === `Bot ${this.token}`;
    let p: RegExpExecArray | null;
    if ((p = m(/^POST \/interactions\/(\d+)\/([^/]+)\/callback$/))) return this.callback(p[2]!, body);
    if ((p = m(/^(POST|PATCH) \/webhooks\/(\d+)\/([^/]+)(\/messages\/@original)?$/))) return this.webhookPost(p[2]!, p[3]!, body, r);
    if (!authed) return { status: 401, body: { message: '401: Unauthorized', code: 0 } };
    if (m(/^GET \/gateway\/bot$/)) {
      const url = `ws://127.0.0.1:${(this.server.address() as AddressInfo).port}/gateway`;
      return { status: 200, body: { url, shards: 1, session_start_limit: { total: 1000, remaining: 1000, reset_after: 60_000, max_concurrency: 1 } } };
    }
    if ((p = m(/^PUT \/applications\/(\d+)(?:\/guilds\/(\d+))?\/commands$/))) {
      const cmds = (r.body as Record<string, unknown>[]).map((c) => ({ ...c, id: snowflake(), application_id: p![1], version: snowflake(), ...(p![2] ? { guild_id: p![2] } : {}) }));
      return { status: 200, body: cmds };
    }
    if ((p = m(/^POST \/channels\/(\d+)\/messages$/))) return this.botPost(p[1]!, body);
    if (m(/^POST \/users\/@me\/channels$/)) {
      const user = this.users.get(String(body['recipient_id']));
      if (!user) return { status: 404, body: { message: 'Unknown User', code: 10013 } };
      return { status: 200, body: { id: this.dmOf(user).id, type: 1, recipients: [{ id: user.id, username: user.username, discriminator: '0', global_name: null, avatar: null }] } };
    }
    const thread = threadRoute(this.threadHost, `${r.method} ${r.path}`, body);
    if (thread) return thread;
    if ((p = m(/^(GET|POST) \/channels\/(\d+)\/webhooks$/))) {
      if (!this.options.webhooks) return { status: 403, body: { message: 'Missing Permissions', code: 50013 } };
      const channelId = p[2]!;
      if (p[1] === 'GET') return { status: 200, body: [...this.webhooks.values()].filter((w) => w.channelId === channelId).map((w) => this.webhookObject(w)) };
      const hook = { id: snowflake(), token: `wtoken-${snowflake()}`, channelId };
      this.webhooks.set(hook.id, hook);
      return { status: 200, body: this.webhookObject(hook) };
    }
    return { status: 404, body: { message: `the fake has no route for ${r.method} ${r.path}`, code: 0 } };
  }

  private webhookObject(w: { id: string; token: string; channelId: string }): Record<string, unknown> {
    return { id: w.id, type: 1, channel_id: w.channelId, guild_id: this.guildId, name: 'ics-chat', avatar: null, token: w.token, application_id: this.appId };
  }

  private botPost(channelId: string, body: Record<string, unknown>): { status: number; body?: unknown } {
    const channel = this.channels.get(channelId) ?? [...this.dms.values()].find((d) => d.id === channelId);
    if (!channel) return { status: 404, body: { message: 'Unknown Channel', code: 10003 } };
    if (channel.type === 1 && [...channel.members].some((id) => this.closedDms.has(id))) {
      return { status: 403, body: { message: 'Cannot send messages to this user', code: 50007 } };
    }
    if (channel.archived) return { status: 400, body: { message: 'Thread is archived', code: 50083 } };
    const content = String(body['content'] ?? '');
    if (content.length > 2000) return { status: 400, body: { message: 'Invalid Form Body: content too long', code: 50035 } };
    if (content.trim() === '') return { status: 400, body: { message: 'Cannot send an empty message', code: 50006 } };
    const reference = (body['message_reference'] as { message_id?: string } | undefined)?.message_id;
    const posted = this.record({
      id: snowflake(),
      channelId,
      content,
      author: this.bot,
      via: 'bot',
      allowedMentions: body['allowed_mentions'],
      ...(reference ? { replyTo: reference } : {}),
    });
    const payload = messagePayload({ id: posted.id, channelId, guildId: channel.guildId, author: this.bot, content, ...(reference ? { reference } : {}) });
    this.gateway.dispatch('MESSAGE_CREATE', payload);
    return { status: 200, body: payload };
  }

  private callback(token: string, body: Record<string, unknown>): { status: number; body?: unknown } {
    const interaction = this.interactions.get(token);
    if (!interaction) return { status: 404, body: { message: 'Unknown interaction', code: 10062 } };
    const data = (body['data'] ?? {}) as Record<string, unknown>;
    const kind = body['type'] === 5 ? 'defer' : 'reply';
    interaction.responses.push({ kind, content: String(data['content'] ?? ''), ephemeral: (Number(data['flags'] ?? 0) & 64) !== 0 });
    return { status: 204 };
  }

  private webhookPost(id: string, token: string, body: Record<string, unknown>, r: Request): { status: number; body?: unknown } {
    const content = String(body['content'] ?? '');
    if (id === this.appId) {
      const interaction = this.interactions.get(token);
      if (!interaction) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
      const ephemeral = (Number(body['flags'] ?? 0) & 64) !== 0;
      interaction.responses.push({ kind: r.method === 'PATCH' ? 'edit' : 'followup', content, ephemeral: r.method === 'PATCH' ? (interaction.responses[0]?.ephemeral ?? false) : ephemeral });
      return { status: 200, body: messagePayload({ id: snowflake(), channelId: this.general.id, guildId: this.guildId, author: this.bot, content }) };
    }
    const hook = this.webhooks.get(id);
    if (!hook || hook.token !== token) return { status: 404, body: { message: 'Unknown Webhook', code: 10015 } };
    const username = String(body['username'] ?? 'ics-chat');
    if (/discord|clyde/i.test(username)) return { status: 400, body: { message: 'Invalid Form Body: username', code: 50035 } };
    if (content.length > 2000) return { status: 400, body: { message: 'Invalid Form Body: content too long', code: 50035 } };
    const channelId = r.query.get('thread_id') ?? hook.channelId;
    const author: FakeUser = { id: hook.id, username, global_name: null, bot: true };
    const posted = this.record({ id: snowflake(), channelId, content, author, via: 'webhook', username, allowedMentions: body['allowed_mentions'] });
    const payload = messagePayload({ id: posted.id, channelId, guildId: this.guildId, author, content, webhookId: hook.id });
    this.gateway.dispatch('MESSAGE_CREATE', payload);
    return { status: 200, body: payload };
  }
}
