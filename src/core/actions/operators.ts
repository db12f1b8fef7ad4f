/** Server operators: proving an operator's name and password (`oper`), and ending a user's connection (`kill`). */
import type { ClientAction } from '../protocol.js';
import { lineText } from '../text.js';
import type { OnlineContext } from './context.js';

// oper <name> <password>: become a server operator (configured names and passwords only)
export function oper(ctx: OnlineContext, { name, password }: Extract<ClientAction, { action: 'oper' }>): void {
  const { hub, me } = ctx;
  // Failed tries are limited like password logins, per operator name and per address.
  const attempt = hub.logins.attempt(`oper:${name.toLowerCase()}`, me.address);
  if (!attempt.ok) return ctx.reply({ action: 'oper', status: 'denied', msg: `too many failed operator logins: try again in ${Math.ceil(attempt.retryAfterMs / 1000)} s` });
  const result = hub.operators.check(name, password);
  attempt.done(result === 'ok');
  if (result === 'none') return ctx.reply({ action: 'oper', status: 'none', msg: 'no server operator has that name' });
  if (result === 'denied') {
    hub.log.warn('a failed operator login', { user: me.name, oper: name.slice(0, 40) });
    return ctx.reply({ action: 'oper', status: 'denied', msg: 'wrong operator password' });
  }
  me.oper = name;
  hub.log.info('a user became a server operator', { user: me.name, oper: name });
  ctx.reply({ action: 'oper', status: 'ok', msg: 'you are now a server operator' });
}

// kill <name> [reason]: a server operator ends a user's connection, on any front
export function kill(ctx: OnlineContext, { target, reason }: Extract<ClientAction, { action: 'kill' }>): void {
  const { hub, me } = ctx;
  if (me.oper === null) return ctx.fail('not-allowed', 'only server operators can kill a connection');
  const victim = hub.presence.get(target.trim());
  if (!victim) return ctx.fail('no-user', `${target.trim().slice(0, 40)} is not online`);
  if (victim === me) return ctx.fail('bad-request', 'you cannot kill your own connection: quit instead');
  hub.flushLines();
  const why = lineText((reason ?? '').trim()) || 'no reason given';
  hub.log.info('a server operator killed a connection', { oper: me.oper, user: victim.name, front: victim.front });
  hub.kill(victim, me.name, why);
}
