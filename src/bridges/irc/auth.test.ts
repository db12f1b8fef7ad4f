import { describe, expect, it } from 'vitest';
import { ircHarness, type TestSession } from '../../../test/helpers/irc-session.js';
import { waitFor } from '../../../test/helpers/wait.js';

const b64 = (text: string): string => Buffer.from(text, 'utf8').toString('base64');

/** Collects a session's output until a line matches; returns everything up to and including it. */
async function until(t: TestSession, pattern: RegExp, seen: string[] = []): Promise<string[]> {
  return waitFor(`a line matching ${pattern} (so far: ${JSON.stringify(seen.slice(-4))})`, () => {
    seen.push(...t.take());
    return seen.some((l) => pattern.test(l)) ? seen : undefined;
  });
}

function setup() {
  const h = ircHarness();
  /** Registers `name` with `password` from another front, and logs it out. */
  const account = async (name: string, password: string): Promise<void> => {
    const events: { action: string; status?: string }[] = [];
    const session = h.hub.open({ front: 'tcp', deliver: (e) => events.push(e) });
    void session.dispatch({ action: 'login', name });
    void session.dispatch({ action: 'register', password });
    await waitFor('the registration', () => events.find((e) => e.action === 'register'));
    session.close();
  };
  /** A session that asked for the sasl capability and sent NICK and USER. */
  const saslClient = async (nick: string, address?: string): Promise<TestSession> => {
    const t = h.session(address ?? null);
    await t.send('CAP LS 302', 'CAP REQ :sasl', `NICK ${nick}`, `USER ${nick} 0 * :${nick}`);
    expect(t.take()).toEqual([':ics-chat.local CAP * LS :account-notify account-tag away-notify batch cap-notify chghost draft/chathistory echo-message extended-join invite-notify labeled-response message-tags multi-prefix sasl=PLAIN server-time setname userhost-in-names', ':ics-chat.local CAP * ACK :sasl']);
    return t;
  };
  return { ...h, account, saslClient };
}

describe('SASL PLAIN', () => {
  it('logs in to the account: 900 and 903, then registration under the account name', async () => {
    const { account, saslClient } = setup();
    await account('Alice', 'alices password');
    const t = await saslClient('guesty');
    await t.send('AUTHENTICATE PLAIN');
    expect(t.take()).toEqual(['AUTHENTICATE +']);
    // The command waits for the password check (off the event loop), and the lines after it with it.
    await t.send(`AUTHENTICATE ${b64('\0alice\0alices password')}`);
    expect(t.take()).toEqual([
      ':ics-chat.local 900 * Alice!guesty@irc Alice :You are now logged in as Alice',
      ':ics-chat.local 903 * :SASL authentication successful',
    ]);
    await t.send('CAP END');
    expect(t.take()[0]).toBe(':ics-chat.local 001 Alice :Welcome to the ICS chat IRC gateway, Alice!guesty@irc');
    await t.send('NICK other');
    expect(t.take()).toEqual([':ics-chat.local 902 Alice :You must use a nick assigned to you (you are logged in to the account Alice: your name is its name)']);
    expect(t.s.nick).toBe('Alice');
  });

  it('answers a wrong password with 904; the client may then go on as a guest, not as the account', async () => {
    const { account, saslClient } = setup();
    await account('bob', 'bobs password');
    const t = await saslClient('bob');
    await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${b64('bob\0bob\0not it')}`);
    expect(await until(t, / 904 /)).toEqual(['AUTHENTICATE +', ':ics-chat.local 904 * :SASL authentication failed: wrong password for bob']);
    await t.send('CAP END');
    expect(t.take()).toEqual([
      ':ics-chat.local 433 * bob :Nickname is already in use (this name is registered: connect with its password (PASS or SASL), or choose another nick)',
    ]);
    await t.send('NICK bob_');
    expect(t.take()[0]).toContain(' 001 bob_ ');
  });

  it('waits for the check when CAP END comes before the answer', async () => {
    const { account, saslClient } = setup();
    await account('cleo', 'cleos password');
    const t = await saslClient('cleo');
    await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${b64('\0cleo\0cleos password')}`, 'CAP END');
    const lines = await until(t, / 001 /);
    expect(lines.slice(0, 3).map((l) => l.split(' ')[1])).toEqual(['+', '900', '903']);
  });

  it('reads a payload sent in 400-character chunks', async () => {
    const { account, saslClient } = setup();
    const password = '🔑'.repeat(100);
    await account('dana', password);
    const payload = b64(`\0dana\0${password}`);
    expect(payload.length).toBeGreaterThan(400);
    const t = await saslClient('dana');
    await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${payload.slice(0, 400)}`);
    expect(t.take()).toEqual(['AUTHENTICATE +']);
    await t.send(`AUTHENTICATE ${payload.slice(400)}`);
    expect(await until(t, / 903 /)).toContain(':ics-chat.local 903 * :SASL authentication successful');
  });

  it('refuses what it does not offer or cannot read, and one exchange too many', async () => {
    const { account, saslClient, session } = setup();
    await account('eve', 'eves password');
    const bare = session();
    await bare.send('AUTHENTICATE PLAIN');
    expect(bare.take()).toEqual([':ics-chat.local 904 * :SASL authentication failed: request the sasl capability first (CAP REQ :sasl)']);
    const t = await saslClient('eve');
    await t.send('AUTHENTICATE EXTERNAL');
    expect(t.take()).toEqual([':ics-chat.local 908 * PLAIN :are available SASL mechanisms', ':ics-chat.local 904 * :SASL authentication failed']);
    await t.send('AUTHENTICATE PLAIN', 'AUTHENTICATE *');
    expect(t.take()).toEqual(['AUTHENTICATE +', ':ics-chat.local 906 * :SASL authentication aborted']);
    for (const bad of ['!!!not base64', b64('just one field'), b64('mallory\0eve\0eves password')]) {
      await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${bad}`);
      expect(t.take()).toEqual(['AUTHENTICATE +', ':ics-chat.local 904 * :SASL authentication failed: send authzid, authcid and password separated by NUL, in base64']);
    }
    await t.send('AUTHENTICATE PLAIN', ...Array<string>(4).fill(`AUTHENTICATE ${'A'.repeat(400)}`));
    expect(t.take()).toEqual(['AUTHENTICATE +', ':ics-chat.local 905 * :SASL message too long']);
    await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${b64('\0eve\0eves password')}`);
    await until(t, / 903 /);
    await t.send('AUTHENTICATE PLAIN');
    expect(t.take()).toEqual([':ics-chat.local 907 * :You have already authenticated, or registered without it']);
  });

  it('is limited per name like every password login, and says when to retry', async () => {
    const { account, saslClient } = setup();
    await account('finn', 'finns password');
    for (let i = 0; i < 5; i++) {
      const t = await saslClient(`guess${i}`, `10.1.0.${i}`);
      await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${b64(`\0finn\0guess ${i}`)}`);
      await until(t, / 904 /);
    }
    const t = await saslClient('late', '10.2.0.1');
    await t.send('AUTHENTICATE PLAIN', `AUTHENTICATE ${b64('\0finn\0finns password')}`);
    expect((await until(t, / 904 /)).at(-1)).toBe(':ics-chat.local 904 * :SASL authentication failed: too many failed logins for finn: try again in 60 s');
  });
});

describe('PASS', () => {
  it('logs in to the nick\'s account with its password', async () => {
    const { account, session } = setup();
    await account('gil', 'gils password');
    const t = session();
    await t.send('PASS :gils password', 'NICK GIL', 'USER gil 0 * :Gil');
    const lines = await until(t, / 001 /);
    expect(lines[0]).toBe(':ics-chat.local 900 * gil!gil@irc gil :You are now logged in as gil');
    expect(lines[1]).toBe(':ics-chat.local 001 gil :Welcome to the ICS chat IRC gateway, gil!gil@irc');
  });

  it('closes the connection on a wrong password (464)', async () => {
    const { account, session } = setup();
    await account('hana', 'hanas password');
    const t = session();
    await t.send('PASS wrong', 'NICK hana', 'USER hana 0 * :Hana');
    expect(await until(t, / 464 /)).toEqual([':ics-chat.local 464 * :Password incorrect']);
    expect(t.closedWith).toBe('Closing Link: hana (wrong password for hana)');
  });

  it('lets a guest whose nick nobody registered in, and says the PASS was not needed', async () => {
    const { session } = setup();
    const t = session();
    await t.send('PASS something', 'NICK ike', 'USER ike 0 * :Ike');
    const lines = await until(t, / 001 /);
    expect(lines[0]).toBe(':ics-chat.local NOTICE * :Your PASS was not needed: ike is not registered.');
  });

  it('refuses a registered nick without PASS or SASL (433), as the classic client is refused', async () => {
    const { account, session } = setup();
    await account('jay', 'jays password');
    const t = session();
    await t.send('NICK jay', 'USER jay 0 * :Jay');
    expect(t.take()).toEqual([
      ':ics-chat.local 433 * jay :Nickname is already in use (this name is registered: connect with its password (PASS or SASL), or choose another nick)',
    ]);
  });
});

describe('register from IRC', () => {
  it('registers the nick with /msg ics register <password>, and says 900', async () => {
    const { irc } = setup();
    const t = await irc('kai');
    await t.send('PRIVMSG ics :register');
    expect(t.take()).toEqual([
      ':ics!ics@ics-chat.local NOTICE kai :IRC cannot ask for a password: send it along, /msg ics register <password> (at least 8 characters). From then on, connect with it as your PASS or through SASL.',
    ]);
    await t.send('PRIVMSG ics :register short');
    expect(await until(t, /NOTICE/)).toEqual([':ics!ics@ics-chat.local NOTICE kai :Not registered: a password has at least 8 characters.']);
    await t.send('PRIVMSG ics :register kais password');
    expect(await until(t, /NOTICE/)).toEqual([
      ':ics-chat.local 900 kai kai!kai@irc kai :You are now logged in as kai',
      ':ics!ics@ics-chat.local NOTICE kai :kai is registered: from now on, logging in as kai takes your password',
    ]);
  });
});
