/** The Discord front's connection: login, slash-command registration, and the failures an operator can fix. */
import { afterEach, describe, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { discordEnv, discordFront, startDiscordTest } from '../helpers/discord.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';
import { FakeDiscord, MESSAGE_CONTENT, type FakeOptions } from '../fakes/discord/fake-discord.js';

const cleanups: (() => Promise<void>)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function fake(options: FakeOptions = {}): Promise<FakeDiscord> {
  const f = await FakeDiscord.start(options);
  cleanups.push(() => f.close());
  return f;
}

async function server(env: Record<string, string>): Promise<TestServer> {
  const srv = await startTestServer(env);
  cleanups.push(() => srv.destroy());
  return srv;
}

const logged = (srv: TestServer, text: string): string | undefined => srv.logs.find((l) => l.includes(text));

describe('login', () => {
  it('logs in with the three intents it needs and registers the slash commands in the guild', async () => {
    const t = await startDiscordTest();
    cleanups.push(() => t.close());
    expect(t.fake.gateway.intents).toBe(1 | (1 << 9) | (1 << 12) | MESSAGE_CONTENT);
    const put = t.fake.requests.find((r) => r.method === 'PUT' && r.path.endsWith('/commands'))!;
    expect(put.path).toBe(`/applications/${t.fake.appId}/guilds/${t.fake.guildId}/commands`);
    const names = (put.body as { name: string }[]).map((c) => c.name).sort();
    expect(names).toEqual(['bye', 'connect', 'help', 'join', 'message', 'poem', 'quit', 'rooms', 'search', 'sonnets', 'time', 'who']);
    const poem = (put.body as { name: string; options?: { name: string; type: number; min_value?: number; max_value?: number }[] }[]).find((c) => c.name === 'poem')!;
    expect(poem.options).toMatchObject([{ name: 'number', type: 4, min_value: 1, max_value: 154 }]);
    expect(logged(t.srv, 'discord front connected as icsbot')).toBeDefined();
    expect(t.srv.logs.join('\n')).not.toContain(t.fake.token);
  });

  it('registers globally without DISCORD_GUILD_ID', async () => {
    const f = await fake();
    const srv = await server(discordEnv(f, { DISCORD_GUILD_ID: '' }));
    await f.request('the global registration', (r) => r.method === 'PUT' && r.path === `/applications/${f.appId}/commands`);
    await waitFor('the registration log line', () => logged(srv, 'registered 12 slash commands globally'));
  });

  it('is off, with one log line saying why, when DISCORD_TOKEN is not set; the rest runs', async () => {
    const srv = await server({ FRONTS: 'tcp,discord' });
    expect(srv.logs.filter((l) => l.includes('discord front is off: DISCORD_TOKEN is not set'))).toHaveLength(1);
    expect(discordFront(srv).state()).toBe('off');
    await ClassicClient.login(srv.tcpPort, 'zz').then((c) => c.close());
  });

  it('warns when no channel is bridged', async () => {
    const f = await fake();
    const srv = await server(discordEnv(f, { DISCORD_CHANNEL_IDS: '' }));
    await waitFor('the warning', () => logged(srv, 'DISCORD_CHANNEL_IDS is empty'));
  });

  it('warns about a bridged channel the bot cannot see and a mismatched application id', async () => {
    const f = await fake();
    const srv = await server(discordEnv(f, { DISCORD_CHANNEL_IDS: `${f.general.id},123456789012345678`, DISCORD_APPLICATION_ID: '999999999999999999' }));
    await waitFor('the channel warning', () => logged(srv, 'DISCORD_CHANNEL_IDS names 123456789012345678'));
    await waitFor('the application id error', () => logged(srv, 'DISCORD_APPLICATION_ID is 999999999999999999 but the token belongs to application'));
  });
});

describe('failures an operator can fix', () => {
  it('a refused Message Content intent (4014): one line with the fix; slash commands and mentions work meanwhile; full service once the switch is on', async () => {
    const f = await fake({ allowedPrivileged: 0 });
    const srv = await server(discordEnv(f));
    const line = await waitFor('the 4014 log line', () => logged(srv, 'Message Content'));
    expect(line).toContain('ERROR');
    expect(line).toContain('4014');
    expect(line).toContain('Privileged Gateway Intents');
    expect(line).toMatch(/slash commands, DMs and @mentions of the bot still work \(checking again in \d+ s\)/);
    await waitFor('the bot to run without the intent', () => logged(srv, 'without the Message Content intent'));
    expect(f.gateway.intents & MESSAGE_CONTENT).toBe(0);
    const peter = await ClassicClient.login(srv.tcpPort, 'peter');
    peter.close();
    const alice = f.user('alice');
    const slash = f.slash(alice, f.general, 'time');
    expect((await f.responses(slash))[0]!.content).toMatch(/^Time is: /);
    const typed = f.say(alice, f.general.id, 'time');
    const mention = f.say(alice, f.general.id, `<@${f.bot.id}> time`);
    await f.message('the reply to the mention', (m) => m.replyTo === mention);
    expect(f.messages.filter((m) => m.replyTo === typed)).toEqual([]);

    f.gateway.allowPrivileged(MESSAGE_CONTENT);
    await waitFor('a login with the intent', () => (f.gateway.intents & MESSAGE_CONTENT) !== 0 && discordFront(srv).state() === 'connected', 15_000);
    const again = f.say(alice, f.general.id, 'time');
    await f.message('the reply to a typed command', (m) => m.replyTo === again);
    expect(srv.logs.filter((l) => l.includes('ERROR') && l.includes('Message Content Intent'))).toHaveLength(1);
  });

  it('a bad token: one line saying where to get a new one, and retries', async () => {
    const f = await fake();
    const srv = await server(discordEnv(f, { DISCORD_TOKEN: 'not-the-token' }));
    const line = await waitFor('the bad-token log line', () => logged(srv, 'refused the bot token'));
    expect(line).toContain('Reset Token');
    expect(line).not.toContain('not-the-token');
    await f.request('a second attempt', (r) => r.path === '/gateway/bot' && f.requests.filter((q) => q.path === '/gateway/bot').length >= 2, 10_000);
    expect(srv.logs.filter((l) => l.includes('ERROR') && l.includes('refused the bot token'))).toHaveLength(1);
  });

  it('an unreachable Discord: one line naming the address, and it connects once Discord is back', async () => {
    const f = await fake();
    f.setDown(true);
    const srv = await server(discordEnv(f));
    const line = await waitFor('the unreachable log line', () => logged(srv, 'cannot reach Discord'), 20_000);
    expect(line).toContain(f.restApi);
    f.setDown(false);
    await waitFor('the front to connect', () => discordFront(srv).state() === 'connected', 20_000);
  });
});
