/**
 * The few Discord REST calls the front makes, over discord.js's REST client. Every post
 * sets allowed_mentions, so nothing relayed can ping; only the bot's own notices name
 * the users they may ping.
 */
import { ChannelType, DiscordAPIError, Routes, ThreadAutoArchiveDuration, type REST } from 'discord.js';
import type { Logger } from '../../core/log.js';

export interface Post {
  content: string;
  /** The message this answers (shown as a reply, without pinging its author). */
  replyTo?: string;
  /** Users this post may ping (the bot's own notices only). */
  ping?: readonly string[];
}

export interface Webhook {
  id: string;
  token: string;
}

interface MessageData {
  id: string;
}

interface ThreadData {
  id: string;
  name: string;
  parent_id?: string | null;
  owner_id?: string;
}

const WEBHOOK_NAME = 'ics-chat';

export class DiscordApi {
  /** DM channel ids by user id (a request in flight is shared). */
  private readonly dms = new Map<string, Promise<string>>();
  private readonly webhooks = new Map<string, Promise<Webhook | null>>();

  constructor(
    private readonly rest: () => REST,
    private readonly applicationId: () => string | null,
    private readonly log: Logger,
  ) {}

  async send(channelId: string, post: Post): Promise<string> {
    const body = {
      content: post.content,
      allowed_mentions: { parse: [], users: post.ping ?? [], replied_user: false },
      ...(post.replyTo ? { message_reference: { message_id: post.replyTo, fail_if_not_exists: false } } : {}),
    };
    const message = (await this.rest().post(Routes.channelMessages(channelId), { body })) as MessageData;
    return message.id;
  }

  /** Remembers a user's DM channel seen on an incoming DM. */
  knowDm(userId: string, channelId: string): void {
    this.dms.set(userId, Promise.resolve(channelId));
  }

  dmChannel(userId: string): Promise<string> {
    let channel = this.dms.get(userId);
    if (!channel) {
      channel = (async () => ((await this.rest().post(Routes.userChannels(), { body: { recipient_id: userId } })) as { id: string }).id)();
      this.dms.set(userId, channel);
      channel.catch(() => this.dms.delete(userId));
    }
    return channel;
  }

  async sendDm(userId: string, post: Post): Promise<string> {
    return this.send(await this.dmChannel(userId), post);
  }

  /** A private thread under a text channel; only the members it is given can see it. */
  async createThread(channelId: string, name: string): Promise<string> {
    const body = { name, type: ChannelType.PrivateThread, invitable: false, auto_archive_duration: ThreadAutoArchiveDuration.OneWeek };
    const thread = (await this.rest().post(Routes.threads(channelId), { body })) as { id: string };
    return thread.id;
  }

  /** The bot's thread named `name` (any case) under a channel, active or archived, if any. */
  async findThread(parentId: string, guildId: string, name: string): Promise<string | null> {
    const wanted = name.toLowerCase();
    const active = (await this.rest().get(Routes.guildActiveThreads(guildId))) as { threads: ThreadData[] };
    const archived = (await this.rest().get(Routes.channelJoinedArchivedThreads(parentId))) as { threads: ThreadData[] };
    const mine = (t: ThreadData): boolean => t.parent_id === parentId && t.owner_id === this.applicationId() && t.name.toLowerCase() === wanted;
    return (active.threads.find(mine) ?? archived.threads.find(mine))?.id ?? null;
  }

  async addToThread(threadId: string, userId: string): Promise<void> {
    await this.rest().put(Routes.threadMembers(threadId, userId));
  }

  async removeFromThread(threadId: string, userId: string): Promise<void> {
    await this.rest().delete(Routes.threadMembers(threadId, userId));
  }

  /** Opens an archived thread again under `name` (it fails when the thread is gone). */
  async reopenThread(threadId: string, name: string): Promise<void> {
    await this.rest().patch(Routes.channel(threadId), { body: { archived: false, name } });
  }

  async renameThread(threadId: string, name: string): Promise<void> {
    await this.rest().patch(Routes.channel(threadId), { body: { name } });
  }

  async archive(threadId: string): Promise<void> {
    await this.rest().patch(Routes.channel(threadId), { body: { archived: true } });
  }

  /**
   * The channel's webhook for relayed names, made on first use; null when the bot may not
   * manage webhooks there (relayed lines then carry a bold name prefix instead).
   */
  webhook(channelId: string): Promise<Webhook | null> {
    let hook = this.webhooks.get(channelId);
    if (!hook) {
      hook = this.findOrCreateWebhook(channelId);
      this.webhooks.set(channelId, hook);
      hook.catch(() => this.webhooks.delete(channelId));
    }
    return hook;
  }

  private async findOrCreateWebhook(channelId: string): Promise<Webhook | null> {
    try {
      const hooks = (await this.rest().get(Routes.channelWebhooks(channelId))) as { id: string; token?: string; application_id?: string | null }[];
      const own = hooks.find((h) => h.token && h.application_id === this.applicationId());
      if (own) return { id: own.id, token: own.token! };
      const made = (await this.rest().post(Routes.channelWebhooks(channelId), { body: { name: WEBHOOK_NAME } })) as { id: string; token: string };
      return { id: made.id, token: made.token };
    } catch (err) {
      if (err instanceof DiscordAPIError && err.status === 403) {
        this.log.warn(`discord: no Manage Webhooks permission in channel ${channelId}; relayed lines show a bold [name] prefix instead of the sender's name`);
        return null;
      }
      throw err;
    }
  }

  async sendAsWebhook(hook: Webhook, threadId: string, username: string, content: string): Promise<string> {
    const body = { content, username, allowed_mentions: { parse: [] } };
    const query = new URLSearchParams({ wait: 'true', thread_id: threadId });
    const message = (await this.rest().post(Routes.webhook(hook.id, hook.token), { body, query, auth: false })) as MessageData;
    return message.id;
  }
}
