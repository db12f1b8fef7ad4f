/**
 * A room's life across the nodes of a cluster: an invitation made on one node lets a user of
 * another past `+i`; a kick made on one node takes a user of another out of the room (told, and
 * sent no more of its lines) and tells the members on the third; a topic set on one node reaches
 * the members on the others and is shown to a user who joins later on a third. IRC commands and
 * the JSON actions of the web and native fronts, on three nodes over PostgreSQL and NATS.
 */
import { afterAll, afterEach, beforeAll, expect, it } from 'vitest';
import type { ClassicClient } from '../helpers/classic-client.js';
import { clusterNeed, hubHeardEverywhere, nodeClients, startCluster, type TestCluster } from '../helpers/cluster.js';
import type { RawIrc } from '../helpers/irc-raw.js';
import { describeNeeds } from '../helpers/needs.js';
import type { ServerProc } from '../helpers/server-proc.js';

const ENGINES = clusterNeed('invitations, kicks and topics reach users on other nodes');

describeNeeds(ENGINES)('cluster mode: a room across three nodes', () => {
  let cluster: TestCluster;
  let n1: ServerProc, n2: ServerProc, n3: ServerProc;
  const { classic, irc, web, closeAll } = nodeClients();

  beforeAll(async () => {
    cluster = await startCluster(['r1', 'r2', 'r3'], { leaseMs: 1500 });
    [n1, n2, n3] = cluster.nodes as [ServerProc, ServerProc, ServerProc];
    await hubHeardEverywhere(cluster);
  }, 60_000);

  afterEach(() => closeAll());

  afterAll(async () => {
    await cluster?.stop();
  });

  /** An IRC user of `node` who has joined `room` (its names list has come). */
  async function ircIn(node: ServerProc, nick: string, room: string): Promise<RawIrc> {
    const user = await irc(node, nick);
    user.send(`JOIN ${room}`);
    await user.expect(new RegExp(` 366 ${nick} ${room} `));
    return user;
  }

  /** A user of the course's client (with rooms and events) on `node` who has joined `room`. */
  async function classicIn(node: ServerProc, name: string, room: string): Promise<ClassicClient> {
    const user = await classic(node, name, ['events', 'rooms']);
    user.send({ action: 'connect', target: room });
    expect(await user.next('connect')).toMatchObject({ status: 'success', room });
    return user;
  }

  it('lets a web user on one node into an invite-only room with an invitation an IRC op made on another, and tells the members on a third', async () => {
    const ann = await ircIn(n1, 'ann', '#den');
    const kim = await classicIn(n3, 'kim', '#den');
    await ann.expect(/^:kim!\S+ JOIN :?#den/);
    ann.send('MODE #den +i');
    await ann.expect(/^:ann!\S+ MODE #den :?\+i$/);

    const bea = await web(n2, 'bea');
    bea.send({ action: 'connect', target: '#den' });
    expect(await bea.next('connect')).toMatchObject({ status: 'closed', refused: 'invite-only' });
    ann.send('INVITE bea #den');
    await ann.expect(/ 341 ann bea :?#den$/);
    expect(await bea.next('invite')).toMatchObject({ status: 'request', from: 'ann', front: 'irc', room: '#den' });
    expect(await kim.next('invite')).toMatchObject({ status: 'invited', from: 'ann', target: 'bea', room: '#den' });

    bea.send({ action: 'connect', target: '#den' });
    const joined = await bea.next('connect');
    expect(joined).toMatchObject({ status: 'success', room: '#den' });
    await ann.expect(/^:bea!\S+ JOIN :?#den/);
    expect(await kim.next('connect')).toMatchObject({ status: 'request', from: 'bea', room: '#den' });
    bea.send({ action: 'exchange', message: 'thanks for having me', group: joined['group'] });
    await ann.expect(/^:bea!\S+ PRIVMSG #den :thanks for having me$/);
    expect(await kim.next('exchange')).toMatchObject({ message: 'thanks for having me', name: 'bea' });
  });

  it('takes an IRC user on one node out of a room when a web op on another kicks them: they are told, the members on a third too, and no line reaches them after', async () => {
    const cat = await web(n2, 'cat');
    cat.send({ action: 'connect', target: '#pit' });
    const pit = (await cat.next('connect'))['group'];
    const dan = await ircIn(n3, 'dan', '#pit');
    const eve = await classicIn(n1, 'eve', '#pit');
    await dan.expect(/^:eve!\S+ JOIN :?#pit/);

    cat.send({ action: 'kick', target: 'dan', reason: 'too loud', group: pit });
    await dan.expect(/^:cat!\S+ KICK #pit dan :too loud$/);
    expect(await eve.nextWhere('dan to leave', (f) => f.action === 'leave')).toMatchObject({ name: 'dan', kickedBy: 'cat', reason: 'too loud', group: pit });
    expect(await cat.nextWhere('dan to leave', (f) => f.action === 'leave')).toMatchObject({ name: 'dan', kickedBy: 'cat', group: pit });

    // Out: the room's next lines reach the members left and not dan, whose own line is refused.
    cat.send({ action: 'exchange', message: 'quiet now', group: pit });
    expect(await eve.next('exchange')).toMatchObject({ message: 'quiet now', name: 'cat' });
    dan.send('PRIVMSG #pit :let me back');
    await dan.expect(/ 404 dan #pit /);
    eve.send({ action: 'exchange', message: 'said after dan tried' });
    expect(await cat.next('exchange')).toMatchObject({ message: 'said after dan tried' });
    const after = await dan.sync();
    expect(after.filter((l) => / PRIVMSG #pit /.test(l))).toEqual([]);
    cat.send({ action: 'list' });
    const list = await cat.next('list');
    expect((list['groups'] as { room?: string; members: string[] }[]).find((g) => g.room === '#pit')?.members.sort()).toEqual(['cat', 'eve']);
  });

  it('shows a topic set by IRC on one node to the members on the others, and to users joining later on a third', async () => {
    const fay = await ircIn(n1, 'fay', '#tea');
    const gus = await web(n2, 'gus');
    gus.send({ action: 'connect', target: '#tea' });
    const tea = (await gus.next('connect'))['group'];
    const hal = await classicIn(n3, 'hal', '#tea');
    await fay.expect(/^:hal!\S+ JOIN :?#tea/);

    fay.send('TOPIC #tea :sonnets only');
    await fay.expect(/^:fay!\S+ TOPIC #tea :sonnets only$/);
    expect(await gus.next('topic')).toMatchObject({ group: tea, topic: 'sonnets only', by: 'fay' });
    expect(await hal.next('topic')).toMatchObject({ group: tea, topic: 'sonnets only', by: 'fay' });

    const ida = await irc(n3, 'ida');
    ida.send('JOIN #tea');
    await ida.expect(/ 332 ida #tea :sonnets only$/);
    await ida.expect(/ 333 ida #tea fay/);
    const joy = await web(n3, 'joy');
    joy.send({ action: 'connect', target: '#tea' });
    expect(await joy.next('connect')).toMatchObject({ status: 'success', room: '#tea', topic: 'sonnets only', topicBy: 'fay' });
    ida.send('TOPIC #tea');
    await ida.expect(/ 332 ida #tea :sonnets only$/);
  });
});
