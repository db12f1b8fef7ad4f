/**
 * Differential tests of channel modes and keys and of CAP negotiation: the same client sessions
 * against our IRC gateway and against ngircd, compared after normalisation (irc-differential.test.ts
 * explains the method); every difference left is a named allowance with its reason.
 */
import { afterAll, beforeAll, it } from 'vitest';
import { BURST, COMMON } from '../helpers/irc-diff-allowances.js';
import { mapping, type Allowance } from '../helpers/irc-diff.js';
import { describeNeeds } from '../helpers/needs.js';
import { NGIRCD_NEED } from '../helpers/ngircd.js';
import { Oracle } from '../helpers/irc-oracle.js';

let oracle: Oracle;

/** A refusal's last parameter, its prose, on both sides. */
const proseOf = (codes: string) => mapping((l) => l.replace(new RegExp(`( (?:${codes}) \\S+ \\S+) :.*$`), '$1 :<text>'));

/** The numerics of refusals whose words say more than ngircd's (the channel's state and what to do). */
const REFUSALS = '404|471|473|475|482';

const MODE_ALLOWANCES: Allowance[] = [
  {
    name: 'refusal wording',
    why: 'our refusals say why and what to do (`Cannot join channel (+k): /join #modes <key>`, `only operators of #modes can set its topic (+t)`); the numerics and their parameters are the same',
    side: 'ours',
    rewrite: proseOf(REFUSALS),
  },
  { name: 'refusal wording (ngircd)', why: 'as above, for ngircd', side: 'ngircd', rewrite: proseOf(REFUSALS) },
  {
    name: 'secret channel symbol',
    why: 'NAMES of a secret channel: we use `@`, as RFC 2812 and the modern protocol have it; ngircd shows `=`',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ 353 (\S+) @ /, ' 353 $1 = ')),
  },
  {
    name: 'modes listed',
    why: '324 lists the letters in alphabetical order with `n`, which is always on here; ngircd lists them in the order set and without `n` (it refuses lines from outside all the same)',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/( 324 \S+ \S+ :\+)(\w+)/, (_, head: string, letters: string) => head + [...letters, 'n'].sort().join(''))),
  },
  {
    name: 'source of 341',
    why: 'ngircd sends RPL_INVITING from the one invited; it is a numeric, and we send it from the server like every other',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/^(\S+< ):\S+ 341 /, '$1:<server> 341 ')),
  },
];

/** What each server offers in CAP LS. */
const OFFERED: Allowance[] = [
  {
    name: 'capabilities offered',
    why: 'ngircd offers only multi-prefix; we offer the list the README gives (checked in caps.test.ts)',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ CAP (\S+) LS :.*/, ' CAP $1 LS :<capabilities>')),
  },
  { name: 'capabilities offered (ngircd)', why: 'as above, for ngircd', side: 'ngircd', rewrite: mapping((l) => l.replace(/ CAP (\S+) LS :.*/, ' CAP $1 LS :<capabilities>')) },
];

const CAP_ALLOWANCES: Allowance[] = [
  ...OFFERED,
  {
    name: 'cap-notify for CAP 302',
    why: 'a client that sent CAP LS 302 has cap-notify on without asking, as the IRCv3 specification says; ngircd has no cap-notify',
    side: 'ours',
    rewrite: mapping((l) => l.replace(/ CAP (\S+) LIST :cap-notify ?/, ' CAP $1 LIST :')),
  },
  {
    name: 'ngircd LIST trailing space',
    why: 'ngircd ends a CAP LIST with a space after the last capability',
    side: 'ngircd',
    rewrite: mapping((l) => l.replace(/( CAP \S+ LIST :.*\S) $/, '$1')),
  },
  { name: 'invalid CAP wording', why: '410\'s text differs (`Invalid CAP command`, as the specification words it)', side: 'ours', rewrite: proseOf('410') },
  { name: 'invalid CAP wording (ngircd)', why: 'as above, for ngircd', side: 'ngircd', rewrite: proseOf('410') },
];

describeNeeds(NGIRCD_NEED)('channel modes and CAP against ngircd', () => {
  beforeAll(async () => {
    oracle = await Oracle.start();
  });
  afterAll(async () => {
    await oracle?.stop();
  });

  it('keeps +k, +l, +m, +t, +n, +s and +i alike: JOIN with a key, TOPIC under +t, KICK, INVITE', async () => {
    await oracle.differential(
      async (s) => {
        const op = await s.client('op', 'op', 'op', 'Op O');
        const ann = await s.client('ann', 'ann', 'an', 'Ann A');
        const bob = await s.client('bob', 'bob', 'bo', 'Bob B');
        await s.step('op opens', op, 'JOIN #modes');
        await s.step('key and limit', op, 'MODE #modes +k sesame', 'MODE #modes +l 2');
        await s.step('join without the key', ann, 'JOIN #modes');
        await s.step('join with a wrong key', ann, 'JOIN #modes wrong');
        await s.step('join with the key', ann, 'JOIN #modes sesame');
        await s.step('join when full', bob, 'JOIN #modes sesame');
        await s.step('key and limit off', op, 'MODE #modes -k sesame', 'MODE #modes -l');
        await s.step('topic lock', op, 'MODE #modes +t');
        await s.step('topic by a member', ann, 'TOPIC #modes :mine');
        await s.step('topic by the op', op, 'TOPIC #modes :ours');
        await s.step('moderated', op, 'MODE #modes +m');
        await s.step('line under +m', ann, 'PRIVMSG #modes :hello');
        await s.step('voice', op, 'MODE #modes +v ann');
        await s.step('voiced line', ann, 'PRIVMSG #modes :heard');
        await s.step('line from outside', bob, 'PRIVMSG #modes :knock');
        await s.step('secret', op, 'MODE #modes +s');
        await s.step('list from outside', bob, 'LIST', 'NAMES #modes');
        await s.step('kick', op, 'KICK #modes ann :enough');
        await s.step('kick by a member', bob, 'JOIN #modes', 'KICK #modes op');
        await s.step('invite only', op, 'MODE #modes +i', 'MODE #modes');
        await s.step('join uninvited', ann, 'JOIN #modes');
        await s.step('invite', op, 'INVITE ann #modes');
        await s.step('join invited', ann, 'JOIN #modes');
      },
      [...BURST, COMMON.namesOrder, ...MODE_ALLOWANCES],
    );
  });

  it('negotiates CAP alike before registration: LS 302, NAK of a whole request with one unknown capability, REQ, then CAP END and the welcome', async () => {
    await oracle.differential(
      async (s) => {
        const dee = await s.unregistered('dee');
        await s.stepUntil('ls', dee, / CAP \* LS /, 'CAP LS 302');
        await s.stepUntil('nak of a whole request', dee, / CAP \* NAK /, 'CAP REQ :multi-prefix bogus-cap');
        await s.stepUntil('req', dee, / CAP \* ACK /, 'CAP REQ :multi-prefix');
        // Registration waits for CAP END (asserted in session.test.ts): then the whole welcome comes.
        await s.stepUntil('registration at cap end', dee, / (376|422) /, 'NICK dee', 'USER dee 0 * :Dee D', 'CAP END');
      },
      // The step ends with the MOTD: our service's greeting after it is not read.
      [...BURST.filter((a) => a !== COMMON.greeting), ...OFFERED],
    );
  });

  it('negotiates CAP alike after registration: LS 302, REQ, NAK of a whole request with one unknown capability, LIST, removal', async () => {
    await oracle.differential(
      async (s) => {
        const cy = await s.client('cy', 'cy', 'cy', 'Cy C');
        await s.step('ls', cy, 'CAP LS 302');
        await s.step('req of several', cy, 'CAP REQ :multi-prefix');
        await s.step('nak of a whole request', cy, 'CAP REQ :multi-prefix bogus-cap');
        await s.step('list', cy, 'CAP LIST');
        await s.step('removal', cy, 'CAP REQ :-multi-prefix', 'CAP LIST');
        await s.step('unknown subcommand', cy, 'CAP FROB');
      },
      [...BURST, ...CAP_ALLOWANCES],
    );
  });
});
