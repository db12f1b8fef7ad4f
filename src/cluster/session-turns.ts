/**
 * The order of one session's requests at a node that answers some of them itself (a search, from
 * PostgreSQL) and sends the rest to the hub. Requests go to the hub at once, in order, while none
 * is answered here. One answered here waits for the hub's answers to those before it, and holds
 * those after it until it is done, so the session's answers come in its requests' order.
 */
export class SessionTurns {
  /** The hub's answers still awaited, to every request sent. */
  private readonly awaited = new Set<Promise<unknown>>();
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

  /** Keeps the hub's `answer` among what a request answered here waits for, until it comes. */
  awaiting<T>(answer: Promise<T>): Promise<T> {
    this.awaited.add(answer);
    void answer.then(() => this.awaited.delete(answer));
    return answer;
  }

  /** When every answer the hub owes now has come. */
  answered(): Promise<unknown> {
    return Promise.all(this.awaited);
  }
}
