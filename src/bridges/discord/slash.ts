/**
 * The slash commands, one per typed command: their definitions (registered at start) and how an
 * invocation becomes the same Command a typed line does, so both paths run one code path.
 */
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Command, GroupLookup } from '../../core/commands.js';
import { parseCommand } from '../../core/commands.js';

const base = (name: string, description: string): SlashCommandBuilder =>
  new SlashCommandBuilder().setName(name).setDescription(description).setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

/** What the bot registers. */
export const SLASH_COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  base('who', 'Who is online, on which front, and who is chatting with whom'),
  base('time', "The chat server's time"),
  base('connect', 'Start a group chat with someone, or join their group').addStringOption((o) =>
    o.setName('peer').setDescription('Their chat name').setRequired(true).setMaxLength(64),
  ),
  base('join', 'Join a room by name, or open it').addStringOption((o) =>
    o.setName('room').setDescription('The room, e.g. #lobby').setRequired(true).setMaxLength(40),
  ),
  base('message', 'A private line to one person, on any front (the conversation goes on in our DM)')
    .addStringOption((o) => o.setName('user').setDescription('Their chat name').setRequired(true).setMaxLength(64))
    .addStringOption((o) => o.setName('text').setDescription('What to say').setRequired(true).setMaxLength(2000)),
  base('rooms', 'Your groups and conversations (only you see the answer)'),
  base('poem', "One of Shakespeare's sonnets").addIntegerOption((o) =>
    o.setName('number').setDescription('1 to 154').setRequired(true).setMinValue(1).setMaxValue(154),
  ),
  base('sonnets', 'The sonnet lines holding a word').addStringOption((o) =>
    o.setName('word').setDescription('The word to look for').setRequired(true).setMaxLength(60),
  ),
  base('search', 'Search your own chat history (only you see the results)').addStringOption((o) =>
    o.setName('term').setDescription('Words that must all appear; "quotes" for a phrase').setRequired(true).setMaxLength(200),
  ),
  base('bye', "Leave a group: this thread's, the one you name, or the one you joined last").addStringOption((o) =>
    o.setName('group').setDescription('#room, #group-N, or the name of the person of a private conversation').setMaxLength(64),
  ),
  base('quit', 'Leave the chat system'),
  base('help', 'What you can type'),
].map((b) => b.toJSON());

/** The Command an invocation asks for (`lookup`: the user's groups, for `/bye #room`), or null for a command this bot does not know. */
export function slashCommand(interaction: ChatInputCommandInteraction, lookup: GroupLookup): Command | null {
  const send = (...actions: Extract<Command, { kind: 'send' }>['actions']): Command => ({ kind: 'send', actions });
  const text = (name: string): string => interaction.options.getString(name, true);
  switch (interaction.commandName) {
    case 'who':
      return send({ action: 'list' });
    case 'time':
      return send({ action: 'time' });
    case 'connect':
      return send({ action: 'connect', target: text('peer') });
    case 'join': {
      const room = text('room').trim();
      return send({ action: 'connect', target: room.startsWith('#') ? room : `#${room}` });
    }
    case 'message':
      return send({ action: 'direct', target: text('user').trim(), message: text('text') });
    case 'rooms':
      return send({ action: 'rooms' });
    case 'poem':
      return send({ action: 'poem', target: String(interaction.options.getInteger('number', true)) });
    case 'sonnets':
      return send({ action: 'sonnets', target: text('word') });
    case 'search':
      return send({ action: 'search', target: text('term') });
    case 'bye': {
      const group = interaction.options.getString('group');
      return group === null ? send({ action: 'disconnect' }) : parseCommand(`bye ${group}`, 'command', lookup);
    }
    case 'quit':
      return { kind: 'quit' };
    case 'help':
      return { kind: 'help' };
    default:
      return null;
  }
}
