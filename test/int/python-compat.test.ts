/** A Python 3 program speaking the classic framing exactly as the course's chat_utils does. */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Proc } from '../helpers/process.js';
import { ROOT, startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
beforeEach(async () => {
  srv = await startTestServer();
});
afterEach(async () => {
  await srv.destroy();
});

it('runs a whole classic session from Python', async () => {
  const py = new Proc('python3', [`${ROOT}test/compat/classic_session.py`, String(srv.tcpPort)]);
  expect(await py.exited(20_000)).toBe(0);
  expect(py.err).toBe('');
  const steps = Object.fromEntries(
    py.out.trim().split('\n').map((line) => {
      const { step, got } = JSON.parse(line) as { step: string; got: Record<string, unknown> };
      return [step, got];
    }),
  );
  expect(steps['login zz']).toEqual({ action: 'login', status: 'ok' });
  expect(steps['login dup']).toMatchObject({ action: 'login', status: 'duplicate' });
  expect(steps['login peter']).toEqual({ action: 'login', status: 'ok' });
  expect(steps['time']?.['results']).toMatch(/^\d\d\.\d\d\.\d\d,\d\d:\d\d$/);
  expect(steps['list']?.['results']).toBe("Users: ------------\n{'zz': 0, 'peter': 0}\nGroups: -----------\n{}\n");
  expect(String(steps['poem 3']?.['results']).split('\n').slice(0, 3)).toEqual(['III.', '', 'Look in thy glass and tell the face thou viewest']);
  expect(steps['poem 0']?.['results']).toBe('');
  expect(steps['connect']).toMatchObject({ action: 'connect', status: 'success' });
  expect(steps['push to peter']).toMatchObject({ action: 'connect', status: 'request', from: 'zz' });
  expect(steps['exchange to peter']).toMatchObject({ action: 'exchange', from: '[zz]', message: 'Hi peter, café?' });
  expect(steps['search']?.['results']).toMatch(/^\(\d\d\.\d\d\.\d\d,\d\d:\d\d\) zz : Hi peter, café\?$/);
  expect(steps['disconnect to zz']).toMatchObject({ action: 'disconnect', msg: 'everyone left, you are alone' });
});
