/** Everything that went wrong in a soak and was not caused on purpose, counted by kind, with the first few in full. */

export type ProblemKind =
  /** An error event, error numeric or ERROR the soak did not provoke. */
  | 'error'
  /** A connection the server closed while the soak still used it. */
  | 'disconnect'
  /** Output that breaks the protocol: unframeable, not JSON, an event nobody asked for. */
  | 'protocol'
  /** A request without its answer in time, or with the wrong one. */
  | 'request'
  /** A group member whose view of the group did not match the soak's. */
  | 'membership'
  /** Users, groups or connections left on the server after everyone went. */
  | 'leak'
  /** The history does not hold each line sent exactly once. */
  | 'history'
  /** A WARN or ERROR line in the server's log. */
  | 'server-log';

export interface Problem {
  kind: ProblemKind;
  who: string;
  detail: string;
  /** Seconds since the soak started. */
  at: number;
}

const KEPT = 50;

export class Problems {
  readonly byKind = new Map<ProblemKind, number>();
  readonly first: Problem[] = [];
  total = 0;

  constructor(private readonly started: number) {}

  readonly add = (kind: ProblemKind, who: string, detail: string): void => {
    this.total++;
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1);
    if (this.first.length < KEPT) this.first.push({ kind, who, detail, at: Math.round((performance.now() - this.started) / 100) / 10 });
  };
}
