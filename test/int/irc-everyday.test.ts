/**
 * An IRC user's everyday habits with real clients, one scenario each for irssi and WeeChat: join
 * two channels, a refused `/topic` under `+t` (the room's operator is bob, a native-front user
 * who then sets it), a chat command typed in the channel refused there, a query with bob,
 * `/whois`, `/away`, `/nick` and `/names`. What the client
 * shows is read from its logs (and irssi's screen), what bob sees from his frames; every wait is
 * bounded. Installed by scripts/install-test-deps.sh; without the programs the tests say so.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { ClassicClient } from '../helpers/classic-client.js';
import { irssi, weechat, type Cleanups } from '../helpers/irc-programs.js';
import { describeNeeds, programsNeed } from '../helpers/needs.js';
import { startTestServer, type TestServer } from '../helpers/server.js';
import { waitFor } from '../helpers/wait.js';

/** The clients answer within their own pacing, which a loaded machine slows down. */
const CLIENT_MS = 15_000;

let srv: TestServer;
let dir: string;
const cleanups: Cleanups = [];

beforeEach(async () => {
  srv = await startTestServer({ FRONTS: 'tcp,irc' });
  dir = mkdtempSync(join(tmpdir(), 'ics-chat-irc-everyday-'));
});

afterEach(async () => {
  for (const clean of cleanups.splice(0).reverse()) await clean();
  await srv.destroy();
  rmSync(dir, { recursive: true, force: true });
});

/** bob, on the native front with many groups, opens #rules and makes it `+t`: he is its only operator. */
async function bobWithRules(): Promise<{ bob: ClassicClient; rules: number }> {
  const bob = await ClassicClient.login(srv.tcpPort, 'bob', ['events', 'rooms']);
  cleanups.push(() => void bob.socket.destroy());
  bob.send({ action: 'connect', target: '#rules' });
  const rules = Number((await bob.nextWhere('bob in #rules', (f) => f.action === 'connect' && f['status'] === 'success'))['group']);
  bob.send({ action: 'mode', group: rules, changes: [{ mode: 't', on: true }] });
  await bob.nextWhere('+t', (f) => f.action === 'mode' && f['status'] === 'changed');
  return { bob, rules };
}

/** What bob must see of the IRC user `nick` going through the scenario, step by step. */
const bobSees = {
  query: (bob: ClassicClient, nick: string) => bob.nextWhere(`${nick}'s private line`, (f) => f.action === 'exchange' && f['direct'] === true && f['name'] === nick, CLIENT_MS),
  away: (bob: ClassicClient, nick: string) => bob.nextWhere(`${nick} away`, (f) => f.action === 'away' && f['name'] === nick && f['message'] === 'at lunch', CLIENT_MS),
  rename: (bob: ClassicClient, old: string, name: string) => bob.nextWhere(`${old} renamed`, (f) => f.action === 'rename' && f['old'] === old && f['name'] === name, CLIENT_MS),
};

describeNeeds(programsNeed(['irssi', 'tmux'], 'irssi joins two channels, queries, whois, away, nick, names and topic under +t'))('irssi, everyday', () => {
  it('joins two channels, is refused the topic under +t, queries bob, and does /whois, /away, /nick and /names', async () => {
    const { bob, rules } = await bobWithRules();
    const ivy = irssi(dir, srv.ircPort, 'ivy', cleanups);
    await waitFor('irssi to register', () => srv.server.hub.onlineCount() === 2, CLIENT_MS);
    ivy.type('/join #rules,#chat');
    await waitFor('irssi in #rules and #chat', () => ivy.log('#rules').includes('has joined #rules') && ivy.log('#chat').includes('has joined #chat'), CLIENT_MS);
    // irssi shows replies that name no window of its own in the active one: #rules, on screen.
    ivy.type('/window goto #rules');
    ivy.type('/topic #rules mine now');
    await waitFor('the 482 in irssi', () => ivy.seen().includes('only operators of #rules can set its topic (+t)'), CLIENT_MS);
    // A chat command typed in the channel (sent as text with /msg #rules) is refused in that channel's window.
    ivy.type('/msg #rules /lock');
    await waitFor('the refusal in the #rules window', () => /ics.*#rules.*only operators of #rules can lock it/.test(ivy.log('#rules')), CLIENT_MS);
    bob.send({ action: 'topic', topic: 'be kind', group: rules });
    await waitFor("bob's topic in irssi's #rules", () => ivy.log('#rules').includes('bob changed the topic of #rules to: be kind'), CLIENT_MS);
    ivy.type('/msg bob hi bob');
    expect(await bobSees.query(bob, 'ivy')).toMatchObject({ message: 'hi bob' });
    bob.send({ action: 'direct', target: 'ivy', message: 'hello ivy' });
    await waitFor("bob's answer in irssi's query window", () => ivy.log('bob').includes('bob> hello ivy'), CLIENT_MS);
    // irssi shows AWAY's and NICK's replies in its status window (1), which is not logged: put it on screen.
    ivy.type('/window goto 1');
    ivy.type('/whois bob');
    await waitFor('the whois in irssi', () => /bob on the tcp front/.test(ivy.seen()) && /#rules/.test(ivy.seen()), CLIENT_MS);
    ivy.type('/away at lunch');
    await bobSees.away(bob, 'ivy');
    await waitFor('306 in irssi', () => ivy.seen().includes('You have been marked as being away'), CLIENT_MS);
    ivy.type('/nick ivy2');
    await bobSees.rename(bob, 'ivy', 'ivy2');
    await waitFor('the new nick in irssi', () => ivy.seen().includes("You're now known as ivy2"), CLIENT_MS);
    ivy.type('/window goto #rules');
    ivy.type('/names');
    await waitFor('the names in irssi', () => ivy.log('#rules').includes('[@bob] [ ivy2]'), CLIENT_MS);
    expect(ivy.log('#chat')).not.toContain('be kind');
  });
});

describeNeeds(programsNeed(['weechat-headless'], 'WeeChat joins two channels, queries, whois, away, nick, names and topic under +t'))('WeeChat, everyday', () => {
  it('joins two channels, is refused the topic under +t, queries bob, and does /whois, /away, /nick and /names', async () => {
    const { bob, rules } = await bobWithRules();
    const wee = await weechat(dir, [`/server add ics 127.0.0.1/${srv.ircPort} -notls -nicks=wendy`, '/connect ics'], cleanups);
    const server = 'irc.server.ics';
    const channel = 'irc.ics.#rules';
    await waitFor('WeeChat to register', () => wee.log(server).includes('Welcome to the ICS chat IRC gateway, wendy!'), CLIENT_MS);
    wee.run(server, '/join #rules,#chat');
    await waitFor('WeeChat in #rules and #chat', () => /has joined #rules/.test(wee.log(channel)) && /has joined #chat/.test(wee.log('irc.ics.#chat')), CLIENT_MS);
    wee.run(channel, '/topic mine now');
    await waitFor('the 482 in WeeChat', () => wee.seen().includes('only operators of #rules can set its topic (+t)'), CLIENT_MS);
    // A chat command typed in the channel (sent as text with /say) is refused in that channel's buffer.
    wee.run(channel, '/say /lock');
    await waitFor('the refusal in the #rules buffer', () => /ics.*only operators of #rules can lock it/.test(wee.log(channel)), CLIENT_MS);
    bob.send({ action: 'topic', topic: 'be kind', group: rules });
    await waitFor("bob's topic in WeeChat's #rules", () => /bob has changed topic for #rules (from "[^"]*" )?to "be kind"/.test(wee.log(channel)), CLIENT_MS);
    wee.run(server, '/msg bob hi bob');
    expect(await bobSees.query(bob, 'wendy')).toMatchObject({ message: 'hi bob' });
    bob.send({ action: 'direct', target: 'wendy', message: 'hello wendy' });
    await waitFor("bob's answer in WeeChat's private buffer", () => wee.log('irc.ics.bob').includes('\tbob\thello wendy'), CLIENT_MS);
    wee.run(server, '/whois bob');
    await waitFor('the whois in WeeChat', () => wee.seen().includes('bob on the tcp front'), CLIENT_MS);
    wee.run(server, '/away at lunch');
    await bobSees.away(bob, 'wendy');
    wee.run(server, '/nick wendy2');
    await bobSees.rename(bob, 'wendy', 'wendy2');
    await waitFor('the new nick in WeeChat', () => /You are now known as wendy2/.test(wee.seen()), CLIENT_MS);
    wee.run(channel, '/names');
    await waitFor('the names in WeeChat', () => /Nicks #rules: \[@bob wendy2\]/.test(wee.log(channel)), CLIENT_MS);
    expect(wee.log('irc.ics.#chat')).not.toContain('be kind');
  });
});
