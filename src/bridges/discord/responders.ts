/**
 * Answering a command where it was given. A typed command is answered with replies to the
 * message (through that channel's lane, so answers keep their order); a private answer
 * typed in a public place goes by DM, and the public reply only says so. A slash command is
 * answered through its interaction: public answers visibly, private ones and refusals
 * ephemerally.
 */
import { MessageFlags, type ChatInputCommandInteraction } from 'discord.js';
import type { DiscordApi } from './api.js';
import { splitMessage } from './format.js';
import type { Lane } from './outbox.js';

/** Text now, or text that can only be written once something is known (a new thread's id). */
export type Text = string | (() => Promise<string>);

/** What a public reply says about a private answer sent by DM: that it was, or that it could not be. */
export interface Told {
  sent: string;
  failed: string;
}

export const RESULTS_TOLD: Told = {
  sent: 'I sent you the results by DM.',
  failed: 'I could not DM you the results: allow direct messages from server members, or use /search (only you see its answer).',
};

export const DIRECT_TOLD: Told = {
  sent: 'Sent privately; the conversation goes on in our DM.',
  failed: 'Sent privately, but I could not DM you: allow direct messages from server members, or the answers cannot reach you.',
};

const resolve = (text: Text): Promise<string> => (typeof text === 'string' ? Promise.resolve(text) : text());

export interface Responder {
  /** Answers where the command was given; `quiet` answers (refusals, the menu) are ephemeral for slash commands. */
  say(text: Text, quiet?: boolean): void;
  /** Answers only the asker; a public place is told `told` about it. */
  whisper(text: string, told?: Told): void;
  /** Whether anything was said yet. */
  readonly answered: boolean;
}

export class MessageResponder implements Responder {
  answered = false;

  constructor(
    private readonly api: DiscordApi,
    private readonly lane: Lane,
    /** Posts in the user's DM with the bot; resolves whether every piece went out. */
    private readonly toDm: (text: string) => Promise<boolean>,
    private readonly channelId: string,
    private readonly messageId: string,
    /** The command came by DM, so every answer is private already. */
    private readonly isDm: boolean,
  ) {}

  say(text: Text): void {
    this.answered = true;
    void this.lane.push(async () => {
      const pieces = splitMessage(await resolve(text));
      for (const [i, content] of pieces.entries()) {
        await this.api.send(this.channelId, i === 0 ? { content, replyTo: this.messageId } : { content });
      }
    });
  }

  whisper(text: string, told: Told = RESULTS_TOLD): void {
    if (this.isDm) return this.say(text);
    this.answered = true;
    void this.toDm(text).then((ok) => this.say(ok ? told.sent : told.failed));
  }
}

export class InteractionResponder implements Responder {
  answered = false;
  private chain: Promise<void> = Promise.resolve();

  constructor(
    private readonly interaction: ChatInputCommandInteraction,
    /** Posts in the user's DM with the bot; resolves whether every piece went out. */
    private readonly toDm: (text: string) => Promise<boolean>,
    private readonly onError: (err: unknown) => void,
  ) {}

  say(text: Text, quiet = false): void {
    this.post(text, quiet);
  }

  /** Only the asker sees it: ephemeral; with `told`, it goes to the DM (to stay there), and the answer says whether it did. */
  whisper(text: string, told?: Told): void {
    if (!told) return this.post(text, true);
    if (this.interaction.guildId === null) return this.post(text, false);
    this.post(async () => ((await this.toDm(text)) ? told.sent : told.failed), true);
  }

  private post(text: Text, ephemeral: boolean): void {
    const first = !this.answered;
    this.answered = true;
    const flags = ephemeral ? (MessageFlags.Ephemeral as const) : undefined;
    const i = this.interaction;
    // A reply must come within 3 s; text that needs waiting for is announced by deferring first.
    const deferred = first && typeof text !== 'string' ? i.deferReply(flags ? { flags } : {}).then(() => true) : Promise.resolve(false);
    this.chain = this.chain
      .then(async () => {
        const isDeferred = await deferred;
        const pieces = splitMessage(await resolve(text));
        for (const [n, content] of pieces.entries()) {
          const options = { content, allowedMentions: { parse: [] }, ...(flags ? { flags } : {}) };
          if (n === 0 && isDeferred) await i.editReply({ content, allowedMentions: { parse: [] } });
          else if (n === 0 && first) await i.reply(options);
          else await i.followUp(options);
        }
      })
      .catch(this.onError);
  }
}
