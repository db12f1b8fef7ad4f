/**
 * The slash commands: their definitions (registered at start) and how an invocation becomes
 * the same Command a typed line does, so both paths run one code path.
 */
import { InteractionContextType, SlashCommandBuilder, type ChatInputCommandInteraction, type RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord.js';
import type { Command } from '../../core/commands.js';

const base = (name: string, description: string): SlashCommandBuilder =>
  new SlashCommandBuilder().setName(name).setDescription(description).setContexts(InteractionContextType.Guild, InteractionContextType.BotDM);

/** What the bot registers. */
export const SLASH_COMMANDS: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[] = [
  base('who', 'Who is online, on which front, and who is chatting with whom'),
  base('time', "The chat server's time"),
  base('connect', 'Start a group chat with someone, or join their group').addStringOption((o) =>
    o.setName('peer').setDescription('Their chat name').setRequired(true).setMaxLength(64),
  ),
  base('poem', "One of Shakespeare's sonnets").addIntegerOption((o) =>
    o.setName('number').setDescription('1 to 154').setRequired(true).setMinValue(1).setMaxValue(154),
  ),
  base('search', 'Search your own chat history (only you see the results)').addStringOption((o) =>
    o.setName('term').setDescription('Words that must all appear; "quotes" for a phrase').setRequired(true).setMaxLength(200),
  ),
  base('bye', 'Leave your group chat'),
  base('quit', 'Leave the chat system'),
  base('help', 'What you can type'),
].map((b) => b.toJSON());

/** The Command an invocation asks for, or null for a command this bot does not know. */
export function slashCommand(interaction: ChatInputCommandInteraction): Command | null {
  const send = (...actions: Extract<Command, { kind: 'send' }>['actions']): Command => ({ kind: 'send', actions });
  switch (interaction.commandName) {
    case 'who':
      return send({ action: 'list' });
    case 'time':
      return send({ action: 'time' });
    case 'connect':
      return send({ action: 'connect', target: interaction.options.getString('peer', true) });
    case 'poem':
      return send({ action: 'poem', target: String(interaction.options.getInteger('number', true)) });
    case 'search':
      return send({ action: 'search', target: interaction.options.getString('term', true) });
    case 'bye':
      return send({ action: 'disconnect' });
    case 'quit':
      return { kind: 'quit' };
    case 'help':
      return { kind: 'help' };
    default:
      return null;
  }
}
