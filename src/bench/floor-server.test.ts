import { connect, type Socket } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Proc } from '../../test/helpers/process.js';
import { waitFor } from '../../test/helpers/wait.js';

const running: Proc[] = [];
const sockets: Socket[] = [];

afterEach(async () => {
  for (const s of sockets.splice(0)) s.destroy();
  for (const p of running.splice(0)) {
    p.child.kill('SIGTERM');
    await p.exited();
  }
});

/** An IRC connection to the floor that keeps every line it gets. */
async function client(port: number, nick: string): Promise<{ lines: string[]; send(text: string): void; expect(pattern: RegExp): Promise<string> }> {
  const socket = connect(port, '127.0.0.1');
  sockets.push(socket);
  const lines: string[] = [];
  let partial = '';
  socket.setEncoding('utf8').on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\r\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  let seen = 0;
  const c = {
    lines,
    send: (text: string) => void socket.write(`${text}\r\n`),
    expect: (pattern: RegExp) =>
      waitFor(`${nick} to get ${String(pattern)} (got ${JSON.stringify(lines.slice(seen))})`, () => {
        const at = lines.findIndex((l, i) => i >= seen && pattern.test(l));
        if (at < 0) return null;
        seen = at + 1;
        return lines[at];
      }),
  };
  c.send(`NICK ${nick}`);
  c.send(`USER ${nick} 0 * :bench`);
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
    await ann!.expect(/^:cid!cid@floor JOIN #r$/);
    expect(ann!.lines.filter((l) => l.endsWith(' JOIN #r'))).toEqual([':ann!ann@floor JOIN #r', ':bob!bob@floor JOIN #r', ':cid!cid@floor JOIN #r']);
    ann!.send('PRIVMSG #r :hello there');
    for (const c of [bob!, cid!]) expect(await c.expect(/ PRIVMSG /)).toBe(':ann!ann@floor PRIVMSG #r :hello there');
    ann!.send('PING x');
    await ann!.expect(/ PONG floor x$/);
    expect(ann!.lines.some((l) => l.includes('PRIVMSG'))).toBe(false);
  });
});
