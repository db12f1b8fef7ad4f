/**
 * The deliberate differences from ngircd that most differential scenarios meet, each named with
 * its reason (test/helpers/irc-diff.ts explains allowances). A scenario lists the ones it expects;
 * one that changes nothing there fails it, so a list never outlives the difference.
 */
import { dropping, mapping, type Allowance } from './irc-diff.js';

/** Differences every scenario may meet. */
export const COMMON = {
  isupport: {
    name: 'isupport',
    why: 'each server advertises its own features in 005 (the differential test checks ours token by token)',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ 005 (\S+) .*/, ' 005 $1 <tokens>')),
  },
  isupportThere: {
    name: 'isupport (ngircd)',
    why: 'as above, for ngircd',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/ 005 (\S+) .*/, ' 005 $1 <tokens>')),
  },
  myinfo: {
    name: 'myinfo',
    why: '004 names each server\'s version and the user and channel modes it has',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ 004 (\S+) <server> .*/, ' 004 $1 <server> <version and modes>')),
  },
  myinfoThere: {
    name: 'myinfo (ngircd)',
    why: 'as above, for ngircd',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/ 004 (\S+) <server> .*/, ' 004 $1 <server> <version and modes>')),
  },
  greeting: {
    name: 'service greeting',
    why: 'after the MOTD our service user ics says hello and how to get help (an extra of ours)',
    side: 'ours',
    rewrite: dropping((l) => l.includes(' :ics!ics@') && l.includes(' NOTICE ')),
  },
  highest: {
    name: 'ngircd 250',
    why: 'ngircd adds 250 (highest connection count) to LUSERS; it is not in the modern protocol',
    side: 'ngircd',
    rewrite: dropping((l) => / 250 /.test(l)),
  },
  serverChannel: {
    name: 'ngircd &SERVER',
    why: 'ngircd has a channel of its own, &SERVER: it counts it in 254 and lists it; we have no such channel',
    side: 'ngircd',
    rewrite: (lines) =>
      lines
        .filter((l) => !l.includes(' 322 ') || !l.includes(' &SERVER '))
        .flatMap((l) => {
          const count = / 254 \S+ (\d+) /.exec(l);
          if (!count) return [l];
          const n = Number(count[1]) - 1;
          return n === 0 ? [] : [l.replace(/ 254 (\S+) \d+ /, ` 254 $1 ${n} `)];
        }),
  },
  namesOrder: {
    name: 'names order',
    why: 'ngircd lists a channel\'s members newest first; we list them in the order they joined (both are allowed)',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/( 353 \S+ = \S+ :)(.*)/, (_, head: string, names: string) => head + names.split(' ').reverse().join(' '))),
  },
  whoOrder: {
    name: 'who order',
    why: 'the same for WHO on a channel: one 352 per member, ngircd newest first, ours in join order',
    side: 'ngircd',
    rewrite: (lines) => {
      const out: string[] = [];
      let run: string[] = [];
      for (const l of [...lines, '']) {
        if (/ 352 \S+ #/.test(l)) run.push(l);
        else {
          out.push(...run.reverse(), ...(l === '' ? [] : [l]));
          run = [];
        }
      }
      return out;
    },
  },
} satisfies Record<string, Allowance>;

/** The allowances every registration burst needs. */
export const BURST: readonly Allowance[] = [COMMON.isupport, COMMON.isupportThere, COMMON.myinfo, COMMON.myinfoThere, COMMON.greeting, COMMON.highest, COMMON.serverChannel];
