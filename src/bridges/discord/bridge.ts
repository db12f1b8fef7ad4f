/**
 * The Discord front's logic, apart from the connection: which messages are commands (in a
 * bridged channel or a DM) and which are chat lines (in a group's thread, or a DM-following
 * member's DMs), the chat user behind each Discord user, the room mirroring each group, and
 * where every answer and push goes.
 */
import { MessageType, type ChatInputCommandInteraction, type Message } from 'discord.js';
import { RESTART_MSG } from '../../core/classic.js';
import { parseCommand, type Command, type InputMode } from '../../core/commands.js';
import type { SessionOpener } from '../../core/front.js';
import type { Logger } from '../../core/log.js';
import type { MemberInfo, ServerEvent } from '../../core/protocol.js';
import { GOODBYE, renderEvent } from '../../core/render.js';
import type { Transition } from '../../core/user-state.js';
import type { DiscordConfig } from '../../server/config.js';
import { helpText, REGISTER_ON_DISCORD, renderAnswer } from './answers.js';
import type { DiscordApi } from './api.js';
import { escapeInline, escapeMarkdown } from './format.js';
import { readableText, withExtras, type MentionNames } from './inbound.js';
import type { Lane, Outbox } from './outbox.js';
import { Pace, TOO_FAST } from './pace.js';
import { InteractionResponder, MessageResponder, type Responder } from './responders.js';
import { Room } from './room.js';
import { slashCommand } from './slash.js';
import { DiscordUser, type Home, type UserListener } from './user.js';

export interface BridgeDeps {
  hub: SessionOpener;
  api: DiscordApi;
  outbox: Outbox;
  log: Logger;
  config: DiscordConfig;
}

/** Where a message or interaction came from, as far as the bridge cares. */
type Origin =
  | { kind: 'channel'; home: Home }
  | { kind: 'dm' }
  | { kind: 'room'; room: Room };

export class Bridge implements UserListener {
  private readonly users = new Map<string, DiscordUser>();
  private readonly rooms = new Map<number, Room>();
  /** Thread id -> the room it mirrors. */
  private readonly threads = new Map<string, Room>();
  private readonly channels: ReadonlySet<string>;
  private readonly pace: Pace;

  constructor(private readonly deps: BridgeDeps) {
    this.channels = new Set(deps.config.channelIds);
    this.pace = new Pace(deps.config.flood);
  }

  /** Chat users online through Discord. */
  get online(): number {
    return this.users.size;
  }

  private origin(channelId: string, guildId: string | null): Origin | null {
    if (guildId === null) return { kind: 'dm' };
    const room = this.threads.get(channelId);
    if (room) return { kind: 'room', room };
    if (this.channels.has(channelId)) return { kind: 'channel', home: { kind: 'channel', channelId, guildId } };
    return null;
  }

  private user(id: string, handle: string): DiscordUser {
    let user = this.users.get(id);
    if (!user) {
      user = new DiscordUser(id, handle, this.deps.hub, this, this.deps.config.idleMs);
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
    const known = this.users.get(message.author.id);
    const mode = this.modeFor(origin, known, message.channelId);
    if (mode === null) return;
    let content = message.content;
    if (mode === 'command') content = content.replace(new RegExp(`^\\s*<@!?${botId}>\\s*`), '');
    const text = withExtras(readableText(content, this.names(message)), {
      attachments: [...message.attachments.values()].map((a) => ({ name: a.name, url: a.url })),
      stickers: [...message.stickers.values()].map((s) => s.name),
    });
    const command = parseCommand(text, mode);
    if (!this.worthAnswering(command, origin)) return;
    const user = this.user(message.author.id, message.author.username);
    if (origin.kind === 'channel') user.home = origin.home;
    if (origin.kind === 'dm') user.home = { kind: 'dm' };
    const lane = origin.kind === 'room' ? origin.room.placeOf(user)!.lane : this.channelLane(message.channelId);
    const responder = new MessageResponder(this.deps.api, lane, this.dmLane(user.id), message.channelId, message.id, user.id, origin.kind === 'dm');
    this.pace.run(user.id, () => this.execute(user, command, responder, mode), () => {
      const reply = this.pace.refusal(user.id);
      if (reply) responder.say(reply);
    });
  }

  private channelLane(channelId: string): Lane {
    return this.deps.outbox.lane(`channel:${channelId}`, (t) => () => this.deps.api.send(channelId, { content: t }).then(() => {}));
  }

  private dmLane(userId: string): Lane {
    return this.deps.outbox.lane(`dm:${userId}`, (t) => () => this.deps.api.sendDm(userId, { content: t }).then(() => {}));
  }

  /** Commands in channels and DMs; chat lines in the user's own group place; anything else is ignored. */
  private modeFor(origin: Origin, user: DiscordUser | undefined, channelId: string): InputMode | null {
    const place = user ? this.rooms.get(user.state.group ?? -1)?.placeOf(user) : null;
    if (origin.kind === 'room') return place?.channelId === channelId ? 'chat' : null;
    if (origin.kind === 'dm' && place && place.channelId === channelId) return 'chat';
    return 'command';
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
    const responder = new InteractionResponder(interaction, (err) => this.deps.log.warn('discord: could not answer a slash command', { command: interaction.commandName, err: String(err) }));
    const origin = this.origin(interaction.channelId, interaction.guildId);
    const command = slashCommand(interaction);
    if (!origin || !command) {
      const where = [...this.channels].map((id) => `<#${id}> and `).join('');
      responder.say(command ? `I only answer in ${where}DMs.` : 'I do not know that command.', true);
      return;
    }
    const user = this.user(interaction.user.id, interaction.user.username);
    if (origin.kind === 'channel') user.home = origin.home;
    if (origin.kind === 'dm') user.home = { kind: 'dm' };
    const run = (): void => {
      this.execute(user, command, responder, 'command');
      if (!responder.answered) responder.say('Done.', true);
    };
    this.pace.run(user.id, run, () => responder.say(TOO_FAST, true));
  }

  // ---- commands ----

  private execute(user: DiscordUser, command: Command, reply: Responder, mode: InputMode): void {
    if (command.kind === 'register' || (command.kind === 'send' && command.actions.some((a) => a.action === 'register'))) {
      // Never dispatched: a Discord user's name is bound to their account, and a password typed here is not private.
      return reply.whisper(REGISTER_ON_DISCORD);
    }
    if (command.kind === 'quit') {
      if (!user.online) return reply.say('You are not in the chat.', true);
      user.end('quit');
      return reply.say(GOODBYE);
    }
    const refusal = user.login();
    if (refusal) return reply.say(renderAnswer(refusal)?.text ?? 'You cannot log in right now.', true);
    switch (command.kind) {
      case 'help':
        return reply.say(helpText(), true);
      case 'usage':
        return reply.say(escapeMarkdown(command.msg), true);
      case 'unknown':
        return reply.say(`I do not know ${escapeInline(JSON.stringify(command.text.slice(0, 40)))}; type help for the menu.`, true);
      case 'send':
        return this.send(user, command.actions, reply, mode);
      default:
        return undefined;
    }
  }

  private send(user: DiscordUser, actions: Extract<Command, { kind: 'send' }>['actions'], reply: Responder, mode: InputMode): void {
    const group = user.state.group;
    const answers = user.run(actions);
    for (const event of answers) this.answer(user, event, actions, reply);
    if (answers.length > 0 || mode !== 'command') return;
    // What took effect without an answer: say so where the command was given.
    const action = actions.find((a) => a.action === 'disconnect' || a.action === 'topic' || a.action === 'kick');
    if (action?.action === 'disconnect') reply.say(group === null ? 'You are not in a group.' : `You left group ${group}.`, group === null);
    if (action?.action === 'topic' || action?.action === 'kick') reply.say(`Done (group ${group}).`);
  }

  private answer(user: DiscordUser, event: ServerEvent, actions: readonly { action: string; target?: string }[], reply: Responder): void {
    if (event.action === 'connect' && event.status === 'success') {
      const room = this.rooms.get(event.group ?? -1);
      const peer = escapeInline(event.peer ?? '');
      return reply.say(async () => {
        const thread = room ? await room.threadOf(user) : null;
        return thread ? `You are connected with ${peer} (group ${event.group}): chat in <#${thread}>.` : `You are connected with ${peer} (group ${event.group}): the group's lines come to you by DM.`;
      });
    }
    const asked = actions.find((a) => a.action === event.action)?.target;
    const answer = renderAnswer(event, asked);
    if (!answer) return;
    if (answer.private) reply.whisper(answer.text);
    else reply.say(answer.text, answer.failed);
  }

  // ---- the user's events ----

  private room(group: number, members: readonly MemberInfo[], name: string | undefined): Room {
    let room = this.rooms.get(group);
    if (!room) {
      room = new Room(group, members, {
        api: this.deps.api,
        outbox: this.deps.outbox,
        log: this.deps.log,
        dmLane: (id) => this.dmLane(id),
        threadOpened: (id, r) => this.threads.set(id, r),
        emptied: (r) => this.forget(r),
      }, name);
      this.rooms.set(group, room);
    }
    return room;
  }

  private forget(room: Room): void {
    if (this.rooms.get(room.group) === room) this.rooms.delete(room.group);
    for (const [id, r] of this.threads) if (r === room) this.threads.delete(id);
  }

  changed(user: DiscordUser, event: ServerEvent, transition: Transition): void {
    if (transition.kind === 'connected' && event.action === 'connect' && event.group !== undefined) {
      const room = this.room(event.group, event.members ?? [], event.room);
      room.membersNow(event.members ?? []);
      room.add(user, { how: 'connected', peer: transition.peer });
    }
  }

  pushed(user: DiscordUser, event: ServerEvent, transition: Transition): void {
    switch (event.action) {
      case 'exchange':
        return this.rooms.get(event.group)?.line(event);
      case 'connect': {
        if (event.status !== 'request') break;
        const room = this.room(event.group, event.members, event.room);
        room.membersNow(event.members);
        if (transition.kind === 'joined-by') room.add(user, { how: 'joined-by', peer: transition.peer });
        return;
      }
      case 'leave':
        return this.rooms.get(event.group)?.membersNow(event.members, renderEvent(event) ?? undefined);
      case 'disconnect':
        if (event.by !== undefined) return this.rooms.get(event.group)?.removed(user, event.msg);
        return this.rooms.get(event.group)?.dissolved(user);
      case 'topic':
        return this.rooms.get(event.group)?.topicChanged(event, renderEvent(event) ?? '');
      case 'invite': {
        // An invitation is personal: it goes by DM, wherever the user is.
        const text = renderAnswer(event)?.text;
        if (text) void this.dmLane(user.id).push(() => this.deps.api.sendDm(user.id, { content: text }).then(() => {}));
        return;
      }
      case 'presence':
        return;
      case 'restart':
        // Each place is told once, however many of its members heard it; nobody hears more after it.
        return this.rooms.get(user.state.group ?? -1)?.shutdown(event.message);
      default:
        break;
    }
    this.stray(user, event);
  }

  /** An answer that came outside any command (a line that could not be stored): to the user's group place, else by DM. */
  private stray(user: DiscordUser, event: ServerEvent): void {
    const text = renderAnswer(event)?.text;
    if (!text) return;
    const place = this.rooms.get(user.state.group ?? -1)?.placeOf(user);
    if (place) place.notice(`<@${user.id}> ${text}`, [user.id]);
    else void this.dmLane(user.id).push(() => this.deps.api.sendDm(user.id, { content: text }).then(() => {}));
  }

  left(user: DiscordUser, group: number): void {
    this.rooms.get(group)?.left(user);
  }

  gone(user: DiscordUser, why: 'quit' | 'idle' | 'stop'): void {
    if (this.users.get(user.id) === user) this.users.delete(user.id);
    this.deps.log.debug('discord user logged out', { user: user.id, why });
  }

  /** Ends every room (each place not told yet is told now) and every Discord user's session. */
  stop(): void {
    for (const room of [...this.rooms.values()]) room.shutdown(RESTART_MSG);
    this.rooms.clear();
    this.threads.clear();
    for (const user of [...this.users.values()]) user.end('stop');
  }
}
