/**
 * Which node this is, in a cluster: NODE_ID when the operator gives one, else the host name and
 * the process id, which no two live processes share. The id names the node's leases and its bus
 * subjects, so it keeps to letters, digits, `_` and `-` (a NATS subject token may hold no `.`).
 */
import { hostname } from 'node:os';

/** `host-pid` from this machine's host name (its dots and other signs as `-`) and this process's id. */
export function defaultNodeId(host: string = hostname(), pid: number = process.pid): string {
  const name = host.replace(/[^A-Za-z0-9_-]+/g, '-').replace(/^-+|-+$/g, '') || 'node';
  return `${name}-${pid}`;
}
