import { describe, expect, it } from 'vitest';
import { ConfigError, readConfig } from './config.js';

describe('readConfig: the web front', () => {
  it('starts tcp and web by default, the page on 8080 on the chat host', () => {
    const config = readConfig({});
    expect(config.fronts).toEqual(['tcp', 'web']);
    expect(config.web).toMatchObject({ host: '0.0.0.0', port: 8080, maxMessageBytes: 65536, heartbeatMs: 30_000, maxOutboundBytes: 4 << 20 });
    expect(config.web.pageDir).toMatch(/dist\/page\/$/);
  });

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
