import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

const FLOOD = { burst: 20, perSecond: 5, maxQueued: 50 };

describe('readConfig', () => {
  it('has embedded defaults for everything', () => {
    const c = readConfig({}, '/srv/ics');
    expect(c).toEqual({
      fronts: ['tcp', 'irc', 'discord', 'web'],
      accounts: {
        scrypt: { logN: 15, r: 8, p: 1 },
        loginLimits: { perName: { burst: 5, refillMs: 60_000 }, perAddress: { burst: 20, refillMs: 15_000 } },
        operators: [],
      },
      tcp: { host: '0.0.0.0', port: 1112, maxFrameChars: 99_999, maxOutboundBytes: 4 << 20, flood: FLOOD, loginTimeoutMs: 3_600_000 },
      irc: {
        host: '0.0.0.0',
        port: 6667,
        serverName: 'ics-chat.local',
        motdFile: null,
        maxOutboundBytes: 4 << 20,
        pingIntervalMs: 120_000,
        flood: FLOOD,
        joinReplay: 0,
      },
      discord: null,
      web: { host: '0.0.0.0', port: 8080, maxMessageBytes: 65_536, heartbeatMs: 30_000, maxOutboundBytes: 4 << 20, flood: FLOOD, pageDir: expect.stringMatching(/\/dist\/page\/$/) },
      admission: { maxConnections: 4096, maxPerAddress: 256, maxPending: 256, loginTimeoutMs: 120_000 },
      dataDir: '/srv/ics/data',
      databaseUrl: null,
      cluster: null,
      sonnetsFile: '/srv/ics/data/sonnets.txt',
      logLevel: 'info',
      maxLineChars: 8000,
      missedLines: 50,
      roomForgetMs: 86_400_000,
    });
    expect(Object.isFrozen(c)).toBe(true);
    expect(Object.isFrozen(c.tcp)).toBe(true);
    expect(Object.isFrozen(c.web)).toBe(true);
    expect(Object.isFrozen(c.irc)).toBe(true);
    expect(Object.isFrozen(c.tcp.flood)).toBe(true);
    expect(Object.isFrozen(c.admission)).toBe(true);
  });

  it('reads every variable', () => {
    const c = readConfig(
      { FRONTS: ' TCP , tcp', CHAT_HOST: '127.0.0.1', CHAT_PORT: '0', DATA_DIR: '/var/ics', SONNETS_FILE: 's.txt', LOG_LEVEL: 'DEBUG', MAX_LINE_CHARS: '100', MAX_FRAME_CHARS: '5000', MAX_OUTBOUND_BYTES: '65536', CHAT_LOGIN_TIMEOUT_MS: '60000' },
      '/srv',
    );
    expect(c).toMatchObject({ fronts: ['tcp'], dataDir: '/var/ics', sonnetsFile: '/srv/s.txt', logLevel: 'debug', maxLineChars: 100 });
    expect(c.tcp).toEqual({ host: '127.0.0.1', port: 0, maxFrameChars: 5000, maxOutboundBytes: 65536, flood: FLOOD, loginTimeoutMs: 60_000 });
  });

  it('reads one set of rate limits for every front and the connection caps', () => {
    const c = readConfig(
      { DISCORD_TOKEN: 't', FLOOD_BURST: '3', FLOOD_RATE: '2', FLOOD_QUEUE: '0', MAX_CONNECTIONS: '10', MAX_CONNECTIONS_PER_ADDRESS: '4', MAX_PENDING_LOGINS: '2', LOGIN_TIMEOUT_MS: '1500' },
      '/srv',
    );
    const flood = { burst: 3, perSecond: 2, maxQueued: 0 };
    expect([c.tcp.flood, c.irc.flood, c.web.flood, c.discord?.flood]).toEqual([flood, flood, flood, flood]);
    expect(c.admission).toEqual({ maxConnections: 10, maxPerAddress: 4, maxPending: 2, loginTimeoutMs: 1500 });
  });

  it.each([
    [{ CHAT_PORT: '70000' }, 'CHAT_PORT must be a whole number from 0 to 65535, got "70000"'],
    [{ CHAT_PORT: '1.5' }, 'CHAT_PORT must be a whole number'],
    [{ FRONTS: 'tcp,gopher' }, 'FRONTS names an unknown front "gopher"'],
    [{ FRONTS: ' , ' }, 'FRONTS must name at least one front'],
    [{ LOG_LEVEL: 'loud' }, 'LOG_LEVEL must be one of debug, info, warn, error, got "loud"'],
    [{ MAX_FRAME_CHARS: '100000' }, 'MAX_FRAME_CHARS must be a whole number from 64 to 99999'],
  ])('refuses %j', (env, msg) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(msg);
  });
});

describe('readConfig: the IRC front', () => {
  it('starts every front by default, IRC on 6667 wherever the native front listens', () => {
    const config = readConfig({ CHAT_HOST: '127.0.0.1' }, '/srv/chat');
    expect(config.fronts).toEqual(['tcp', 'irc', 'discord', 'web']);
    expect(config.irc).toMatchObject({ host: '127.0.0.1', port: 6667, serverName: 'ics-chat.local', motdFile: null });
  });

  it('reads IRC_HOST, IRC_PORT, IRC_SERVER_NAME, IRC_MOTD_FILE, IRC_JOIN_REPLAY and the flood limits', () => {
    const env = { FRONTS: 'irc', IRC_HOST: '::1', IRC_PORT: '7000', IRC_SERVER_NAME: 'chat.example.org', IRC_MOTD_FILE: 'motd.txt', IRC_JOIN_REPLAY: '20', FLOOD_BURST: '100', FLOOD_RATE: '40' };
    const config = readConfig(env, '/srv/chat');
    expect(config.fronts).toEqual(['irc']);
    expect(config.irc).toMatchObject({ host: '::1', port: 7000, serverName: 'chat.example.org', motdFile: '/srv/chat/motd.txt', joinReplay: 20, flood: { burst: 100, perSecond: 40 } });
  });

  it.each([
    [{ IRC_PORT: '70000' }, /IRC_PORT must be a whole number from 0 to 65535/],
    [{ IRC_JOIN_REPLAY: '101' }, /IRC_JOIN_REPLAY must be a whole number from 0 to 100/],
    [{ FLOOD_RATE: '0' }, /FLOOD_RATE must be a whole number from 1/],
    [{ MAX_CONNECTIONS_PER_ADDRESS: '0' }, /MAX_CONNECTIONS_PER_ADDRESS must be a whole number from 1/],
    [{ LOGIN_TIMEOUT_MS: '10' }, /LOGIN_TIMEOUT_MS must be a whole number from 100/],
    [{ CHAT_LOGIN_TIMEOUT_MS: '1.5' }, /CHAT_LOGIN_TIMEOUT_MS must be a whole number from 100 to 604800000/],
    [{ IRC_SERVER_NAME: 'my server' }, /IRC_SERVER_NAME must be a host name/],
    [{ IRC_SERVER_NAME: ':evil' }, /IRC_SERVER_NAME must be a host name/],
    [{ FRONTS: 'tcp,irc,gopher' }, /unknown front "gopher"; known: tcp, irc/],
  ])('refuses %j', (env, message) => {
    expect(() => readConfig(env)).toThrow(ConfigError);
    expect(() => readConfig(env)).toThrow(message);
  });
});

const discord = (env: Record<string, string>) => readConfig({ DISCORD_TOKEN: 'secret', ...env }, '/srv').discord;

describe('Discord settings', () => {
  it('are absent without DISCORD_TOKEN, and the front list includes discord by default', () => {
    const config = readConfig({}, '/srv');
    expect(config.discord).toBeNull();
    expect(config.fronts).toEqual(['tcp', 'irc', 'discord', 'web']);
  });

  it('read ids, channels, idle minutes, presence and the test API base', () => {
    expect(
      discord({
        DISCORD_APPLICATION_ID: '123456789012345678',
        DISCORD_CHANNEL_IDS: ' 111111111111111111, 222222222222222222,111111111111111111 ',
        DISCORD_GUILD_ID: '333333333333333333',
        DISCORD_IDLE_MINUTES: '1.5',
        DISCORD_PRESENCE: 'On',
        DISCORD_API_BASE: 'http://127.0.0.1:9999/api/',
      }),
    ).toEqual({
      token: 'secret',
      applicationId: '123456789012345678',
      channelIds: ['111111111111111111', '222222222222222222'],
      guildId: '333333333333333333',
      idleMs: 90_000,
      presence: true,
      apiBase: 'http://127.0.0.1:9999/api',
      flood: FLOOD,
    });
    expect(discord({})).toEqual({ token: 'secret', applicationId: null, channelIds: [], guildId: null, idleMs: 30 * 60_000, presence: false, apiBase: null, flood: FLOOD });
    expect(discord({ DISCORD_PRESENCE: 'off' })?.presence).toBe(false);
    expect(discord({ DISCORD_IDLE_MINUTES: '0' })?.idleMs).toBe(0);
  });

  it.each([
    ['DISCORD_CHANNEL_IDS', '#general', 'channel ids'],
    ['DISCORD_GUILD_ID', 'my-guild', 'a Discord id'],
    ['DISCORD_IDLE_MINUTES', '-1', 'minutes'],
    ['DISCORD_PRESENCE', 'sometimes', 'on or off'],
    ['DISCORD_IDLE_MINUTES', 'soon', 'minutes'],
    ['DISCORD_API_BASE', 'not a url', 'a URL'],
    ['DISCORD_API_BASE', 'ftp://x/api', 'http or https'],
  ])('refuse %s=%j', (key, value, why) => {
    expect(() => discord({ [key]: value })).toThrow(ConfigError);
    expect(() => discord({ [key]: value })).toThrow(why);
  });
});

describe('readConfig: the web front', () => {
  it('follows CHAT_HOST unless WEB_HOST is set', () => {
    expect(readConfig({ CHAT_HOST: '127.0.0.1' }).web.host).toBe('127.0.0.1');
    expect(readConfig({ CHAT_HOST: '127.0.0.1', WEB_HOST: '::1' }).web.host).toBe('::1');
  });

  it('reads the web settings and shares MAX_OUTBOUND_BYTES with tcp', () => {
    const config = readConfig({ FRONTS: 'web', WEB_PORT: '0', WEB_MAX_MESSAGE_BYTES: '4096', WEB_HEARTBEAT_MS: '250', MAX_OUTBOUND_BYTES: '65536' });
    expect(config.fronts).toEqual(['web']);
    expect(config.web).toMatchObject({ port: 0, maxMessageBytes: 4096, heartbeatMs: 250, maxOutboundBytes: 65536 });
    expect(config.tcp.maxOutboundBytes).toBe(65536);
  });

  it.each([
    ['WEB_PORT', '70000'],
    ['WEB_PORT', 'http'],
    ['WEB_MAX_MESSAGE_BYTES', '10'],
    ['WEB_HEARTBEAT_MS', '0'],
  ])('refuses %s=%s', (key, value) => {
    expect(() => readConfig({ [key]: value })).toThrow(ConfigError);
  });
});

describe('readConfig: accounts', () => {
  it('reads the password cost and the failed-login limits', () => {
    const { accounts } = readConfig({ PASSWORD_COST: '17', LOGIN_FAILURES_PER_NAME: '3', LOGIN_FAILURES_PER_ADDRESS: '10', LOGIN_FAILURE_WINDOW: '60' });
    expect(accounts).toEqual({
      scrypt: { logN: 17, r: 8, p: 1 },
      loginLimits: { perName: { burst: 3, refillMs: 20_000 }, perAddress: { burst: 10, refillMs: 6000 } },
      operators: [],
    });
    expect(Object.isFrozen(accounts.loginLimits.perName)).toBe(true);
  });

  it('reads server operators from IRC_OPERS, a password running to the next comma', () => {
    const { accounts } = readConfig({ IRC_OPERS: 'root:s3cret:with:colons, Ada:another-secret' });
    expect(accounts.operators).toEqual([
      { name: 'root', password: 's3cret:with:colons' },
      { name: 'Ada', password: 'another-secret' },
    ]);
  });

  it.each(['root', 'root:short', ':nameless-password', '9root:long-enough'])('refuses IRC_OPERS=%s without quoting a password', (value) => {
    expect(() => readConfig({ IRC_OPERS: value })).toThrow(/IRC_OPERS entry 1 must be name:password/);
    expect(() => readConfig({ IRC_OPERS: value })).not.toThrow(/short|long-enough|nameless/);
  });

  it.each([
    ['PASSWORD_COST', '11'],
    ['PASSWORD_COST', '21'],
    ['LOGIN_FAILURES_PER_NAME', '0'],
    ['LOGIN_FAILURE_WINDOW', 'forever'],
  ])('refuses %s=%s', (key, value) => {
    expect(() => readConfig({ [key]: value })).toThrow(ConfigError);
  });
});

describe('readConfig: the database', () => {
  it('keeps everything in DATA_DIR unless DATABASE_URL names a PostgreSQL database', () => {
    expect(readConfig({}).databaseUrl).toBeNull();
    expect(readConfig({ DATABASE_URL: ' postgres://ics:secret@127.0.0.1:5432/chat ' }).databaseUrl).toBe('postgres://ics:secret@127.0.0.1:5432/chat');
    expect(readConfig({ DATABASE_URL: 'postgresql://db.example/chat' }).databaseUrl).toBe('postgresql://db.example/chat');
  });

  it('refuses a URL that is not PostgreSQL or names no database, without echoing it', () => {
    for (const bad of ['mysql://u:hunter2@h/db', 'postgres://u:hunter2@h', 'not a url hunter2']) {
      expect(() => readConfig({ DATABASE_URL: bad })).toThrow(ConfigError);
      try {
        readConfig({ DATABASE_URL: bad });
      } catch (err) {
        expect((err as Error).message).not.toContain('hunter2');
      }
    }
  });
});

describe('readConfig: cluster mode', () => {
  const db = { DATABASE_URL: 'postgres://ics@127.0.0.1:5432/chat' };
  it('is on with NATS_URL, with a heartbeat of 1 s and a lease of 10 s unless given', () => {
    expect(readConfig(db).cluster).toBeNull();
    expect(readConfig({ ...db, NATS_URL: 'nats://127.0.0.1:4222' }).cluster).toEqual({ natsUrl: 'nats://127.0.0.1:4222', name: 'ics', nodeId: null, heartbeatMs: 1000, leaseMs: 10_000 });
    expect(readConfig({ ...db, NATS_URL: 'nats://10.0.0.5:4222', NODE_ID: 'n-1', CLUSTER_HEARTBEAT_MS: '100', CLUSTER_LEASE_MS: '3000' }).cluster).toEqual({ natsUrl: 'nats://10.0.0.5:4222', name: 'ics', nodeId: 'n-1', heartbeatMs: 100, leaseMs: 3000 });
  });

  it('refuses NATS_URL without DATABASE_URL, a bad URL or node name, and a lease shorter than three heartbeats', () => {
    expect(() => readConfig({ NATS_URL: 'nats://127.0.0.1:4222' })).toThrow(/needs DATABASE_URL/);
    expect(() => readConfig({ ...db, NATS_URL: 'http://127.0.0.1:4222' })).toThrow(ConfigError);
    expect(() => readConfig({ ...db, NATS_URL: 'nats://127.0.0.1:4222', NODE_ID: 'a.b' })).toThrow(/NODE_ID/);
    expect(() => readConfig({ ...db, NATS_URL: 'nats://127.0.0.1:4222', CLUSTER_HEARTBEAT_MS: '1000', CLUSTER_LEASE_MS: '2000' })).toThrow(/three heartbeats/);
  });

  it('names the cluster CLUSTER_NAME, `ics` unless given', () => {
    const nats = { ...db, NATS_URL: 'nats://127.0.0.1:4222' };
    expect(readConfig({ ...nats, CLUSTER_NAME: ' blue-2_b ' }).cluster?.name).toBe('blue-2_b');
    expect(readConfig({ ...nats, CLUSTER_NAME: 'x'.repeat(64) }).cluster?.name).toBe('x'.repeat(64));
  });

  it.each(['', '  ', 'two words', 'a.b', 'a*', 'a>', '>', 'tab\there', 'x'.repeat(65)])('refuses the cluster name %j, which a NATS subject token cannot be', (name) => {
    expect(() => readConfig({ ...db, NATS_URL: 'nats://127.0.0.1:4222', CLUSTER_NAME: name })).toThrow(/CLUSTER_NAME/);
  });
});
