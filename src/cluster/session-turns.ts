/**
 * The order of one session's requests at a node that answers some of them itself (a search, from
 * PostgreSQL) and sends the rest to the hub. Requests go to the hub at once, in order, while none
 * is answered here. One answered here waits for the hub's answers to those before it, and holds
 * those after it until it is done, so the session's answers come in its requests' order.
 */
export class SessionTurns {
  /** Requests sent to the hub and not answered yet. */
  private unanswered = 0;
  /** Who waits for the hub to have answered them all. */
  private waiting: (() => void)[] | null = null;
  /** While a request answered here is among the unfinished ones: when the last of them is done. */
  private behind: Promise<void> | null = null;

  /** Runs `step` in its turn; `here` when it is answered here. */
  run<T>(here: boolean, step: () => Promise<T>): Promise<T> {
    if (this.behind === null && !here) return step();
    const run = this.behind === null ? step() : this.behind.then(step);
    const done = run.then(
      () => undefined,
      () => undefined,
    );
    this.behind = done;
    void done.then(() => {
      if (this.behind === done) this.behind = null;
    });
    return run;
  }

  /** A request went to the hub; what is returned is called with its answer. */
  sent<A extends unknown[]>(answer: (...args: A) => void): (...args: A) => void {
    this.unanswered++;
    return (...args) => {
      if (--this.unanswered === 0 && this.waiting !== null) {
        const waiting = this.waiting;
        this.waiting = null;
        for (const wake of waiting) wake();
      }
      answer(...args);
    };
  }

  /** When the hub has answered every request sent to it (those after a request answered here wait for it). */
  answered(): Promise<void> {
    if (this.unanswered === 0) return Promise.resolve();
    return new Promise((wake) => (this.waiting ??= []).push(wake));
  }
}
