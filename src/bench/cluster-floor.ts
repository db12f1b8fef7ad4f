/**
 * Node.js's floor for cluster mode, measured beside the cluster: the least Node.js processes on
 * PostgreSQL and NATS do for the bench's native load. Each node accepts the native protocol's
 * login, `connect` and chat lines and nothing else. Who is on which node and in which group is
 * told to every node over the bus. A node stores its own clients' lines in PostgreSQL (one
 * multi-row INSERT, a transaction of its own, while none is out: PostgreSQL's durable defaults,
 * fsync on) and, once stored, writes them to its own clients in their groups and sends every other
 * node, in one message, the lines for its clients, which it writes: one write per connection per
 * turn. So a line crosses the bus once, and no process but the two nodes and the engines touches
 * it. No hub, acknowledgements, resends, order checks, presence, search index, limits or
 * hand-over state: what it costs is what Node.js, the `pg` and NATS clients, PostgreSQL and
 * nats-server cost for this load before any of cluster mode's promises.
 *
 * Run as `node dist/bench/cluster-floor.js` with DATABASE_URL, NATS_URL and NODE_ID; it prints
 * `listening on <port>` once it accepts.
 */
import { createServer, type Socket } from 'node:net';
import { connect } from '@nats-io/transport-node';
import pg from 'pg';
import { encodeFrame, FrameDecoder } from '../core/framing.js';

/** Who is where, told to every node: a login (with the node), a `connect` to a peer, a quit. */
type Directory = ['l', string, string] | ['j', string, string] | ['q', string];
/** A line for a client of the node it is sent to: (to, from, text). */
type Line = [string, string, string];

const env = (name: string): string => {
  const value = process.env[name];
  if (!value) throw new Error(`${name} is not set`);
  return value;
};
const node = env('NODE_ID');
const bus = await connect({ servers: env('NATS_URL'), name: `floor ${node}` });
const db = new pg.Client({ connectionString: env('DATABASE_URL') });
await db.connect();
await db.query(`CREATE TABLE IF NOT EXISTS floor_lines (id bigserial PRIMARY KEY, sender text NOT NULL, text text NOT NULL, ts timestamptz NOT NULL DEFAULT now())`);

class Client {
  name = '';
  private queue: Buffer[] = [];
  readonly decoder = new FrameDecoder();

  constructor(readonly socket: Socket) {}

  send(payload: string): void {
    if (this.queue.length === 0) dirty.add(this);
    this.queue.push(encodeFrame(payload));
  }

  flush(): void {
    if (!this.socket.destroyed) this.socket.write(this.queue.length === 1 ? this.queue[0]! : Buffer.concat(this.queue));
    this.queue = [];
  }
}

const clients = new Map<string, Client>();
const nodeOf = new Map<string, string>();
const groupOf = new Map<string, Set<string>>();
const dirty = new Set<Client>();
let told: Directory[] = [];
let pending: [string, string][] = [];
let storing = false;
let turnQueued = false;

/** What this turn queued leaves at its end: one write per connection, one message to the other nodes. */
function endOfTurn(): void {
  if (turnQueued) return;
  turnQueued = true;
  setImmediate(() => {
    turnQueued = false;
    for (const c of dirty) c.flush();
    dirty.clear();
    if (told.length === 0) return;
    bus.publish('floor.directory', JSON.stringify(told));
    told = [];
  });
}

function hearDirectory(batch: Directory[]): void {
  for (const m of batch) {
    if (m[0] === 'l') {
      nodeOf.set(m[1], m[2]);
    } else if (m[0] === 'j') {
      const group = groupOf.get(m[2]) ?? new Set([m[2]]);
      group.add(m[1]);
      groupOf.set(m[2], group);
      groupOf.set(m[1], group);
    } else {
      groupOf.get(m[1])?.delete(m[1]);
      groupOf.delete(m[1]);
      nodeOf.delete(m[1]);
    }
  }
}

function deliver(batch: Line[]): void {
  for (const [to, from, text] of batch) {
    clients.get(to)?.send(`{"action": "exchange", "from": ${JSON.stringify(`[${from}]`)}, "message": ${JSON.stringify(text)}}`);
  }
  endOfTurn();
}

/** Stores what is pending in one transaction, unless one is out; what comes meanwhile goes in the next. */
function store(): void {
  if (storing || pending.length === 0) return;
  const lines = pending;
  pending = [];
  storing = true;
  const insert = { name: 'floor_insert', text: 'INSERT INTO floor_lines (sender, text) SELECT * FROM unnest($1::text[], $2::text[])', values: [lines.map((l) => l[0]), lines.map((l) => l[1])] };
  db.query(insert).then(
    () => {
      storing = false;
      fanOut(lines);
      store();
    },
    (err: Error) => {
      process.stderr.write(`floor: insert failed: ${err.message}\n`);
      process.exit(1);
    },
  );
}

/** Stored lines to their groups' other members: this node's own at once, each other node's in one message. */
function fanOut(lines: [string, string][]): void {
  const out = new Map<string, Line[]>();
  for (const [from, text] of lines) {
    for (const to of groupOf.get(from) ?? []) {
      const at = to === from ? undefined : nodeOf.get(to);
      if (at === undefined) continue;
      let batch = out.get(at);
      if (!batch) out.set(at, (batch = []));
      batch.push([to, from, text]);
    }
  }
  for (const [at, batch] of out) {
    if (at === node) deliver(batch);
    else bus.publish(`floor.node.${at}`, JSON.stringify(batch));
  }
}

bus.subscribe('floor.directory', {
  callback: (err, msg) => {
    if (!err) hearDirectory(JSON.parse(msg.string()) as Directory[]);
  },
});
bus.subscribe(`floor.node.${node}`, {
  callback: (err, msg) => {
    if (!err) deliver(JSON.parse(msg.string()) as Line[]);
  },
});

function request(c: Client, payload: string): void {
  const m = JSON.parse(payload) as { action?: string; name?: string; target?: string; message?: string };
  if (m.action === 'login' && typeof m.name === 'string') {
    c.name = m.name;
    clients.set(c.name, c);
    told.push(['l', c.name, node]);
    c.send('{"action": "login", "status": "ok"}');
  } else if (m.action === 'connect' && typeof m.target === 'string') {
    told.push(['j', c.name, m.target]);
    c.send('{"action": "connect", "status": "success"}');
  } else if (m.action === 'exchange' && typeof m.message === 'string') {
    pending.push([c.name, m.message]);
  }
}

const server = createServer((socket) => {
  const c = new Client(socket);
  socket.setNoDelay(true);
  socket.on('data', (chunk: Buffer) => {
    for (const frame of c.decoder.push(chunk).frames) request(c, frame);
    store();
    endOfTurn();
  });
  socket.on('error', () => socket.destroy());
  socket.on('close', () => {
    if (c.name === '') return;
    clients.delete(c.name);
    told.push(['q', c.name]);
    endOfTurn();
  });
});
server.listen(0, '127.0.0.1', () => {
  const address = server.address();
  if (address !== null && typeof address === 'object') process.stdout.write(`listening on ${address.port}\n`);
});
process.on('SIGTERM', () => process.exit(0));
