/**
 * Node.js's floor for a chat server, measured beside the peers: the least an IRC server written
 * for Node.js can do for the benchmark's load. It registers a nick, joins channels and relays each
 * PRIVMSG to the channel's other members, and nothing else: no history, no validation beyond
 * splitting lines, no limits, no accounts. What one turn queues for a connection leaves in one
 * write at the turn's end, as ours does. Its CPU per delivered line and its memory per connection
 * are what Node.js itself costs (net.Socket, libuv, the collector) before any chat server's work,
 * so the gap between it and a C++ server is the part no JavaScript code can close.
 *
 * Run as `node dist/bench/floor-server.js`; it prints `listening on <port>` once it accepts.
 */
import { createServer, type Socket } from 'node:net';

class Client {
  nick = '';
  registered = false;
  prefix = '';
  readonly channels = new Set<string>();
  private partial = '';
  private queue: string[] = [];

  constructor(readonly socket: Socket) {}

  /** Complete lines from a chunk (CR LF or LF), the rest kept for the next. */
  lines(chunk: string): string[] {
    const text = this.partial + chunk;
    const lines = text.split('\n');
    this.partial = lines.pop()!;
    return lines;
  }

  send(line: string): void {
    if (this.queue.length === 0) dirty.push(this);
    this.queue.push(line);
  }

  flush(): void {
    if (this.queue.length === 0 || this.socket.destroyed) return;
    this.socket.write(this.queue.length === 1 ? this.queue[0]! : this.queue.join(''));
    this.queue = [];
  }
}

const channels = new Map<string, Set<Client>>();
let dirty: Client[] = [];
let flushing = false;

/** Everything queued this turn leaves at its end, one write per connection. */
function schedule(): void {
  if (flushing || dirty.length === 0) return;
  flushing = true;
  setImmediate(() => {
    flushing = false;
    const now = dirty;
    dirty = [];
    for (const c of now) c.flush();
  });
}

function command(c: Client, line: string): void {
  const text = line.endsWith('\r') ? line.slice(0, -1) : line;
  const space = text.indexOf(' ');
  const verb = (space < 0 ? text : text.slice(0, space)).toUpperCase();
  const rest = space < 0 ? '' : text.slice(space + 1);
  switch (verb) {
    case 'NICK':
      c.nick = rest.split(' ')[0]!;
      c.prefix = `:${c.nick}!${c.nick}@floor`;
      return;
    case 'USER':
      if (!c.registered && c.nick !== '') {
        c.registered = true;
        c.send(`:floor 001 ${c.nick} :Welcome\r\n`);
      }
      return;
    case 'PING':
      c.send(`:floor PONG floor ${rest}\r\n`);
      return;
    case 'JOIN':
      for (const name of rest.split(' ')[0]!.split(',')) {
        let members = channels.get(name);
        if (!members) channels.set(name, (members = new Set()));
        if (members.has(c)) continue;
        members.add(c);
        c.channels.add(name);
        const joined = `${c.prefix} JOIN ${name}\r\n`;
        for (const m of members) m.send(joined);
        c.send(`:floor 366 ${c.nick} ${name} :End of /NAMES list.\r\n`);
      }
      return;
    case 'PRIVMSG': {
      const target = rest.slice(0, rest.indexOf(' '));
      const members = channels.get(target);
      if (!members) return;
      const relayed = `${c.prefix} ${text}\r\n`;
      for (const m of members) if (m !== c) m.send(relayed);
      return;
    }
  }
}

function leave(c: Client): void {
  for (const name of c.channels) {
    const members = channels.get(name)!;
    members.delete(c);
    if (members.size === 0) channels.delete(name);
  }
  c.channels.clear();
}

const server = createServer((socket) => {
  const c = new Client(socket);
  socket.setEncoding('utf8');
  socket.setNoDelay(true);
  socket.on('data', (chunk: string) => {
    for (const line of c.lines(chunk)) command(c, line);
    schedule();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => leave(c));
});
server.listen(Number(process.env['PORT'] ?? 0), '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`listening on ${address.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
