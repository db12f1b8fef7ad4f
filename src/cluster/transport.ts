/**
 * How the cluster's links carry their batches: publish a text on a subject, hear a subject. NATS
 * carries them between processes; the in-process transport is for tests of the link itself. The
 * links name subjects within their cluster; `underCluster` puts them under the cluster's name.
 */

export interface Transport {
  publish(subject: string, data: string): void;
  /** Hears every text published on the subject from now on; returns how to stop. */
  subscribe(subject: string, hear: (data: string) => void): () => void;
}

/** `transport` with every subject under `cluster.`: clusters of different names on one bus never hear each other. */
export const underCluster = (cluster: string, transport: Transport): Transport => ({
  publish: (subject, data) => transport.publish(`${cluster}.${subject}`, data),
  subscribe: (subject, hear) => transport.subscribe(`${cluster}.${subject}`, hear),
});

/** Every subscriber of a subject hears each text, later in the same process (as over a wire). */
export class LocalTransport implements Transport {
  private readonly subjects = new Map<string, Set<(data: string) => void>>();

  publish(subject: string, data: string): void {
    const hearers = this.subjects.get(subject);
    if (!hearers) return;
    for (const hear of [...hearers]) queueMicrotask(() => hear(data));
  }

  subscribe(subject: string, hear: (data: string) => void): () => void {
    let hearers = this.subjects.get(subject);
    if (!hearers) this.subjects.set(subject, (hearers = new Set()));
    hearers.add(hear);
    return () => void hearers.delete(hear);
  }
}
