/**
 * The Discord front: a discord.js bot whose users are chat users of the hub. This module owns
 * the connection: it logs in (in the background, so the other fronts never wait for Discord),
 * registers the slash commands, holds every post while the gateway is down and releases them
 * in order once it resumes, and after a failure it cannot recover from (a bad token, a
 * refused intent, no route to Discord) logs one line with the fix and tries again with backoff.
 * When Discord refuses the Message Content intent, the bot runs without it meanwhile (slash
 * commands, DMs and @mentions still work) and checks again with backoff for the switch.
 */
import { Client, Events, GatewayIntentBits, Options, Partials, type ClientEvents, type ClientOptions, type Presence } from 'discord.js';
import type { Front, FrontState, SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { DiscordConfig } from '../../server/config.js';
import { DiscordApi } from './api.js';
import { Bridge } from './bridge.js';
import type { Home } from './user.js';
import { explainClose, explainLoginFailure, type Failure, type FailureKind } from './explain.js';
import { Outbox } from './outbox.js';
import { SLASH_COMMANDS } from './slash.js';

const DEFAULT_API = 'https://discord.com/api';
/** How long a login may take before it counts as failed (discord.js itself retries a gateway it cannot reach). */
const LOGIN_TIMEOUT_MS = 30_000;
const RETRY_FIRST_MS = 1000;
const RETRY_MAX_MS = 5 * 60_000;
/** How long a stopping front waits for queued posts to go out. */
const STOP_GRACE_MS = 3000;

function backoff(attempt: number): number {
  const base = Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** attempt);
  return Math.round(base * (0.8 + Math.random() * 0.4));
}

export class DiscordFront implements Front {
  readonly name = 'discord';
  private current: FrontState = 'stopped';
  private client: Client | null = null;
  private stopped = false;
  private attempt = 0;
  private lastFailure: FailureKind | null = null;
  private retryTimer: NodeJS.Timeout | null = null;
  /** Whether to ask for the Message Content intent (false while Discord refuses it). */
  private messageContent = true;
  private readonly outbox: Outbox;
  private readonly api: DiscordApi;
  private readonly bridge: Bridge;

  constructor(
    hub: SessionOpener,
    private readonly config: DiscordConfig,
    private readonly log: Logger,
  ) {
    this.outbox = new Outbox(log);
    this.api = new DiscordApi(
      () => {
        if (!this.client) throw new Error('not connected to Discord');
        return this.client.rest;
      },
      () => this.client?.application?.id ?? null,
      log,
    );
    this.bridge = new Bridge({ hub, api: this.api, outbox: this.outbox, log, config });
  }

  state(): FrontState {
    return this.current;
  }

  /** Chat users online through Discord. */
  users(): number {
    return this.bridge.online;
  }

  /** Posts waiting to go out (while the gateway is down, or Discord is slow). */
  queued(): number {
    return this.outbox.pending();
  }

  start(): Promise<void> {
    this.stopped = false;
    this.current = 'starting';
    this.connect(this.config);
    return Promise.resolve();
  }

  private get api_base(): string {
    return this.config.apiBase ?? DEFAULT_API;
  }

  private makeClient(config: DiscordConfig): Client {
    const intents = [GatewayIntentBits.Guilds, GatewayIntentBits.GuildMessages, GatewayIntentBits.DirectMessages];
    // The privileged intents, asked for together and dropped together while Discord refuses them.
    if (this.messageContent) intents.push(GatewayIntentBits.MessageContent);
    if (this.messageContent && config.presence) intents.push(GatewayIntentBits.GuildPresences);
    const options: ClientOptions = {
      intents,
      // Message: edits and deletions of messages the bot keeps no copy of still arrive.
      partials: [Partials.Channel, Partials.Message],
      allowedMentions: { parse: [] },
      makeCache: Options.cacheWithLimits({ ...Options.DefaultMakeCacheSettings, MessageManager: 0 }),
      ...(config.apiBase
        ? {
            rest: { api: config.apiBase },
            // A fake Discord has no identify limit; real Discord needs the default throttle.
            ws: { buildIdentifyThrottler: () => ({ waitForIdentify: async () => {} }) },
          }
        : {}),
    };
    const client = new Client(options);
    // A client this front has let go of (destroyed, or replaced) says nothing more.
    const on = <K extends keyof ClientEvents>(event: K, listener: (...args: ClientEvents[K]) => void): void => {
      client.on(event, (...args) => {
        if (this.client === client) listener(...args);
      });
    };
    on(Events.ClientReady, (ready) => this.ready(ready, config));
    on(Events.MessageCreate, (message) => this.guarded('a message', message.channelId, () => this.bridge.onMessage(message, client.user?.id ?? '')));
    on(Events.MessageUpdate, (_old, updated) => {
      if (updated.partial || updated.author.bot || updated.webhookId !== null) return;
      this.guarded('an edit', updated.channelId, () => this.bridge.onRevised(updated.id, this.bridge.readable(updated)));
    });
    on(Events.PresenceUpdate, (_old, presence) => this.presence(client, presence));
    on(Events.MessageDelete, (deleted) => this.guarded('a deletion', deleted.channelId, () => this.bridge.onRevised(deleted.id, null)));
    on(Events.InteractionCreate, (interaction) => {
      if (!interaction.isChatInputCommand()) return;
      try {
        this.bridge.onInteraction(interaction);
      } catch (err) {
        this.log.error('discord: handling a slash command failed', { command: interaction.commandName, err: String(err) });
      }
    });
    on(Events.ShardReconnecting, () => this.down());
    on(Events.ShardResume, () => this.up('resumed'));
    on(Events.ShardReady, () => {
      if (this.current === 'retrying') this.up('reconnected');
    });
    on(Events.ShardDisconnect, (event) => this.failed(client, explainClose(event.code)));
    on(Events.Error, (err) => this.log.error('discord client error', { err: String(err) }));
    return client;
  }

  /** Runs a handler of Discord input; a failure is logged, never thrown at discord.js. */
  private guarded(what: string, channel: string, handle: () => void): void {
    try {
      handle();
    } catch (err) {
      this.log.error(`discord: handling ${what} failed`, { channel, err: String(err) });
    }
  }

  /** Discord shows a member online or offline: so are they in the chat, when their guild has a bridged channel. */
  private presence(client: Client, presence: Presence): void {
    const user = presence.user;
    const home = this.homeIn(client, presence.guild?.id ?? null);
    if (!user || user.bot || !home) return;
    const handle = presence.member?.displayName ?? user.displayName;
    this.guarded('a presence', home.channelId, () => this.bridge.onPresence(user.id, handle, presence.status !== 'offline', home));
  }

  /** The first bridged channel of a guild: where a group started by someone else opens its thread for a member seen there. */
  private homeIn(client: Client, guildId: string | null): Extract<Home, { kind: 'channel' }> | null {
    for (const channelId of this.config.channelIds) {
      const channel = client.channels.cache.get(channelId);
      if (channel && 'guildId' in channel && channel.guildId === guildId) return { kind: 'channel', channelId, guildId };
    }
    return null;
  }

  private connect(config: DiscordConfig): void {
    if (this.stopped) return;
    const client = this.makeClient(config);
    this.client = client;
    let timer: NodeJS.Timeout | null = null;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`the Discord gateway did not answer within ${LOGIN_TIMEOUT_MS / 1000} s (timed out)`)), LOGIN_TIMEOUT_MS);
    });
    Promise.race([client.login(config.token), timeout]).then(
      () => clearTimeout(timer!),
      (err: unknown) => {
        clearTimeout(timer!);
        this.failed(client, explainLoginFailure(err, this.api_base));
      },
    );
  }

  /** The client cannot go on: say why (once per kind of failure), drop it, try again later. */
  private failed(client: Client, failure: Failure): void {
    if (this.client !== client) return;
    this.client = null;
    this.outbox.setOpen(false);
    void client.destroy().catch(() => {});
    if (this.stopped) return;
    const config = this.config!;
    const delay = backoff(this.attempt++);
    const degrade = failure.kind === 'intents' && this.messageContent;
    const then = degrade
      ? `; meanwhile slash commands, DMs and @mentions of the bot still work (checking again in ${Math.round(delay / 1000)} s)`
      : `; retrying in ${Math.round(delay / 1000)} s`;
    if (failure.kind !== this.lastFailure) this.log.error(`discord: ${failure.line}${then}`);
    else this.log.debug(`discord: ${failure.line}${then}`);
    this.lastFailure = failure.kind;
    this.current = 'retrying';
    if (degrade) {
      this.messageContent = false;
      this.connect(config);
    }
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.messageContent = true;
      this.replace(config);
    }, delay);
  }

  /** Drops the current client (a degraded one, when checking for the intent again) and connects anew. */
  private replace(config: DiscordConfig): void {
    const old = this.client;
    this.client = null;
    this.current = 'retrying';
    this.outbox.setOpen(false);
    void old?.destroy().catch(() => {});
    this.connect(config);
  }

  private ready(client: Client<true>, config: DiscordConfig): void {
    if (this.messageContent) {
      this.attempt = 0;
      this.lastFailure = null;
    }
    this.up('connected');
    if (config.presence && this.messageContent) {
      for (const guild of client.guilds.cache.values()) for (const presence of guild.presences.cache.values()) this.presence(client, presence);
    }
    const missing = config.channelIds.filter((id) => !client.channels.cache.get(id)?.isTextBased());
    const how = this.messageContent ? '' : ' without the Message Content intent (typed commands in channels and chat in threads wait for it)';
    this.log.info(`discord front connected as ${client.user.tag}${how}`, { channels: config.channelIds.length - missing.length, guild: config.guildId ?? 'global commands' });
    if (config.channelIds.length === 0) this.log.warn('discord: DISCORD_CHANNEL_IDS is empty, so the bot answers only in DMs; list the channels it should serve');
    for (const id of missing) {
      this.log.warn(`discord: DISCORD_CHANNEL_IDS names ${id}, which the bot cannot see as a text channel: invite the bot to that server and let it View Channel there, or fix the id`);
    }
    if (config.applicationId && config.applicationId !== client.application.id) {
      this.log.error(`discord: DISCORD_APPLICATION_ID is ${config.applicationId} but the token belongs to application ${client.application.id}; fix .env`);
    }
    (config.guildId ? client.application.commands.set([...SLASH_COMMANDS], config.guildId) : client.application.commands.set([...SLASH_COMMANDS])).then(
      (set) => this.log.info(`discord: registered ${set.size} slash commands ${config.guildId ? `in guild ${config.guildId}` : 'globally (they can take a while to appear)'}`),
      (err: unknown) =>
        this.log.error(`discord: cannot register the slash commands (${String(err)}): invite the bot with the applications.commands scope${config.guildId ? ' to the guild in DISCORD_GUILD_ID' : ''}`),
    );
  }

  private down(): void {
    if (this.current !== 'connected') return;
    this.current = 'retrying';
    this.outbox.setOpen(false);
    this.log.warn('discord: lost the gateway connection; resuming (posts for Discord users wait meanwhile)');
  }

  private up(how: 'connected' | 'resumed' | 'reconnected'): void {
    const waiting = this.outbox.pending();
    this.current = 'connected';
    this.outbox.setOpen(true);
    if (how !== 'connected') this.log.info(`discord: gateway ${how}`, { queued: waiting });
  }

  /** No more reconnecting; the users here stay until `stop`. */
  stopAccepting(): void {
    this.stopped = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
  }

  async stop(): Promise<void> {
    this.stopAccepting();
    this.bridge.stop();
    await this.outbox.drained(STOP_GRACE_MS);
    this.outbox.clear();
    const client = this.client;
    this.client = null;
    this.outbox.setOpen(false);
    await client?.destroy();
    this.current = 'stopped';
  }
}
