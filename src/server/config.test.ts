import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

describe('readConfig: the IRC front', () => {
  it('starts both fronts by default, IRC on 6667 wherever the native front listens', () => {
    const config = readConfig({ CHAT_HOST: '127.0.0.1' }, '/srv/chat');
    expect(config.fronts).toEqual(['tcp', 'irc']);
    expect(config.irc).toMatchObject({ host: '127.0.0.1', port: 6667, serverName: 'ics-chat.local', motdFile: null });
  });

  it('reads IRC_HOST, IRC_PORT, IRC_SERVER_NAME and IRC_MOTD_FILE', () => {
    const config = readConfig({ FRONTS: 'irc', IRC_HOST: '::1', IRC_PORT: '7000', IRC_SERVER_NAME: 'chat.example.org', IRC_MOTD_FILE: 'motd.txt' }, '/srv/chat');
    expect(config.fronts).toEqual(['irc']);
    expect(config.irc).toMatchObject({ host: '::1', port: 7000, serverName: 'chat.example.org', motdFile: '/srv/chat/motd.txt' });
  });

  it.each([
    [{ IRC_PORT: '70000' }, /IRC_PORT must be a whole number from 0 to 65535/],
    [{ IRC_SERVER_NAME: 'my server' }, /IRC_SERVER_NAME must be a host name/],
    [{ IRC_SERVER_NAME: ':evil' }, /IRC_SERVER_NAME must be a host name/],
    [{ FRONTS: 'tcp,irc,gopher' }, /unknown front "gopher"; known: tcp, irc/],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});
