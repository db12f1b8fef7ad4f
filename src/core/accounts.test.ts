import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SqliteAccounts } from '../store/sqlite-accounts.js';
import { SqliteHistory } from '../store/sqlite-history.js';
import type { Identity } from './accounts.js';
import { systemClock } from './clock.js';
import { Hub, type Session } from './hub.js';
import type { Logger } from './log.js';
import type { ServerEvent } from './protocol.js';
import { parseSonnets, SonnetBook } from './sonnets.js';

const quiet: Logger = { debug() {}, info() {}, warn() {}, error() {} };

let hub: Hub;
let history: SqliteHistory;
let accounts: SqliteAccounts;

beforeEach(() => {
  history = new SqliteHistory(':memory:');
  accounts = new SqliteAccounts(':memory:');
  hub = new Hub({ history, accounts, sonnets: new SonnetBook(parseSonnets('I.\n\nx\n')), clock: systemClock, log: quiet });
});

afterEach(async () => {
  await history.close();
  accounts.close();
});

function open(identity?: Identity): { session: Session; events: ServerEvent[] } {
  const events: ServerEvent[] = [];
  const session = hub.open({ front: 'test', deliver: (e) => events.push(e), ...(identity ? { identity } : {}) });
  return { session, events };
}

const discord = (id: string): Identity => ({ provider: 'discord', id });

describe('login with an identity', () => {
  it('derives the name from the handle, binds it, and keeps it on the next login', () => {
    const a = open(discord('1'));
    a.session.dispatch({ action: 'login', name: 'john.doe' });
    expect(a.events).toEqual([{ action: 'login', status: 'ok' }]);
    expect(a.session.name).toBe('john_doe');
    a.session.close();
    const again = open(discord('1'));
    again.session.dispatch({ action: 'login', name: 'renamed.later' });
    expect(again.session.name).toBe('john_doe');
  });

  it('gives a suffix when the derived name is owned, online, or has history of its own', () => {
    const owner = open(discord('1'));
    owner.session.dispatch({ action: 'login', name: 'peter' });
    const online = open();
    online.session.dispatch({ action: 'login', name: 'peter2' });
    history.opened(1);
    history.joined('peter3', 1);
    const late = open(discord('2'));
    late.session.dispatch({ action: 'login', name: 'Peter' });
    expect(late.session.name).toBe('Peter4');
  });

  it('refuses a bound name to a session without that identity, even when its owner is offline', () => {
    const owner = open(discord('1'));
    owner.session.dispatch({ action: 'login', name: 'alice' });
    owner.session.close();
    const classic = open();
    classic.session.dispatch({ action: 'login', name: 'ALICE' });
    expect(classic.events).toEqual([{ action: 'login', status: 'duplicate', msg: 'ALICE is registered to a discord account' }]);
    const other = open(discord('9'));
    other.session.dispatch({ action: 'login', name: 'alice' });
    expect(other.session.name).toBe('alice2');
  });

  it('answers duplicate when the same identity is already online', () => {
    open(discord('1')).session.dispatch({ action: 'login', name: 'zed' });
    const twice = open(discord('1'));
    twice.session.dispatch({ action: 'login', name: 'zed' });
    expect(twice.events).toEqual([{ action: 'login', status: 'duplicate', msg: 'zed is already online' }]);
    expect(twice.session.name).toBeNull();
  });
});
