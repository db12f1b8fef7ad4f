/**
 * CAP, the IRCv3 capability negotiation, as servers answer it: `LS 302` lists values
 * (`sasl=PLAIN`) and spreads a long list over several lines (`CAP * LS * :...`), and turns
 * `cap-notify` on by itself; `REQ` takes several capabilities at once, all or none (one unknown
 * one refuses the whole request with NAK), `-name` turns one off, before or after registration.
 */
import type { IrcClient } from '../client.js';
import type { IrcMessage } from '../message.js';
import { ERR } from '../numerics.js';
import { CAPABILITIES } from '../welcome.js';
import { tryRegister } from './link.js';

/** Room for the capability list on one CAP line (the rest of 512 bytes holds the source, nick and verb). */
const LS_BYTES = 400;

/**
 * The parameters of the CAP LS replies: the list in lines of at most `bytes`, each capability as
 * `name` or `name=value` (values for CAP 302 only); a CAP 302 client reads `*` as "more to come".
 */
export function lsReplies(version: number, bytes = LS_BYTES): string[][] {
  const lines: string[] = [];
  let line = '';
  for (const [name, value] of Object.entries(CAPABILITIES)) {
    const item = version >= 302 && value !== '' ? `${name}=${value}` : name;
    if (line !== '' && Buffer.byteLength(line) + 1 + Buffer.byteLength(item) > bytes) {
      lines.push(line);
      line = '';
    }
    line = line === '' ? item : `${line} ${item}`;
  }
  lines.push(line);
  return lines.map((l, i) => (i < lines.length - 1 && version >= 302 ? ['LS', '*', l] : ['LS', l]));
}

// CAP LS [version] | CAP LIST | CAP REQ :[-]cap ... | CAP END
export function cap(s: IrcClient, m: IrcMessage): void | Promise<void> {
  const sub = m.params[0]!.toUpperCase();
  const reply = (...params: string[]): void => s.out.send({ source: s.serverName, verb: 'CAP', params: [s.registered ? s.nick! : '*', ...params] });
  switch (sub) {
    case 'LS': {
      if (!s.registered) s.capNegotiating = true;
      const version = Number(m.params[1] ?? '') || 301;
      if (version >= 302) {
        s.capVersion = Math.max(s.capVersion, version);
        s.setCap('cap-notify', true);
      }
      for (const params of lsReplies(s.capVersion)) reply(...params);
      return;
    }
    case 'LIST':
      return reply('LIST', [...s.caps].join(' '));
    case 'REQ': {
      if (!s.registered) s.capNegotiating = true;
      const asked = m.params[1] ?? '';
      const wanted = asked.split(' ').filter((c) => c !== '');
      const known = wanted.every((c) => Object.hasOwn(CAPABILITIES, c.replace(/^-/, '')));
      if (!known || wanted.length === 0) return reply('NAK', asked);
      for (const c of wanted) {
        if (c.startsWith('-')) s.setCap(c.slice(1), false);
        else s.setCap(c, true);
      }
      s.capsChanged();
      return reply('ACK', wanted.join(' '));
    }
    case 'END':
      s.capNegotiating = false;
      return tryRegister(s);
    default:
      s.out.numeric(ERR.INVALIDCAPCMD, sub.slice(0, 32), 'Invalid CAP command');
  }
}
