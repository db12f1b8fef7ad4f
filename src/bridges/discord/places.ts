/**
 * The places a room posts in: a private thread shared by the group's Discord members under one
 * bridged channel, or one member's DMs. Each posts through its own lane, so what it shows keeps
 * the hub's order; a thread posts relayed lines through its channel's webhook under the
 * sender's name, or with a bold name prefix where no webhook is allowed. In a DM, where all of
 * a user's conversations meet, each line says whose it is: `[bob (tcp) → you]` for a direct
 * line, `[peter (tcp) in #lobby]` for a group's.
 */
import type { ServerEvent } from '../../core/protocol.js';
import type { DiscordApi } from './api.js';
import { escapeInline, escapeMarkdown, MESSAGE_LIMIT, privatePrefix, senderPrefix, splitMessage, visible, webhookName } from './format.js';
import type { Lane, Outbox } from './outbox.js';
import type { RecentLines } from './recent.js';
import type { DiscordUser } from './user.js';

export type Exchange = Extract<ServerEvent, { action: 'exchange' }>;

/** What a place shows of a line: who said what, in which group (a correction is shown the same way). */
export type Said = Pick<Exchange, 'name' | 'front' | 'message' | 'group'>;

export interface PlaceDeps {
  api: DiscordApi;
  outbox: Outbox;
  /** Lines posted, by message id (a reply to one quotes it). */
  recent: RecentLines;
  /** The lane for a user's DMs (shared with the answers to their commands, to keep one order). */
  dmLane(userId: string): Lane;
}

/** A place where the room posts: the shared thread or one member's DMs. */
export abstract class Place {
  readonly users = new Set<DiscordUser>();
  abstract readonly lane: Lane;
  /** The channel id, once known (null while a thread is being made or if that failed). */
  abstract get channelId(): string | null;
  /** Lines by these members are already visible here. */
  isNative(name: string): boolean {
    for (const u of this.users) if (u.name === name) return true;
    return false;
  }
  abstract line(event: Said): void;
  abstract notice(text: string, ping?: readonly string[]): void;
}

export class DmPlace extends Place {
  readonly lane: Lane;
  private id: string | null = null;

  constructor(
    private readonly deps: PlaceDeps,
    readonly user: DiscordUser,
    /** The group's label for a group's lines (`#lobby`), or null for a direct conversation's. */
    private readonly label: string | null,
  ) {
    super();
    this.lane = deps.dmLane(user.id);
    this.users.add(user);
    void deps.api.dmChannel(user.id).then((id) => (this.id = id), () => {});
  }

  get channelId(): string | null {
    return this.id;
  }

  line(event: Said): void {
    const prefix = this.label === null ? privatePrefix(event.name, event.front) : `**[${escapeInline(event.name)} (${event.front}) in ${escapeInline(this.label)}]** `;
    // A reply in the DM to any piece of the line answers its conversation.
    const seen = { name: event.name, text: event.message, talk: this.label === null ? ({ kind: 'direct', peer: event.name } as const) : ({ kind: 'group', group: event.group } as const) };
    for (const content of prefixedPieces(prefix, event.message)) {
      void this.lane.push(async () => this.deps.recent.remember(await this.deps.api.sendDm(this.user.id, { content }), seen));
    }
  }

  notice(text: string): void {
    void this.lane.push(() => this.deps.api.sendDm(this.user.id, { content: text }).then(() => {}));
  }
}

/** A relayed line as posts that each start with `prefix` (the sender), escaped and split under Discord's limit. */
export function prefixedPieces(prefix: string, message: string): string[] {
  return splitMessage(visible(escapeMarkdown(message)), MESSAGE_LIMIT - prefix.length).map((piece) => prefix + piece);
}

let threadPlaces = 0;

export class ThreadPlace extends Place {
  readonly lane: Lane;
  private id: string | null = null;
  /** Resolves to the thread id, or null when the thread could not be made. */
  readonly ready: Promise<string | null>;
  private name: string;
  /** A rename in flight (renames bypass the lane: Discord allows two per ten minutes, and lines must not wait for them). */
  private renaming = false;

  /** `reuse` finds the group's earlier thread under this channel, opened again (a new one is made if there is none, or that fails). */
  constructor(
    private readonly deps: PlaceDeps,
    readonly parentId: string,
    name: string,
    reuse: () => Promise<string | null>,
    onFailure: (err: unknown) => void,
  ) {
    super();
    this.name = name;
    this.lane = deps.outbox.lane(`thread:${parentId}:${++threadPlaces}`, (text) => () => this.send(text));
    const open = async (): Promise<string> => {
      await deps.outbox.whenOpen();
      const earlier = await reuse();
      if (earlier !== null) {
        const reopened = await deps.api.reopenThread(earlier, name).then(() => true, () => false);
        if (reopened) return earlier;
      }
      return deps.api.createThread(parentId, name);
    };
    this.ready = open().then(
      (id) => (this.id = id),
      (err: unknown) => {
        onFailure(err);
        return null;
      },
    );
  }

  /** Renames the thread (the members of an ad-hoc group changed); only the latest name is sent. */
  rename(name: string): void {
    if (name === this.name) return;
    this.name = name;
    if (this.renaming) return;
    this.renaming = true;
    void (async () => {
      const id = await this.ready;
      let sent: string | null = null;
      while (id !== null && sent !== this.name) {
        sent = this.name;
        await this.deps.api.renameThread(id, sent).catch(() => {});
      }
      this.renaming = false;
    })();
  }

  get channelId(): string | null {
    return this.id;
  }

  private async send(content: string, ping?: readonly string[]): Promise<void> {
    const id = await this.ready;
    if (id !== null) await this.deps.api.send(id, { content, ...(ping ? { ping } : {}) });
  }

  line(event: Said): void {
    const username = webhookName(event.name, event.front);
    const text = visible(escapeMarkdown(event.message));
    for (const piece of splitMessage(text, username ? MESSAGE_LIMIT : MESSAGE_LIMIT - senderPrefix(event.name, event.front).length)) {
      void this.lane.push(async () => {
        const id = await this.ready;
        if (id === null) return;
        const hook = username ? await this.deps.api.webhook(this.parentId) : null;
        const posted = hook && username ? await this.deps.api.sendAsWebhook(hook, id, username, piece) : await this.deps.api.send(id, { content: senderPrefix(event.name, event.front) + piece });
        this.deps.recent.remember(posted, { name: event.name, text: event.message });
      });
    }
  }

  notice(text: string, ping?: readonly string[]): void {
    void this.lane.push(() => this.send(text, ping));
  }

  add(user: DiscordUser): void {
    this.users.add(user);
    void this.lane.push(async () => {
      const id = await this.ready;
      if (id !== null) await this.deps.api.addToThread(id, user.id);
    });
  }

  remove(user: DiscordUser): void {
    this.users.delete(user);
    void this.lane.push(async () => {
      const id = await this.ready;
      if (id !== null) await this.deps.api.removeFromThread(id, user.id);
    });
  }

  close(text: string): void {
    this.notice(text);
    void this.lane.push(async () => {
      const id = await this.ready;
      if (id !== null) await this.deps.api.archive(id);
    });
  }
}
