/** The seam every front implements, and the part of the hub a front may use. */
import type { Session, SessionOptions } from './session.js';

/** `off`: left off on purpose (e.g. no credentials configured); health does not count it as down. */
export type FrontState = 'starting' | 'listening' | 'connected' | 'retrying' | 'stopped' | 'failed' | 'off';

export interface Front {
  /** `tcp`, `irc`, `discord`, `web`: also the name other users see for this front's users. */
  readonly name: string;
  start(): Promise<void>;
  /** Takes no new connections or users from now on; those already here stay until `stop`. */
  stopAccepting(): void;
  /** Stops accepting, sends what is queued, closes every session of this front, and resolves when done. */
  stop(): Promise<void>;
  state(): FrontState;
}

/** What a front gets of the hub: sessions, nothing else. */
export interface SessionOpener {
  open(options: SessionOptions): Session;
}

/** A front that runs a user of its own (IRC's service `ics`) keeps that name from everyone else. */
export interface NameReserver {
  reserveName(name: string): void;
}
