import { connect, type Socket } from 'node:net';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { clusterNeed } from '../../test/helpers/cluster.js';
import { freshDatabase, ownNats } from '../../test/helpers/engines.js';
import { describeNeeds } from '../../test/helpers/needs.js';
import { Proc } from '../../test/helpers/process.js';
import { waitFor } from '../../test/helpers/wait.js';
import { encodeFrame, FrameDecoder } from '../core/framing.js';
import type { LocalNats } from '../engines/nats.js';
import type { LocalPostgres } from '../engines/postgres.js';

/** A native-protocol client that keeps every frame it is sent. */
class Native {
  readonly frames: string[] = [];
  private readonly decoder = new FrameDecoder();

  private constructor(private readonly socket: Socket) {
    socket.on('data', (chunk: Buffer) => this.frames.push(...this.decoder.push(chunk).frames));
  }

  static async open(port: number): Promise<Native> {
    const socket = connect({ host: '127.0.0.1', port });
    await new Promise((resolve, reject) => socket.once('connect', resolve).once('error', reject));
    return new Native(socket);
  }

  send(action: object): void {
    this.socket.write(encodeFrame(JSON.stringify(action)));
  }

  async ask(action: object, reply: RegExp): Promise<void> {
    const from = this.frames.length;
    this.send(action);
    await waitFor(`a reply matching ${reply}`, () => this.frames.slice(from).some((f) => reply.test(f)));
  }

  close(): void {
    this.socket.destroy();
  }
}

describeNeeds(clusterNeed('the Node.js floor of cluster mode'))('the cluster floor (bench set-up)', () => {
  let nats: LocalNats;
  let database: { url: string; engine: LocalPostgres | null };
  const nodes: Proc[] = [];
  const clients: Native[] = [];

  beforeAll(async () => {
    [nats, database] = await Promise.all([ownNats(), freshDatabase('floor')]);
  });
  afterAll(async () => {
    for (const c of clients) c.close();
    for (const n of nodes) n.child.kill('SIGTERM');
    await Promise.all(nodes.map((n) => n.exited()));
    await nats?.stop();
    await database?.engine?.destroy();
  });

  it('stores a line, then relays it across nodes to the other members of its group only', async () => {
    const ports: number[] = [];
    for (const id of ['n1', 'n2']) {
      const node = new Proc(process.execPath, ['dist/bench/cluster-floor.js'], { DATABASE_URL: database.url, NATS_URL: nats.url, NODE_ID: id });
      nodes.push(node);
      ports.push(Number(/listening on (\d+)/.exec(await node.expectOut(/listening on \d+/))![1]));
    }
    const [ann, bob, cid] = await Promise.all([ports[0]!, ports[1]!, ports[1]!].map((port) => Native.open(port)));
    clients.push(ann!, bob!, cid!);
    for (const [c, name] of [[ann!, 'ann'], [bob!, 'bob'], [cid!, 'cid']] as const) await c.ask({ action: 'login', name }, /"login".*"ok"/);
    await bob!.ask({ action: 'connect', target: 'ann' }, /"connect".*"success"/);
    // The directory reaches every node over the bus: ann speaks until bob hears her.
    await waitFor('bob to hear ann', () => {
      ann!.send({ action: 'exchange', message: 'hello bob' });
      return bob!.frames.some((f) => f.startsWith('{"action": "exchange"'));
    });
    expect(bob!.frames.find((f) => f.startsWith('{"action": "exchange"'))).toBe('{"action": "exchange", "from": "[ann]", "message": "hello bob"}');
    const heard = bob!.frames.filter((f) => f.includes('hello bob')).length;
    const db = new pg.Client({ connectionString: database.url });
    await db.connect();
    try {
      const { rows } = await db.query<{ n: string }>("SELECT count(*) AS n FROM floor_lines WHERE sender = 'ann' AND text = 'hello bob'");
      expect(Number(rows[0]!.n)).toBeGreaterThanOrEqual(heard);
    } finally {
      await db.end();
    }
    expect(ann!.frames.some((f) => f.includes('hello bob'))).toBe(false);
    expect(cid!.frames.some((f) => f.includes('hello bob'))).toBe(false);
  });
});
