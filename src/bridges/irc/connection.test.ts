/**
 * The connection over a real loopback socket, in front of a hub whose `list` answer waits until
 * the test releases it: later lines wait behind a command that waits for the hub, in order, and
 * no more of them wait than the throttle lets through at once and holds back.
 */
import { connect, createServer, type Server, type Socket } from 'node:net';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { sinkOf, type Session, type SessionOptions } from '../../core/session.js';
import { Admission } from '../../net/admission.js';
import { readConfig } from '../../server/config.js';
import { waitFor } from '../../../test/helpers/wait.js';
import { sharedState, type IrcShared } from './client.js';
import { IrcConnection } from './connection.js';

const quiet = { debug: () => undefined, info: () => undefined, warn: () => undefined, error: () => undefined };

/** A hub that logs anyone in and answers `list` (with nobody): the welcome's at once, later ones only once released. */
function slowHub() {
  let release = (): void => undefined;
  const released = new Promise<void>((resolve) => (release = resolve));
  const asked: string[] = [];
  const open = (options: SessionOptions): Session => ({
    name: null,
    dispatch: async (action, label) => {
      asked.push(action.action);
      if (action.action === 'login') sinkOf(options).deliver({ action: 'login', status: 'ok' }, label);
      if (action.action === 'counts') sinkOf(options).deliver({ action: 'counts', users: 1, groups: 0 }, label);
      if (action.action === 'list') {
        await released;
        sinkOf(options).deliver({ action: 'list', results: '', users: [], groups: [] }, label);
      }
    },
    authenticate: () => Promise.reject(new Error('not in this test')),
    reject: () => undefined,
    want: () => undefined,
    close: () => undefined,
  });
  return { open, asked, release };
}

let server: Server | null = null;
const sockets: Socket[] = [];

afterEach(() => {
  vi.useRealTimers();
  for (const s of sockets.splice(0)) s.destroy();
  server?.close();
  server = null;
});

/** A client socket connected to an IrcConnection; `lines` is everything the server sent. */
async function connection(env: Record<string, string>, hub: ReturnType<typeof slowHub>): Promise<{ client: Socket; lines: string[] }> {
  const config = readConfig({ ...env, LOG_LEVEL: 'error' });
  const shared: IrcShared = sharedState({ config: config.irc, motd: [], startedAt: new Date(0), clock: { now: () => new Date(0) }, log: quiet, open: hub.open });
  const admission = new Admission(config.admission, quiet);
  server = createServer((socket) => {
    sockets.push(socket);
    const verdict = admission.admit(socket.remoteAddress);
    if (verdict.ok) new IrcConnection(socket, shared, verdict.ticket, () => undefined);
  });
  await new Promise<void>((resolve) => server!.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  const client = connect(address.port, '127.0.0.1');
  sockets.push(client);
  const lines: string[] = [];
  let partial = '';
  client.setEncoding('utf8');
  client.on('data', (text: string) => {
    const parts = (partial + text).split('\r\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  await new Promise<void>((resolve) => client.once('connect', resolve));
  return { client, lines };
}

describe('IrcConnection', () => {
  it('runs each line after the one before has finished, holding at most burst + queue lines meanwhile', async () => {
    vi.useFakeTimers({ toFake: ['performance'] });
    const hub = slowHub();
    // Two lines at once, then one a second, none held back by the throttle: at most 2 wait.
    const { client, lines } = await connection({ FLOOD_BURST: '2', FLOOD_RATE: '1', FLOOD_QUEUE: '0' }, hub);
    client.write('NICK zoe\r\nUSER zoe 0 * :Zoe\r\n');
    await waitFor('the welcome', () => lines.some((l) => l.includes(' NOTICE zoe :Hi zoe!')));
    lines.length = 0;
    vi.advanceTimersByTime(10_000);
    client.write('WHO *\r\nPING :a\r\n');
    await waitFor('WHO to ask the hub', () => hub.asked.filter((a) => a === 'list').length === 1);
    vi.advanceTimersByTime(1000);
    client.write('PING :b\r\n');
    // Whether b is read before or after this second, it finds a token and the last place to wait.
    vi.advanceTimersByTime(1000);
    client.write('PING :c\r\n');
    expect(await waitFor('the refusal of PING :c', () => lines.find((l) => l.includes('too fast')))).toBe(
      ':ics-chat.local NOTICE zoe :You are sending too fast: this line was dropped: PING :c ... Wait a moment and send it again.',
    );
    expect(lines.filter((l) => l.includes('PONG'))).toEqual([]);
    hub.release();
    await waitFor('both PONGs', () => lines.filter((l) => l.includes('PONG')).length === 2);
    expect(lines).toEqual([
      ':ics-chat.local NOTICE zoe :You are sending too fast: this line was dropped: PING :c ... Wait a moment and send it again.',
      ':ics-chat.local 315 zoe * :End of WHO list',
      ':ics-chat.local PONG ics-chat.local :a',
      ':ics-chat.local PONG ics-chat.local :b',
    ]);
  });
});
