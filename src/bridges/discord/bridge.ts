/**
 * The Discord front's input side, apart from the connection: which messages are commands (in
 * a bridged channel, or a DM that follows no conversation) and which are chat lines (in a
 * group's thread: to that group; in the DM: to the conversation it follows), the chat user
 * behind each Discord user, and where each command's answers go. A user's commands run one at
 * a time, in the order they came. What the users' events become on Discord is the Mirror's
 * (mirror.ts).
 */
import { MessageType, type ChatInputCommandInteraction, type Message } from 'discord.js';
import { parseCommand, type Command, type InputMode } from '../../core/commands.js';
import type { SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { ClientAction, ServerEvent } from '../../core/protocol.js';
import { GOODBYE } from '../../core/render.js';
import type { DiscordConfig } from '../../server/config.js';
import { aim } from './aim.js';
import { helpText, REGISTER_ON_DISCORD, renderAnswer, sentPrivately } from './answers.js';
import type { DiscordApi } from './api.js';
import { escapeInline, escapeMarkdown, splitMessage } from './format.js';
import { readableText, withExtras, type MentionNames } from './inbound.js';
import type { Lane, Outbox } from './outbox.js';
import { Pace, TOO_FAST } from './pace.js';
import { quoted, RecentLines, type SeenLine } from './recent.js';
import { Mirror } from './mirror.js';
import { DIRECT_TOLD, InteractionResponder, MessageResponder, type Responder } from './responders.js';
import type { Room } from './room.js';
import { slashCommand } from './slash.js';
import { DiscordUser, type Home, type Talk, type UserListener } from './user.js';

export interface BridgeDeps {
  hub: SessionOpener;
  api: DiscordApi;
  outbox: Outbox;
  log: Logger;
  config: DiscordConfig;
}

/** The longest answer posted where others read it (a sonnet fits; a long list of who is online does not). */
const PUBLIC_MAX = 1000;

/** How a command was given: where its answers go, how it was read, and whether in the DM with the bot. */
interface Asked {
  reply: Responder;
  mode: InputMode;
  inDm: boolean;
  /** The Discord message that gave it (none for a slash command). */
  messageId?: string;
}

/** Where a message or interaction came from, as far as the bridge cares. */
type Origin =
  | { kind: 'channel'; home: Home }
  | { kind: 'dm' }
  | { kind: 'room'; room: Room };

export class Bridge {
  private readonly users = new Map<string, DiscordUser>();
  private readonly mirror: Mirror;
  private readonly listener: UserListener;
  private readonly channels: ReadonlySet<string>;
  private readonly pace: Pace;
  private readonly recent = new RecentLines();

  constructor(private readonly deps: BridgeDeps) {
    this.channels = new Set(deps.config.channelIds);
    this.pace = new Pace(deps.config.flood);
    const mirror = new Mirror({ api: deps.api, outbox: deps.outbox, recent: this.recent, log: deps.log, dmLane: (id) => this.dmLane(id) });
    this.mirror = mirror;
    this.listener = {
      pushed: (user, event) => mirror.pushed(user, event),
      changed: (user, event, transition) => mirror.changed(user, event, transition),
      missed: (user, event) => mirror.missed(user, event),
      left: (user, group) => mirror.left(user, group),
      gone: (user, why) => this.gone(user, why),
    };
  }

  /** Chat users online through Discord. */
  get online(): number {
    return this.users.size;
  }

  private origin(channelId: string, guildId: string | null): Origin | null {
    if (guildId === null) return { kind: 'dm' };
    const room = this.mirror.roomOfThread(channelId);
    if (room) return { kind: 'room', room };
    if (this.channels.has(channelId)) return { kind: 'channel', home: { kind: 'channel', channelId, guildId } };
    return null;
  }

  /** The Discord user's chat user; `handle` (their display name) names them at their first login. */
  private user(id: string, handle: string): DiscordUser {
    let user = this.users.get(id);
    if (!user) {
      user = new DiscordUser(id, handle, this.deps.hub, this.listener, this.deps.config.idleMs);
      this.users.set(id, user);
    }
    if (!user.online) user.handle = handle;
    return user;
  }

  // ---- messages ----

  onMessage(message: Message, botId: string): void {
    if (message.author.bot || message.webhookId !== null || message.system) return;
    if (message.type !== MessageType.Default && message.type !== MessageType.Reply) return;
    const origin = this.origin(message.channelId, message.guildId);
    if (!origin) return;
    if (origin.kind === 'dm') this.deps.api.knowDm(message.author.id, message.channelId);
    const mode = this.modeFor(origin, this.users.get(message.author.id), message);
    if (mode === null) return;
    const command = this.read(message, mode, botId, this.users.get(message.author.id));
    const handle = message.member?.displayName ?? message.author.displayName;
    if (!this.worthAnswering(command, origin)) {
      // Chatting in a bridged channel makes the user someone others can connect to; nothing is answered.
      if (origin.kind === 'channel') this.present(message.author.id, handle, origin.home);
      return;
    }
    const user = this.user(message.author.id, handle);
    if (mode === 'chat') this.recent.remember(message.id, { name: user.name ?? handle, text: this.readable(message), author: user.id });
    const lane = origin.kind === 'room' ? origin.room.placeOf(user)!.lane : origin.kind === 'dm' ? this.dmLane(user.id) : this.channelLane(message.channelId);
    const responder = new MessageResponder(this.deps.api, lane, (text) => this.toDm(user.id, text), message.channelId, message.id, origin.kind === 'dm');
    const replied = this.replied(message);
    const run = async (): Promise<void> => {
      // A reply in the DM to a line of one of the conversations there answers that conversation.
      if (origin.kind === 'dm' && replied?.talk) user.talk = replied.talk;
      // The user's earlier commands may have changed what this message is (a group joined or left meanwhile).
      const now = this.modeFor(origin, user, message);
      if (now !== null) await this.execute(user, origin, now === mode ? command : this.read(message, now, botId, user), responder, now, message.id);
    };
    this.pace.run(user.id, () => this.serially(user, run), () => {
      const reply = this.pace.refusal(user.id);
      if (reply) responder.say(reply);
    });
  }

  /**
   * A Discord user edited or deleted a message that became a chat line (`text` null: deleted):
   * the line is changed in the chat too. Other updates (an embed added to a link) change nothing.
   */
  onRevised(messageId: string, text: string | null): void {
    const seen = this.recent.get(messageId);
    const user = seen?.author === undefined ? undefined : this.users.get(seen.author);
    const line = seen?.line;
    if (!seen || !line || !user?.online || seen.text === text) return;
    if (text !== null) seen.text = text;
    const action: ClientAction = text === null ? { action: 'delete', id: line.id, group: line.group } : { action: 'edit', id: line.id, message: text, group: line.group };
    this.serially(user, async () => {
      const [refused] = await user.run([action]);
      if (refused) this.deps.log.debug('discord: an edit was not carried over', { user: user.id, why: refused.action === 'error' ? refused.msg : refused.action });
    });
  }

  /** A message's text as other fronts read it: mentions, emoji, attachments and stickers made readable. */
  readable(message: Message, content = message.content): string {
    return withExtras(readableText(content, this.names(message)), {
      attachments: [...message.attachments.values()].map((a) => ({ name: a.name, url: a.url })),
      stickers: [...message.stickers.values()].map((s) => s.name),
    });
  }

  /** The message as typed text (mentions, emoji and attachments made readable), parsed for the mode (`bye #room` by the user's groups). */
  private read(message: Message, mode: InputMode, botId: string, user: DiscordUser | undefined): Command {
    const content = mode === 'command' ? message.content.replace(new RegExp(`^\\s*<@!?${botId}>\\s*`), '') : message.content;
    const text = this.readable(message, content);
    const command = parseCommand(text, mode, user?.state.lookup);
    const replied = mode === 'chat' ? this.replied(message) : undefined;
    if (!replied || command.kind !== 'send') return command;
    // A Discord reply: the line carries a short quote of what it answers.
    const actions = command.actions.map((a) => (a.action === 'exchange' || a.action === 'flip' ? { ...a, message: quoted(replied, a.message) } : a));
    return { kind: 'send', actions };
  }

  /** The line a message replies to, when it is one the bot has seen. */
  private replied(message: Message): SeenLine | undefined {
    const id = message.reference?.messageId;
    return id === undefined ? undefined : this.recent.get(id);
  }

  /** Discord shows a member of a bridged channel's guild online (they come online in the chat) or offline (they leave it, unless in a group). */
  onPresence(id: string, handle: string, online: boolean, home: Home): void {
    if (online) return this.present(id, handle, home);
    const user = this.users.get(id);
    if (user?.online && user.state.groups.size === 0) user.end('offline');
  }

  /** Logs a Discord user the bot has seen in a bridged channel in, so others can find them (they leave again when idle). */
  private present(id: string, handle: string, home: Home): void {
    const user = this.user(id, handle);
    if (user.online) return;
    user.home = home;
    this.serially(user, async () => {
      const refusal = await user.login();
      if (refusal) this.deps.log.debug('discord: a user seen in a channel could not log in', { user: id, why: refusal.action === 'login' ? refusal.status : refusal.action });
    });
  }

  /** Runs a user's command after their earlier ones; a failure is logged, never thrown at discord.js. */
  private serially(user: DiscordUser, job: () => Promise<void>): void {
    user.serial(job).catch((err: unknown) => this.deps.log.error('discord: running a command failed', { user: user.id, err: String(err) }));
  }

  private channelLane(channelId: string): Lane {
    return this.deps.outbox.lane(`channel:${channelId}`, (t) => () => this.deps.api.send(channelId, { content: t }).then(() => {}));
  }

  /** Posts `text` in the user's DM with the bot (split as needed); resolves whether every piece went out. */
  private async toDm(userId: string, text: string): Promise<boolean> {
    const lane = this.dmLane(userId);
    const sent = await Promise.all(splitMessage(text).map((content) => lane.push(() => this.deps.api.sendDm(userId, { content }).then(() => {}))));
    return sent.every(Boolean);
  }

  private dmLane(userId: string): Lane {
    return this.deps.outbox.lane(`dm:${userId}`, (t) => () => this.deps.api.sendDm(userId, { content: t }).then(() => {}));
  }

  /**
   * Commands in channels, and in a DM that follows no conversation; chat lines in the thread of
   * a group the user is in, and in a DM that follows one; anything else is ignored.
   */
  private modeFor(origin: Origin, user: DiscordUser | undefined, message: Message): InputMode | null {
    if (origin.kind === 'room') return user && origin.room.placeOf(user)?.channelId === message.channelId ? 'chat' : null;
    // In the DM, where every conversation meets, `m bob hi` writes to bob whatever the DM follows.
    if (origin.kind === 'dm' && user && user.talking && !/^\s*m\s+\S+\s+\S/i.test(message.content)) return 'chat';
    return 'command';
  }

  /** The conversation a command given there is about: the thread's group, or what the DM follows. */
  private talkOf(origin: Origin, user: DiscordUser): Talk | null {
    if (origin.kind === 'room') return origin.room.placeOf(user) ? { kind: 'group', group: origin.room.group } : null;
    if (origin.kind === 'dm' && user.talking) return user.talk;
    return null;
  }

  /** A public channel hears only commands; a DM gets told what went wrong. */
  private worthAnswering(command: Command, origin: Origin): boolean {
    if (command.kind === 'empty') return false;
    if (origin.kind === 'channel') return command.kind !== 'unknown' && command.kind !== 'usage';
    return true;
  }

  private names(message: Message): MentionNames {
    return {
      user: (id) => this.users.get(id)?.name ?? message.mentions.members?.get(id)?.displayName ?? message.mentions.users.get(id)?.displayName ?? null,
      role: (id) => message.guild?.roles.cache.get(id)?.name ?? null,
      channel: (id) => {
        const channel = message.client.channels.cache.get(id);
        return channel && 'name' in channel && typeof channel.name === 'string' ? channel.name : null;
      },
    };
  }

  // ---- slash commands ----

  onInteraction(interaction: ChatInputCommandInteraction): void {
    const responder = new InteractionResponder(interaction, (text) => this.toDm(interaction.user.id, text), (err) => this.deps.log.warn('discord: could not answer a slash command', { command: interaction.commandName, err: String(err) }));
    const origin = this.origin(interaction.channelId, interaction.guildId);
    const command = slashCommand(interaction, this.users.get(interaction.user.id)?.state.lookup ?? (() => undefined));
    if (!origin || !command) {
      const where = [...this.channels].map((id) => `<#${id}> and `).join('');
      responder.say(command ? `I only answer in ${where}DMs.` : 'I do not know that command.', true);
      return;
    }
    const user = this.user(interaction.user.id, interaction.inCachedGuild() ? interaction.member.displayName : interaction.user.displayName);
    const run = async (): Promise<void> => {
      await this.execute(user, origin, command, responder, 'command');
      if (!responder.answered) responder.say('Done.', true);
    };
    this.pace.run(user.id, () => this.serially(user, run), () => responder.say(TOO_FAST, true));
  }

  // ---- commands ----

  private async execute(user: DiscordUser, origin: Origin, typed: Command, reply: Responder, mode: InputMode, messageId?: string): Promise<void> {
    if (origin.kind === 'channel') user.home = origin.home;
    if (origin.kind === 'dm') user.home = { kind: 'dm' };
    if (typed.kind === 'register' || (typed.kind === 'send' && typed.actions.some((a) => a.action === 'register'))) {
      // Never dispatched: a Discord user's name is bound to their account, and a password typed here is not private.
      return reply.whisper(REGISTER_ON_DISCORD);
    }
    if (typed.kind === 'quit') {
      if (!user.online) return reply.say('You are not in the chat.', true);
      user.end('quit');
      return reply.say(GOODBYE);
    }
    const refusal = await user.login();
    if (refusal) return reply.say(renderAnswer(refusal)?.text ?? 'You cannot log in right now.', true);
    const talk = this.talkOf(origin, user);
    const command = talk ? aim(typed, talk, user.state.lookup) : typed;
    switch (command.kind) {
      case 'help':
        return reply.say(helpText(), true);
      case 'usage':
        return reply.say(escapeMarkdown(command.msg), true);
      case 'unknown':
        return reply.say(`I do not know ${escapeInline(JSON.stringify(command.text.slice(0, 40)))}; type help for the menu.`, true);
      case 'send':
        return this.send(user, command.actions, { reply, mode, inDm: origin.kind === 'dm', ...(messageId ? { messageId } : {}) });
      default:
        return undefined;
    }
  }

  private async send(user: DiscordUser, actions: readonly ClientAction[], asked: Asked): Promise<void> {
    const { reply, mode } = asked;
    const action = actions.find((a) => a.action === 'disconnect' || a.action === 'topic' || a.action === 'kick' || a.action === 'lock');
    const group = action && 'group' in action && action.group !== undefined ? action.group : user.state.group;
    const left = group === null ? undefined : user.state.groups.get(group);
    const answers = await user.run(actions);
    for (const event of answers) this.answer(user, event, actions, asked);
    if (answers.length > 0 || mode !== 'command') return;
    // What took effect without an answer: say so where the command was given.
    if (action?.action !== 'disconnect') {
      if (action) reply.say(`Done (group ${group}).`);
    } else if (group === null) {
      reply.say('You are not in a group.', true);
    } else {
      reply.say(left?.kind === 'direct' ? `You left your private conversation with ${escapeInline(left.label)}.` : `You left group ${group}.`);
    }
  }

  /** The Discord message became chat line `id` (its first, when it became several): its edit or deletion will name it. */
  private became(messageId: string | undefined, line: { id: number; group: number }): void {
    const seen = messageId === undefined ? undefined : this.recent.get(messageId);
    if (seen && !seen.line) seen.line = { id: line.id, group: line.group };
  }

  private answer(user: DiscordUser, event: ServerEvent, actions: readonly ClientAction[], { reply, mode, inDm, messageId }: Asked): void {
    if (event.action === 'said') return this.became(messageId, event);
    if (event.action === 'focus' && event.group !== null) {
      const title = escapeInline(event.title ?? '');
      if (!inDm) return reply.say(`${title} is now your current group: bye here leaves it.`);
      this.mirror.followInDm(user, event);
      return reply.say(`Your plain lines here now go to ${title}.`);
    }
    if (event.action === 'direct') {
      this.became(messageId, event);
      this.mirror.directSent(user, event);
      // A plain line in the DM shows there as typed; `m` given anywhere leaves a copy in the DM, where the answers come.
      if (mode === 'chat') return;
      const sent = actions.find((a) => a.action === 'direct');
      return reply.whisper(sentPrivately(event.target, sent?.message ?? ''), DIRECT_TOLD);
    }
    if (event.action === 'connect' && event.status === 'success') {
      const room: Room | undefined = this.mirror.roomOf(event.group ?? -1);
      const peer = escapeInline(event.peer ?? '');
      return reply.say(async () => {
        const thread = room ? await room.threadOf(user) : null;
        return thread ? `You are connected with ${peer} (group ${event.group}): chat in <#${thread}>.` : `You are connected with ${peer} (group ${event.group}): the group's lines come to you by DM.`;
      });
    }
    const asked = actions.find((a) => a.action === event.action && 'target' in a);
    const target = asked && 'target' in asked ? asked.target : undefined;
    const answer = renderAnswer(event, target);
    if (!answer) return;
    // A public answer stays short: anything longer goes to the asker alone, like a search.
    if (answer.private || answer.text.length > PUBLIC_MAX) reply.whisper(answer.text);
    else reply.say(answer.text, answer.failed);
  }

  private gone(user: DiscordUser, why: 'quit' | 'idle' | 'offline' | 'stop'): void {
    this.mirror.drop(user);
    if (this.users.get(user.id) === user) this.users.delete(user.id);
    this.deps.log.debug('discord user logged out', { user: user.id, why });
  }

  /** Ends every room (each place not told yet is told now) and every Discord user's session. */
  stop(): void {
    this.mirror.stop();
    for (const user of [...this.users.values()]) user.end('stop');
  }
}
