/** A fake Discord plus the real server with its Discord front logged in to it. */
import type { DiscordFront } from '../../src/bridges/discord/discord-front.js';
import { FakeDiscord, type FakeOptions, type FakeUser, type Posted } from '../fakes/discord/fake-discord.js';
import { ClassicClient } from './classic-client.js';
import { startTestServer, type TestServer } from './server.js';
import { waitFor } from './wait.js';

export interface DiscordTest {
  fake: FakeDiscord;
  srv: TestServer;
  front: DiscordFront;
  /** Restarts the server on the same data directory and waits for the bot to log in again. */
  restart(): Promise<void>;
  /** A native-front user logged in as `name`, disconnected by `close`. */
  tcp(name: string): Promise<ClassicClient>;
  /** `user` types `text` in a channel (the bridged one by default); the bot's reply to it. */
  ask(user: FakeUser, text: string, channelId?: string): Promise<Posted>;
  /** Disconnects the native users, stops the server and the fake. */
  close(): Promise<void>;
}

/** Env that points the Discord front at the fake. */
export function discordEnv(fake: FakeDiscord, extra: Record<string, string> = {}): Record<string, string> {
  return {
    FRONTS: 'tcp,discord',
    DISCORD_TOKEN: fake.token,
    DISCORD_API_BASE: fake.restApi,
    DISCORD_APPLICATION_ID: fake.appId,
    DISCORD_GUILD_ID: fake.guildId,
    DISCORD_CHANNEL_IDS: fake.general.id,
    ...extra,
  };
}

export function discordFront(srv: TestServer): DiscordFront {
  return srv.server.fronts.get('discord') as DiscordFront;
}

/** Starts both and waits until the bot is logged in and its slash commands are registered. */
/** `setup` acts on the fake before the bot logs in (guild members and their status, as GUILD_CREATE tells them). */
export async function startDiscordTest(options: { fake?: FakeOptions; env?: Record<string, string>; setup?(fake: FakeDiscord): void } = {}): Promise<DiscordTest> {
  const fake = await FakeDiscord.start(options.fake);
  options.setup?.(fake);
  const srv = await startTestServer(discordEnv(fake, options.env));
  const front = discordFront(srv);
  await waitFor('the discord front to connect', () => front.state() === 'connected', 10_000);
  await fake.request('the slash command registration', (r) => r.method === 'PUT' && r.path.endsWith('/commands'));
  const clients: ClassicClient[] = [];
  const t: DiscordTest = {
    fake,
    srv,
    front,
    tcp: async (name) => {
      const c = await ClassicClient.login(t.srv.tcpPort, name);
      clients.push(c);
      return c;
    },
    ask: (user, text, channelId = fake.general.id) => {
      const id = fake.say(user, channelId, text);
      return fake.message(`the reply to ${JSON.stringify(text)}`, (m) => m.replyTo === id);
    },
    restart: async () => {
      t.srv = await t.srv.restart();
      t.front = discordFront(t.srv);
      await waitFor('the discord front to connect again', () => t.front.state() === 'connected', 10_000);
    },
    close: async () => {
      for (const c of clients.splice(0)) c.socket.destroy();
      await t.srv.destroy();
      await fake.close();
    },
  };
  return t;
}
