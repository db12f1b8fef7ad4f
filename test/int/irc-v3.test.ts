/**
 * IRCv3 end to end with a real client library (irc-framework) on a server with its SQLite
 * history on disk: server-time, echo-message, msgid, labeled-response, and a CHATHISTORY round
 * trip in which a client that came back fills its gap, and no more than its gap.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { FrameworkClient, type FrameworkOptions, type IrcEvent } from '../helpers/irc-framework-client.js';
import { startTestServer, type TestServer } from '../helpers/server.js';

let srv: TestServer;
const open: FrameworkClient[] = [];

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await srv.destroy();
});

async function irc(nick: string, options: FrameworkOptions = {}): Promise<FrameworkClient> {
  const c = await FrameworkClient.connect(srv.ircPort, nick, undefined, options);
  open.push(c);
  return c;
}

const HISTORY: FrameworkOptions = { caps: ['draft/chathistory', 'labeled-response'] };

/** Joins a channel and waits for the client to see its own JOIN. */
async function join(c: FrameworkClient, channel: string): Promise<void> {
  c.client.join(channel);
  await c.next('join', (e) => e['nick'] === c.client.user.nick && e['channel'] === channel);
}

/** A line from `nick` in `channel`, as the client got it live. */
const line = (c: FrameworkClient, nick: string, message: string): Promise<IrcEvent> =>
  c.next('privmsg', (e) => e['nick'] === nick && e['message'] === message && e['batch'] === undefined);

const msgid = (e: IrcEvent): string => String((e['tags'] as Record<string, string>)['msgid']);

/** Sends a CHATHISTORY request and gives the texts of the chathistory batch that answers it. */
async function history(c: FrameworkClient, request: string): Promise<string[]> {
  c.client.raw(request);
  const batch = await c.next('batch end', (e) => e['type'] === 'chathistory');
  const lines = c.events.filter((e) => e.event === 'privmsg' && (e['batch'] as { id?: string } | undefined)?.id === batch['id']);
  for (const e of lines) c.events.splice(c.events.indexOf(e), 1);
  for (const e of lines) expect(Object.keys(e['tags'] as object)).toEqual(expect.arrayContaining(['time', 'msgid']));
  return lines.map((e) => String(e['message']));
}

describe('IRCv3 with irc-framework', () => {
  it('stamps every copy of a line with one time and one msgid, the echo to its sender included', async () => {
    srv = await startTestServer({ FRONTS: 'irc' });
    const zoe = await irc('zoe', { echo: true });
    const ann = await irc('ann');
    expect(zoe.client.network.cap.enabled).toEqual(expect.arrayContaining(['server-time', 'message-tags', 'echo-message', 'batch']));
    await join(zoe, '#tea');
    await join(ann, '#tea');
    zoe.client.say('#tea', 'hello');
    const echo = await line(zoe, 'zoe', 'hello');
    const seen = await line(ann, 'zoe', 'hello');
    expect(echo['target']).toBe('#tea');
    expect(msgid(echo)).toMatch(/^\d+-\d+$/);
    expect(msgid(seen)).toBe(msgid(echo));
    expect(seen['time']).toBe(echo['time']);
    expect(Math.abs(Number(echo['time']) - Date.now())).toBeLessThan(60_000);
    ann.client.say('#tea', 'hi');
    expect(msgid(await line(zoe, 'ann', 'hi'))).not.toBe(msgid(echo));
    // ann asked for no echo: her own line does not come back.
    zoe.client.say('#tea', 'still here');
    await line(ann, 'zoe', 'still here');
    expect(ann.events.some((e) => e.event === 'privmsg' && e['nick'] === 'ann')).toBe(false);
  });

  it('labels the reply to a labelled command', async () => {
    srv = await startTestServer({ FRONTS: 'irc' });
    const zoe = await irc('zoe', HISTORY);
    expect(zoe.client.network.cap.enabled).toContain('labeled-response');
    zoe.client.raw('@label=q1 PING :are-you-there');
    const reply = await zoe.next('raw', (e) => e['from_server'] === true && String(e['line']).startsWith('@label=q1 '));
    expect(String(reply['line']).trimEnd()).toBe('@label=q1 :ics-chat.local PONG ics-chat.local :are-you-there');
  });

  it('fills the gap of a client that came back with CHATHISTORY, never with lines from before it joined or while it was away, across a restart', async () => {
    srv = await startTestServer({ FRONTS: 'irc' });
    const ann = await irc('ann');
    await join(ann, '#tea');
    ann.client.say('#tea', 'before zoe');
    let zoe = await irc('zoe', HISTORY);
    await join(zoe, '#tea');
    ann.client.say('#tea', 'one');
    const last = msgid(await line(zoe, 'ann', 'one'));
    // zoe's client shows nothing after "one": "two" is lost with its connection.
    ann.client.say('#tea', 'two');
    await line(zoe, 'ann', 'two');
    zoe.close();
    await ann.next('quit', (e) => e['nick'] === 'zoe');
    ann.client.say('#tea', 'while zoe was away');
    zoe = await irc('zoe', HISTORY);
    await join(zoe, '#tea');
    ann.client.say('#tea', 'welcome back');
    await line(zoe, 'ann', 'welcome back');
    expect(await history(zoe, `CHATHISTORY AFTER #tea msgid=${last} 50`)).toEqual(['two', 'welcome back']);
    expect(await history(zoe, 'CHATHISTORY LATEST #tea * 50')).toEqual(['one', 'two', 'welcome back']);
    expect(await history(zoe, `CHATHISTORY BEFORE #tea msgid=${last} 50`)).toEqual([]);

    // The history is durable and its msgids are stable: the same page after a restart.
    for (const c of open.splice(0)) c.close();
    srv = await srv.restart();
    zoe = await irc('zoe', HISTORY);
    expect(await history(zoe, `CHATHISTORY AFTER #tea msgid=${last} 50`)).toEqual(['two', 'welcome back']);
  });
});
