import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

const discord = (env: Record<string, string>) => readConfig({ DISCORD_TOKEN: 'secret', ...env }, '/srv').discord;

describe('Discord settings', () => {
  it('are absent without DISCORD_TOKEN, and the front list includes discord by default', () => {
    const config = readConfig({}, '/srv');
    expect(config.discord).toBeNull();
    expect(config.fronts).toEqual(['tcp', 'discord']);
  });

  it('read ids, channels, idle minutes and the test API base', () => {
    expect(
      discord({
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_CHANNEL_IDS: ' 111111111111111111, 222222222222222222,111111111111111111 ',
        DISCORD_GUILD_ID: '333333333333333333',
        DISCORD_IDLE_MINUTES: '1.5',
        DISCORD_API_BASE: 'http://127.0.0.1:9999/api/',
      }),
    ).toEqual({
      token: 'secret',
      applicationId: '123456789012345678',
      channelIds: ['111111111111111111', '222222222222222222'],
      guildId: '333333333333333333',
      idleMs: 90_000,
      apiBase: 'http://127.0.0.1:9999/api',
    });
    expect(discord({})).toEqual({ token: 'secret', applicationId: null, channelIds: [], guildId: null, idleMs: 30 * 60_000, apiBase: null });
    expect(discord({ DISCORD_IDLE_MINUTES: '0' })?.idleMs).toBe(0);
  });

  it.each([
    ['DISCORD_CHANNEL_IDS', '#general', 'channel ids'],
    ['DISCORD_GUILD_ID', 'my-guild', 'a Discord id'],
    ['DISCORD_IDLE_MINUTES', '-1', 'minutes'],
    ['DISCORD_IDLE_MINUTES', 'soon', 'minutes'],
    ['DISCORD_API_BASE', 'not a url', 'a URL'],
    ['DISCORD_API_BASE', 'ftp://x/api', 'http or https'],
  ])('refuse %s=%j', (key, value, why) => {
    expect(() => discord({ [key]: value })).toThrow(ConfigError);
    expect(() => discord({ [key]: value })).toThrow(why);
  });
});
