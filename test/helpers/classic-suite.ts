/** A classic-protocol test file's set-up: a fresh server before each test; its clients and the server closed after it. */
import { afterEach, beforeEach } from 'vitest';
import { ClassicClient } from './classic-client.js';
import { startTestServer, type TestServer } from './server.js';

/** These tests script bursts (every sonnet, 130 lines at once); the rate limits have tests of their own (limits.test.ts). */
export const UNLIMITED = { FLOOD_BURST: '1000000', FLOOD_RATE: '1000000' };

export interface ClassicSuite {
  /** This test's server (a test may replace it: the last one is stopped after the test). */
  srv: TestServer;
  /** A client logged in as `name`, closed after the test. */
  login(name: string): Promise<ClassicClient>;
  /** A connected client that has not logged in, closed after the test. */
  open(): Promise<ClassicClient>;
  /** Closes every client made so far (before a restart). */
  closeClients(): void;
}

export function classicSuite(env: Record<string, string> = UNLIMITED): ClassicSuite {
  const clients: ClassicClient[] = [];
  const kept = (c: ClassicClient): ClassicClient => {
    clients.push(c);
    return c;
  };
  const suite: ClassicSuite = {
    srv: undefined as unknown as TestServer,
    login: async (name) => kept(await ClassicClient.login(suite.srv.tcpPort, name)),
    open: async () => kept(await ClassicClient.open(suite.srv.tcpPort)),
    closeClients: () => {
      for (const c of clients.splice(0)) c.socket.destroy();
    },
  };
  beforeEach(async () => {
    suite.srv = await startTestServer(env);
  });
  afterEach(async () => {
    suite.closeClients();
    await suite.srv.destroy();
  });
  return suite;
}

/** Waits for the next `n` chat lines the client gets. */
export async function waitAll(c: ClassicClient, n: number): Promise<void> {
  for (let i = 0; i < n; i++) await c.next('exchange');
}

/** A classic frame by hand: the payload's length in five digits, then the payload. */
export const frame = (payload: string): string => String(payload.length).padStart(5, '0') + payload;
