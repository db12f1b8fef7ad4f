import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { waitFor } from '../../test/helpers/wait.js';
import { Hub } from '../core/hub.js';
import { ScryptHasher } from '../core/passwords.js';
import type { ServerEvent } from '../core/protocol.js';
import { parseSonnets, SonnetBook } from '../core/sonnets.js';
import { SqliteAccounts } from './sqlite-accounts.js';
import { SqliteHistory } from './sqlite-history.js';

const quiet = (): undefined => undefined;
const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

/** A hub on the SQLite stores in `file`, and a way to run a user's actions and wait for one answer. */
function start(file: string) {
  const history = new SqliteHistory(file);
  const accounts = new SqliteAccounts(file);
  const hub = new Hub({ history, accounts, sonnets: new SonnetBook(parseSonnets('I.\n\nx\n')), clock: { now: () => new Date() }, log: { debug: quiet, info: quiet, warn: quiet, error: quiet }, passwords: new ScryptHasher({ logN: 10, r: 8, p: 1 }) });
  const user = () => {
    const events: ServerEvent[] = [];
    const session = hub.open({ front: 'test', deliver: (e) => events.push(e) });
    return { session, answer: (action: string) => waitFor(`a ${action} event`, () => events.find((e) => e.action === action)) };
  };
  return { hub, user, stop: async () => { await history.close(); accounts.close(); } };
}

it('keeps an account, its history and a direct conversation across a restart', async () => {
  const dir = mkdtempSync(join(tmpdir(), 'ics-restart-'));
  dirs.push(dir);
  const file = join(dir, 'history.db');
  let server = start(file);
  const tom = server.user();
  const una = server.user();
  void tom.session.dispatch({ action: 'login', name: 'tom' });
  void una.session.dispatch({ action: 'login', name: 'una' });
  void tom.session.dispatch({ action: 'register', password: 'toms password' });
  expect(await tom.answer('register')).toMatchObject({ status: 'ok' });
  void tom.session.dispatch({ action: 'direct', target: 'una', message: 'remember me' });
  const first = await tom.answer('direct');
  server.hub.flush();
  await server.stop();

  server = start(file);
  const back = server.user();
  const again = server.user();
  void back.session.dispatch({ action: 'login', name: 'tom', password: 'toms password' });
  void again.session.dispatch({ action: 'login', name: 'una' });
  expect(await back.answer('login')).toMatchObject({ status: 'ok', registered: true });
  void back.session.dispatch({ action: 'search', target: 'remember' });
  expect(await back.answer('search')).toMatchObject({ matches: [{ message: 'remember me', label: 'tom+una' }] });
  void back.session.dispatch({ action: 'direct', target: 'una', message: 'still here' });
  expect(await back.answer('direct')).toMatchObject({ group: (first as { group: number }).group, seq: 2 });
  await server.stop();
});
