/**
 * Validated input from one connection (a classic frame, a WebSocket message) on its way to the
 * hub through the connection's rate limit: requests within it are dispatched in order, the
 * ones it refuses are answered with a `rate-limited` error naming what was dropped.
 */
import type { Session } from './session.js';
import { lineText } from './text.js';
import { Throttle, type ThrottleOptions, type ThrottleSink } from './throttle.js';
import type { Validated, ValidationError } from './validate.js';

/** The refusal of one request, in words that say which one. */
export function rateLimited(input: Validated): ValidationError {
  const wait = 'wait a moment and send it again';
  if (!input.ok) return { code: 'rate-limited', msg: `you are sending too fast: a request was dropped; ${wait}` };
  const { action } = input;
  const what = action.action === 'exchange' || action.action === 'flip' ? `your line ${JSON.stringify(excerpt(action.message))} was dropped` : `your ${action.action} request was dropped`;
  return { code: 'rate-limited', msg: `you are sending too fast: ${what}; ${wait}`, for: action.action };
}

function excerpt(text: string): string {
  const chars = [...text];
  return lineText(chars.length <= 40 ? text : `${chars.slice(0, 40).join('')}...`);
}

export class PacedInput implements ThrottleSink<Validated> {
  private readonly throttle: Throttle<Validated>;

  constructor(
    private readonly session: Session,
    limits: ThrottleOptions,
  ) {
    this.throttle = new Throttle(limits, this);
  }

  /** Dispatches (or answers) the input now, later, or refuses it; `size` is the text it came as, in characters. */
  offer(input: Validated, size: number): void {
    this.throttle.offer(input, size);
  }

  /** The connection is closing: what waits is dropped. */
  stop(): void {
    this.throttle.stop();
  }

  /** The throttle lets the input through. */
  run(input: Validated): void {
    if (input.ok) void this.session.dispatch(input.action, input.label);
    else this.session.reject(input.error, input.label);
  }

  /** The throttle refuses the input. */
  refuse(input: Validated): void {
    this.session.reject(rateLimited(input), input.label);
  }
}
