import { afterEach, describe, expect, it } from 'vitest';
import { RawIrc } from '../../test/helpers/irc-raw.js';
import { Proc } from '../../test/helpers/process.js';
import { waitFor } from '../../test/helpers/wait.js';

const running: Proc[] = [];
const clients: RawIrc[] = [];

afterEach(async () => {
  for (const c of clients.splice(0)) c.close();
  for (const p of running.splice(0)) {
    p.child.kill('SIGTERM');
    await p.exited();
  }
});

/** A raw IRC client registered with the floor as `nick`. */
async function client(port: number, nick: string): Promise<RawIrc> {
  const c = await RawIrc.open(port);
  clients.push(c);
  c.send(`NICK ${nick}`, `USER ${nick} 0 * :bench`);
  await c.expect(new RegExp(`^:floor 001 ${nick} `));
  return c;
}

describe('the Node.js floor (bench peer)', () => {
  it('registers nicks, joins a channel and relays a line to its other members only', async () => {
    const floor = new Proc(process.execPath, ['dist/bench/floor-server.js']);
    running.push(floor);
    const port = Number(/listening on (\d+)/.exec(await floor.expectOut(/listening on \d+/))![1]);
    const [ann, bob, cid] = await Promise.all(['ann', 'bob', 'cid'].map((n) => client(port, n)));
    for (const c of [ann!, bob!, cid!]) {
      c.send('JOIN #r');
      await c.expect(/^:floor 366 \w+ #r /);
    }
    // Members are told of each join after theirs, as IRC servers do.
    const joins = (): string[] => ann!.lines.filter((l) => l.endsWith(' JOIN #r'));
    await waitFor('the three joins at ann', () => joins().length === 3);
    expect(joins()).toEqual([':ann!ann@floor JOIN #r', ':bob!bob@floor JOIN #r', ':cid!cid@floor JOIN #r']);
    ann!.send('PRIVMSG #r :hello there');
    for (const c of [bob!, cid!]) expect(await c.expect(/ PRIVMSG /)).toBe(':ann!ann@floor PRIVMSG #r :hello there');
    ann!.send('PING x');
    await ann!.expect(/ PONG floor x$/);
    expect(ann!.lines.some((l) => l.includes('PRIVMSG'))).toBe(false);
  });
});
