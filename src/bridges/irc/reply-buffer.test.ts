import { describe, expect, it } from 'vitest';
import { ReplyBuffer } from './reply-buffer.js';

const buffer = (): ReplyBuffer => new ReplyBuffer({ serverName: 'irc.test', serviceMask: 'ics!ics@irc.test', target: () => 'me', written: () => undefined });

describe('ReplyBuffer.sendCommon', () => {
  it('writes what send writes, for every client in a row, and the next message as itself', () => {
    const [a, b, c] = [buffer(), buffer(), buffer()];
    const join = { source: 'ann!~ann@irc', verb: 'JOIN', params: ['#big'] };
    a.sendCommon(join);
    b.sendCommon(join);
    c.send(join);
    expect(a.take()).toBe(':ann!~ann@irc JOIN :#big\r\n');
    expect(b.take()).toBe(c.take());
    a.sendCommon({ source: 'bob!~bob@irc', verb: 'QUIT', params: ['gone\r\nPRIVMSG #big :injected'] });
    expect(a.take()).toBe(':bob!~bob@irc QUIT :gone  PRIVMSG #big :injected\r\n');
    a.sendCommon({ source: 'bob!~bob@irc', verb: 'PART', params: ['#big'] });
    expect(a.take()).toBe(':bob!~bob@irc PART :#big\r\n');
  });
});
