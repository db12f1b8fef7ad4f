/**
 * Hub events as IRC traffic for one client: each group the user is in is mirrored as a channel
 * of its own (`#group-N` for an ad-hoc group, the room's own name for a room). Joining shows
 * JOIN, the topic and NAMES; other members' lines arrive as PRIVMSG to their group's channel
 * from `nick!user@front` (ident.ts); comings and goings as JOIN, PART, QUIT and KICK; mode
 * changes (a lock, a key, roles, bans) as one MODE line each; a new name as NICK; a line the hub
 * refused as 404 in its channel; with `away-notify` and `invite-notify`, AWAY and INVITE of others.
 * A direct conversation is never a channel: its lines arrive as PRIVMSG to the user from the
 * other person, which clients show in a query window. Text from other fronts passes through
 * `safeLines`. A client's own lines come back from the hub once stored; it sees them only with
 * `echo-message`, tagged (`server-time`, `msgid`) as everyone else's.
 */
import { ALONE_MSG } from '../../core/classic.js';
import { membersAfter } from '../../core/member-list.js';
import type { MemberInfo, ServerEvent } from '../../core/protocol.js';
import { channelName, defaultTopic, membersByName, type ChannelView, type NamesView } from './channel-view.js';
import { chatLines, serialize, type LineEvent } from './chat-lines.js';
import { withTags } from './message.js';
import { ERR, RPL } from './numerics.js';
import { LineTag } from './line-tags.js';
import type { ReplyBuffer } from './reply-buffer.js';
import { modeParams, prefixOf, rolesOf, type Roles } from './roles.js';

/** What the mirror needs to know of its client. */
export interface Viewer {
  /** Null only before registration, when there is no channel to mirror. */
  readonly nick: string | null;
  readonly serverName: string;
  /** Who set a topic nobody set (the service, `ics!ics@server`). */
  readonly serviceMask: string;
  /** The client asked for `multi-prefix`: NAMES shows every role of a member. */
  readonly multiPrefix: boolean;
  /** The tags a chat line carries for this client (LineTag bits). */
  readonly lineTags: number;
  /** `echo-message`: the client is shown its own lines. */
  readonly echo: boolean;
  /** `extended-join`: JOIN names the account and real name. */
  readonly extendedJoin: boolean;
  /** `userhost-in-names`: NAMES gives each member's whole mask. */
  readonly userhostInNames: boolean;
  /** `away-notify`: AWAY tells when someone sharing a channel goes away or comes back. */
  readonly awayNotify: boolean;
  /** `invite-notify`: INVITE tells when a member invites someone to a channel the user is in. */
  readonly inviteNotify: boolean;
  /** The account this client is logged in to, if any. */
  readonly account: string | null;
  /** The label of the labelled command the next echoed line answers, if any. */
  echoLabel(): string | undefined;
  now(): Date;
  /** Anyone's `nick!user@host` (the same for every client of the front). */
  maskOf(name: string, front: string): string;
  /** Anyone's realname (extended-join). */
  realnameOf(name: string, front: string): string;
}

/** The front users of this gateway show as (`nick!nick@irc`). */
export const IRC_HOST = 'irc';



type Joined = { group: number; room: string | undefined; members: MemberInfo[]; roles: Roles; secret: boolean; topic: string; topicBy?: string; locked: boolean };

/** What a mirror of no channels and no conversations reads: shared, never written. */
const NO_VIEWS: ReadonlyMap<number, ChannelView> = new Map();
const NO_PEERS: ReadonlyMap<number, string> = new Map();

export class ChannelMirror {
  /** The user's channels by group id, in the order joined; none (no map) while the user is in none. */
  private channelMap: Map<number, ChannelView> | null = null;
  /** Whom each direct conversation the user wrote in is with (where the user's own lines there go). */
  private wrote: Map<number, string> | null = null;

  constructor(
    private readonly me: Viewer,
    private readonly out: ReplyBuffer,
  ) {}

  private get views(): ReadonlyMap<number, ChannelView> {
    return this.channelMap ?? NO_VIEWS;
  }

  private get peers(): ReadonlyMap<number, string> {
    return this.wrote ?? NO_PEERS;
  }

  private get myNick(): string {
    return this.me.nick ?? '*';
  }

  private get myMask(): string {
    return this.me.maskOf(this.myNick, IRC_HOST);
  }

  private maskOf(m: MemberInfo): string {
    return this.me.maskOf(m.name, m.front);
  }

  private seconds(): number {
    return Math.floor(this.me.now().getTime() / 1000);
  }

  private frontOf(view: ChannelView, name: string): string {
    return view.byName.get(name)?.front ?? IRC_HOST;
  }

  /** The channels the user is in, in the order joined. */
  channels(): ChannelView[] {
    return [...this.views.values()];
  }

  /** The channel of group `id`, when the user is in it. */
  get(id: number): ChannelView | undefined {
    return this.views.get(id);
  }

  /** The user's channel that `name` names (its name in any case, or `#group-N`). */
  find(name: string): ChannelView | undefined {
    const lower = name.toLowerCase();
    const id = /^#group-(\d{1,9})$/.exec(lower);
    for (const view of this.views.values()) if (view.name.toLowerCase() === lower || (id !== null && Number(id[1]) === view.id)) return view;
    return undefined;
  }

  /** Mirrors one hub event; false when it is nothing the mirror shows (the caller may tell it in words). */
  apply(event: ServerEvent): boolean {
    switch (event.action) {
      case 'connect':
        if (event.kind === 'direct') return true;
        if (event.status === 'success' && event.group !== undefined) {
          this.enter({
            group: event.group,
            room: event.room,
            members: event.members ?? [],
            roles: rolesOf(event),
            secret: event.modes?.includes('s') === true,
            topic: event.topic ?? '',
            ...(event.topicBy === undefined ? {} : { topicBy: event.topicBy }),
            locked: event.locked === true,
          });
        } else if (event.status === 'request') this.joined(event);
        return true;
      case 'exchange':
        return this.line(event);
      case 'leave':
        this.left(event);
        return true;
      case 'disconnect':
        this.removed(event);
        return true;
      case 'topic': {
        const view = this.views.get(event.group);
        if (!view || event.by === undefined) return true;
        Object.assign(view, { topic: event.topic, topicBy: event.by, topicAt: this.seconds() });
        this.out.send({ source: this.maskOf({ name: event.by, front: this.frontOf(view, event.by) }), verb: 'TOPIC', params: [view.name, event.topic] });
        return true;
      }
      case 'lock': {
        const view = this.views.get(event.group);
        if (!view || view.locked === event.locked) return true;
        view.locked = event.locked;
        this.out.send({ source: this.maskOf({ name: event.by, front: this.frontOf(view, event.by) }), verb: 'MODE', params: [view.name, event.locked ? '+i' : '-i'] });
        return true;
      }
      case 'mode':
        if (event.status === 'changed') this.modes(event);
        return event.status === 'changed';
      case 'error': {
        // A chat line the hub refused (moderated, banned) is answered in its channel.
        const view = event.group === undefined ? undefined : this.views.get(event.group);
        if (view) this.out.numeric(ERR.CANNOTSENDTOCHAN, view.name, `Cannot send to channel: ${event.msg}`);
        return view !== undefined;
      }
      case 'invite':
        if (event.status === 'invited') {
          const view = this.views.get(event.group);
          if (view && this.me.inviteNotify) this.out.send({ source: this.maskOf({ name: event.from, front: event.front }), verb: 'INVITE', params: [event.target, view.name] });
          return true;
        }
        if (event.status !== 'request') return false;
        this.out.send({ source: this.maskOf({ name: event.from, front: event.front }), verb: 'INVITE', params: [this.myNick, channelName(event.group, event.room)] });
        return true;
      case 'signal': {
        const view = this.views.get(event.group);
        const own = event.name === this.me.nick;
        if (view && this.me.lineTags & LineTag.msgid && (!own || this.me.echo)) {
          this.out.send({ tags: event.tags, source: this.maskOf({ name: event.name, front: event.front }), verb: 'TAGMSG', params: [view.name] });
        }
        return true;
      }
      case 'focus':
        // Every group is a channel on IRC: the focus only decides what group-less /msg ics commands act on.
        return true;
      case 'rename':
        if (!('front' in event)) return false;
        this.out.send({ source: this.me.maskOf(event.old, event.front), verb: 'NICK', params: [event.name] });
        this.renamed(event.old, event.name);
        return true;
      case 'away':
        // Without `away-notify` shown only when asked (WHO, WHOIS, a private line's 301).
        if (!('name' in event)) return false;
        if (this.me.awayNotify) this.out.send({ source: this.maskOf(event), verb: 'AWAY', params: event.message === undefined ? [] : [event.message] });
        return true;
      default:
        return false;
    }
  }

  /** Mode changes (a lock, a key, roles, bans) as one MODE line from whoever made them. */
  private modes(event: Extract<ServerEvent, { action: 'mode'; status: 'changed' }>): void {
    const view = this.views.get(event.group);
    if (!view) return;
    for (const c of event.changes) {
      if (c.mode === 'i') view.locked = c.on;
      else if (c.mode === 's') view.secret = c.on;
      else if ((c.mode === 'o' || c.mode === 'v') && c.arg !== undefined) {
        const holders = c.mode === 'o' ? view.roles.ops : view.roles.voiced;
        if (c.on) holders.add(c.arg);
        else holders.delete(c.arg);
      }
    }
    this.out.send({ source: this.maskOf({ name: event.by, front: this.frontOf(view, event.by) }), verb: 'MODE', params: [view.name, ...modeParams(event.changes)] });
  }

  /** The user wrote to `peer` in direct conversation `group`. */
  wroteTo(group: number, peer: string): void {
    (this.wrote ??= new Map()).set(group, peer);
  }

  /** A line in a channel, or a private line (to this user from the other person, or with `echo-message` the user's own). */
  private line(event: LineEvent): boolean {
    const own = event.name === this.me.nick;
    if (own && !this.me.echo) return true;
    let text: string;
    if (event.direct) {
      const to = own ? this.peers.get(event.group) : this.myNick;
      if (to === undefined) return true;
      text = serialize(event, this.me.maskOf(event.name, event.front), to, this.me.lineTags);
    } else {
      const view = this.views.get(event.group);
      if (!view) return true;
      text = chatLines(event, this.me, view.name, this.me.lineTags);
    }
    const label = own ? this.me.echoLabel() : undefined;
    this.out.raw(label === undefined ? text : withTags(text, { label }));
    return true;
  }

  /**
   * Who joined, by the hub's notice, that this client did not know, now known. A large group's
   * notice names only the joiner; a small group's lists everyone, and usually the one new is the
   * joiner, found without a pass over the list; a list that differs otherwise (a change this
   * client missed) is compared whole.
   */
  private newMembers(view: ChannelView, members: readonly MemberInfo[] | undefined, from: string, front: string): MemberInfo[] {
    if ((members === undefined || members.length === view.byName.size + 1) && !view.byName.has(from)) {
      const joiner = { name: from, front };
      view.byName.set(from, joiner);
      return [joiner];
    }
    if (members === undefined) return [];
    const joiners = members.filter((m) => !view.byName.has(m.name));
    view.byName = membersByName(members);
    return joiners;
  }

  /** A JOIN of `who` (extended with account and real name for `extended-join`). */
  private joinLine(who: MemberInfo, channel: string, account: string | null): void {
    const params = this.me.extendedJoin ? [channel, account ?? '*', this.me.realnameOf(who.name, who.front)] : [channel];
    this.out.sendCommon({ source: this.maskOf(who), verb: 'JOIN', params });
  }

  private enter(g: Joined): void {
    if (this.views.has(g.group)) return;
    const view: ChannelView = {
      id: g.group,
      name: channelName(g.group, g.room),
      isRoom: g.room !== undefined,
      byName: membersByName(g.members),
      roles: g.roles,
      secret: g.secret,
      topic: g.topic,
      topicBy: g.topicBy ?? this.me.serviceMask,
      topicAt: this.seconds(),
      locked: g.locked,
    };
    (this.channelMap ??= new Map()).set(view.id, view);
    this.joinLine({ name: this.myNick, front: IRC_HOST }, view.name, this.me.account);
    this.topicReplies(view, true);
    this.channelNames(view);
  }

  private joined(event: Extract<ServerEvent, { action: 'connect'; status: 'request' }>): void {
    const view = this.views.get(event.group);
    if (!view) {
      // Someone connected to this user: clients open the channel without switching to it, so say where to chat.
      this.enter({ group: event.group, room: event.room, members: membersAfter(event, []), roles: rolesOf({}), secret: false, topic: '', locked: false });
      this.out.service(`${event.from} (${event.front}) connected with you: chat in ${channelName(event.group, event.room)}; bye or /part there leaves`);
      return;
    }
    const wasIn = view.byName.has(event.from);
    const joiners = this.newMembers(view, event.members, event.from, event.front);
    for (const m of joiners) this.joinLine(m, view.name, null);
    if (event.away !== undefined && this.me.awayNotify && !wasIn) this.out.send({ source: this.me.maskOf(event.from, event.front), verb: 'AWAY', params: [event.away] });
  }

  private left(event: Extract<ServerEvent, { action: 'leave' }>): void {
    const view = this.views.get(event.group);
    if (!view) return;
    const who = { name: event.name, front: this.frontOf(view, event.name) };
    const kicker = event.kickedBy === undefined ? undefined : { name: event.kickedBy, front: this.frontOf(view, event.kickedBy) };
    view.byName.delete(event.name);
    // A list that is not the one before less the leaver (a change this client missed) is taken whole.
    if (event.members !== undefined && view.byName.size !== event.members.length) view.byName = membersByName(event.members);
    view.roles.ops.delete(event.name);
    view.roles.voiced.delete(event.name);
    if (kicker) {
      this.out.sendCommon({ source: this.maskOf(kicker), verb: 'KICK', params: [view.name, event.name, event.reason ?? kicker.name] });
    } else if (event.quit) {
      // A QUIT names no channel and clients drop the user from every channel they share: it is
      // sent once, with the leave from the last shared channel.
      const elsewhere = this.channels().some((v) => v.byName.has(event.name));
      if (!elsewhere) this.out.sendCommon({ source: this.maskOf(who), verb: 'QUIT', params: [event.reason ?? 'left the chat'] });
    } else {
      this.out.sendCommon({ source: this.maskOf(who), verb: 'PART', params: event.reason ? [view.name, event.reason] : [view.name] });
    }
    // The room's new owner is its operator (the hub made them one).
    if (event.owner !== undefined && !view.roles.ops.has(event.owner)) {
      view.roles.ops.add(event.owner);
      this.out.send({ source: this.me.serverName, verb: 'MODE', params: [view.name, '+o', event.owner] });
    }
  }

  private removed(event: Extract<ServerEvent, { action: 'disconnect' }>): void {
    const view = this.views.get(event.group);
    if (!view) return;
    this.channelMap?.delete(view.id);
    if (event.by !== undefined) {
      const kicker = { name: event.by, front: this.frontOf(view, event.by) };
      this.out.send({ source: this.maskOf(kicker), verb: 'KICK', params: [view.name, this.myNick, event.reason ?? event.by] });
      return;
    }
    this.out.service(ALONE_MSG);
    this.out.send({ source: this.myMask, verb: 'PART', params: [view.name, ALONE_MSG] });
  }

  /** Someone (this user too) is now called `name`: every channel's members and roles follow. */
  renamed(old: string, name: string): void {
    for (const view of this.views.values()) {
      const was = view.byName.get(old);
      if (was) view.byName = new Map([...view.byName].map(([key, m]) => (key === old ? [name, { ...was, name }] : [key, m])));
      for (const holders of [view.roles.ops, view.roles.voiced]) {
        if (holders.delete(old)) holders.add(name);
      }
    }
  }

  /** After this user left group `id` themselves (the hub tells the leaver nothing). */
  selfPart(id: number, reason?: string): void {
    const view = this.views.get(id);
    if (!view) return;
    this.channelMap?.delete(id);
    this.out.send({ source: this.myMask, verb: 'PART', params: reason ? [view.name, reason] : [view.name] });
  }

  /** 332 and 333, or 331 when there is no topic (which a JOIN burst leaves out). */
  topicReplies(view: ChannelView, joining = false): void {
    const topic = view.topic || defaultTopic(view);
    if (topic === '') {
      if (!joining) this.out.numeric(RPL.NOTOPIC, view.name, 'No topic is set');
      return;
    }
    this.out.numeric(RPL.TOPIC, view.name, topic);
    this.out.numeric(RPL.TOPICWHOTIME, view.name, view.topic ? view.topicBy : this.me.serviceMask, String(view.topicAt));
  }

  /** NAMES of one of the user's channels, its members as this client knows them. */
  channelNames(view: ChannelView): void {
    this.namesReplies({ ...view, members: view.byName.values() });
  }

  /** 353 (split to fit) and 366; operators show as `@`, voiced members as `+`, a secret channel with `@`; whole masks for `userhost-in-names` where the front is known. */
  namesReplies(view: NamesView): void {
    const shown = (m: { name: string; front?: string }): string => (this.me.userhostInNames && m.front !== undefined ? this.maskOf({ name: m.name, front: m.front }) : m.name);
    const names = [...view.members].map((m) => prefixOf(view.roles, m.name, this.me.multiPrefix) + shown(m)).join(' ');
    if (names !== '') this.out.numeric(RPL.NAMREPLY, view.secret ? '@' : '=', view.name, names);
    this.out.numeric(RPL.ENDOFNAMES, view.name, 'End of /NAMES list');
  }
}
