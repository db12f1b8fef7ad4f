/**
 * The Discord objects the fake sends, with the fields discord.js needs (see the project's
 * notes on running discord.js against a fake: a missing `guilds`, `members[].user`,
 * `entitlements` or `channel` object makes it crash or drop the event silently).
 */

let nextId = 0n;

/** A fresh snowflake-shaped id (18 digits, increasing). */
export function snowflake(): string {
  nextId++;
  return String(100_000_000_000_000_000n + nextId);
}

export interface FakeUser {
  id: string;
  username: string;
  global_name: string | null;
  bot: boolean;
  /** The server nickname. */
  nick?: string | null;
  /** What Discord shows of them (sent only to a bot with the Presence intent); offline when unset. */
  status?: 'online' | 'idle' | 'dnd' | 'offline';
}

export function presenceObject(u: FakeUser, guildId: string): Record<string, unknown> {
  return { user: { id: u.id }, guild_id: guildId, status: u.status ?? 'offline', activities: [], client_status: u.status && u.status !== 'offline' ? { desktop: u.status } : {} };
}

export function userObject(u: FakeUser): Record<string, unknown> {
  return { id: u.id, username: u.username, discriminator: '0', global_name: u.global_name, avatar: null, bot: u.bot };
}

export function memberObject(user?: FakeUser, roles: string[] = []): Record<string, unknown> {
  return { roles, joined_at: '2024-01-01T00:00:00.000Z', deaf: false, mute: false, flags: 0, nick: user?.nick ?? null };
}

export interface FakeChannel {
  id: string;
  name: string;
  type: number;
  guildId: string | null;
  parentId: string | null;
  archived: boolean;
  members: Set<string>;
}

export function channelObject(c: FakeChannel, ownerId: string): Record<string, unknown> {
  const base: Record<string, unknown> = { id: c.id, type: c.type, name: c.name, position: 0, permission_overwrites: [], flags: 0, rate_limit_per_user: 0 };
  if (c.guildId) base['guild_id'] = c.guildId;
  if (c.parentId) {
    base['parent_id'] = c.parentId;
    base['owner_id'] = ownerId;
    base['member_count'] = c.members.size;
    base['message_count'] = 0;
    base['total_message_sent'] = 0;
    base['thread_metadata'] = {
      archived: c.archived,
      auto_archive_duration: 10080,
      archive_timestamp: new Date().toISOString(),
      locked: false,
      invitable: false,
    };
  }
  return base;
}

export function readyPayload(bot: FakeUser, appId: string, guildId: string, sessionId: string, gatewayUrl: string): Record<string, unknown> {
  return {
    v: 10,
    user: { ...userObject(bot), verified: true, mfa_enabled: false, flags: 0 },
    guilds: [{ id: guildId, unavailable: true }],
    session_id: sessionId,
    resume_gateway_url: gatewayUrl,
    shard: [0, 1],
    application: { id: appId, flags: 0 },
  };
}

export function guildPayload(
  guildId: string,
  bot: FakeUser,
  channels: FakeChannel[],
  members: FakeUser[],
  roles: { id: string; name: string }[],
  /** The bot has the Presence intent: online members' presences come along. */
  presences = false,
): Record<string, unknown> {
  return {
    id: guildId,
    name: 'Fake Guild',
    unavailable: false,
    owner_id: bot.id,
    joined_at: '2024-01-01T00:00:00.000Z',
    member_count: members.length,
    large: false,
    roles: roles.map((r, i) => ({ id: r.id, name: r.name, permissions: '1071698660928', position: i, color: 0, hoist: false, managed: false, mentionable: true, flags: 0 })),
    channels: channels.filter((c) => !c.parentId).map((c) => channelObject(c, bot.id)),
    // Active threads the bot can see, as real Discord sends them (discord.js drops messages in uncached channels).
    threads: channels.filter((c) => c.parentId && !c.archived).map((c) => channelObject(c, bot.id)),
    members: members.map((u) => ({ ...memberObject(u), user: userObject(u) })),
    emojis: [],
    stickers: [],
    // Online members only, as Discord sends them.
    presences: presences ? members.filter((u) => u.status && u.status !== 'offline').map((u) => presenceObject(u, guildId)) : [],
    voice_states: [],
    features: [],
  };
}

export interface MessageFields {
  id: string;
  channelId: string;
  guildId: string | null;
  author: FakeUser;
  content: string;
  webhookId?: string;
  mentions?: FakeUser[];
  attachments?: { id: string; filename: string; url: string }[];
  stickers?: { id: string; name: string }[];
  reference?: string;
}

export function messagePayload(m: MessageFields): Record<string, unknown> {
  return {
    id: m.id,
    channel_id: m.channelId,
    // Real Discord marks DM events with channel_type 1; discord.js needs it to build the DM channel.
    ...(m.guildId ? { guild_id: m.guildId, member: memberObject(m.author) } : { channel_type: 1 }),
    author: userObject(m.author),
    content: m.content,
    timestamp: new Date().toISOString(),
    edited_timestamp: null,
    tts: false,
    mention_everyone: false,
    mentions: (m.mentions ?? []).map(userObject),
    mention_roles: [],
    attachments: (m.attachments ?? []).map((a) => ({ id: a.id, filename: a.filename, url: a.url, proxy_url: a.url, size: 1, content_type: 'image/png' })),
    sticker_items: (m.stickers ?? []).map((s) => ({ id: s.id, name: s.name, format_type: 1 })),
    embeds: [],
    components: [],
    pinned: false,
    type: m.reference ? 19 : 0,
    flags: 0,
    ...(m.webhookId ? { webhook_id: m.webhookId } : {}),
    ...(m.reference ? { message_reference: { message_id: m.reference, channel_id: m.channelId } } : {}),
  };
}

export interface InteractionFields {
  id: string;
  token: string;
  appId: string;
  user: FakeUser;
  channel: FakeChannel;
  name: string;
  options: { name: string; type: number; value: string | number }[];
}

export function interactionPayload(i: InteractionFields): Record<string, unknown> {
  const inGuild = i.channel.guildId !== null;
  return {
    id: i.id,
    application_id: i.appId,
    type: 2,
    data: { id: snowflake(), name: i.name, type: 1, options: i.options, ...(inGuild ? { guild_id: i.channel.guildId } : {}) },
    ...(inGuild
      ? { guild_id: i.channel.guildId, member: { ...memberObject(i.user), user: userObject(i.user), permissions: '2199023255551' } }
      : { user: userObject(i.user) }),
    channel: channelObject(i.channel, i.appId),
    channel_id: i.channel.id,
    token: i.token,
    version: 1,
    app_permissions: '2199023255551',
    locale: 'en-US',
    guild_locale: 'en-US',
    entitlements: [],
    authorizing_integration_owners: inGuild ? { '0': i.channel.guildId } : { '1': i.user.id },
    context: inGuild ? 0 : 1,
  };
}
