/**
 * What bounds how many connections one run can hold: open files per process (the server and the
 * generator each hold one per connection) and loopback's ephemeral ports (one per client
 * connection to the same address and port). The children are started with their open-file limit
 * raised (prlimit) as far as this user may; a count past either bound is left out and said so.
 */
import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

/** The open-file limit the servers and the generator are started with when root may raise it. */
const FD_WANTED = 65_536;
/** Files a process needs beside its connections: listeners, the database, logs, pipes. */
const FD_SPARE = 256;

/** Soft and hard open-file limits from the text of /proc/PID/limits (Infinity for "unlimited"). */
export function parseNofile(limits: string): { soft: number; hard: number } {
  const m = /^Max open files\s+(\S+)\s+(\S+)/m.exec(limits);
  if (!m) throw new Error('no "Max open files" line in the limits');
  const n = (v: string): number => (v === 'unlimited' ? Number.POSITIVE_INFINITY : Number(v));
  return { soft: n(m[1]!), hard: n(m[2]!) };
}

/** How many ports ip_local_port_range ("low high") gives. */
export function portCount(range: string): number {
  const [low, high] = range.trim().split(/\s+/).map(Number);
  return high! - low! + 1;
}

/** The open-file limit for the children: FD_WANTED where the hard limit may be raised to it (root with CAP_SYS_RESOURCE), else the hard limit there is. */
export function childFdLimit(mayRaise: boolean, hard: number): number {
  return mayRaise || hard >= FD_WANTED ? FD_WANTED : hard;
}

/** The most connections one process here can hold, in whole hundreds. */
export function mostConnections(fdLimit: number, ports: number): number {
  return Math.floor(Math.min(fdLimit - FD_SPARE, ports) / 100) * 100;
}

/**
 * The counts a curve of connections can measure here: each as asked when it fits, else the most
 * there is room for (once, and only when it is above the counts before it), with why.
 */
export function fittingCounts(counts: readonly number[], fdLimit: number, ports: number): { clients: number; instead?: { asked: number; why: string } }[] {
  const out: { clients: number; instead?: { asked: number; why: string } }[] = [];
  for (const asked of counts) {
    const why = connectionBound(asked, fdLimit, ports);
    const clients = why ? mostConnections(fdLimit, ports) : asked;
    if (out.some((p) => p.clients >= clients)) continue;
    out.push(why ? { clients, instead: { asked, why } } : { clients });
  }
  return out;
}

/** Why `clients` connections cannot be held here, or null when they can. */
export function connectionBound(clients: number, fdLimit: number, ports: number): string | null {
  if (clients + FD_SPARE > fdLimit) return `${clients.toLocaleString('en-US')} connections need more than the ${fdLimit.toLocaleString('en-US')} open files a process may have here`;
  if (clients > ports) return `${clients.toLocaleString('en-US')} connections need more than the ${ports.toLocaleString('en-US')} ephemeral ports loopback has here`;
  return null;
}

let known: { fdLimit: number; ports: number } | null = null;

/** This machine's bounds, found out once (whether the hard limit may be raised is tried: being root is not always enough in a container). */
export function machineLimits(): { fdLimit: number; ports: number } {
  if (known) return known;
  const { hard } = parseNofile(readFileSync('/proc/self/limits', 'utf8'));
  const mayRaise = spawnSync('prlimit', [`--nofile=${FD_WANTED}:${FD_WANTED}`, 'true']).status === 0;
  known = { fdLimit: childFdLimit(mayRaise, hard), ports: portCount(readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8')) };
  return known;
}

/** The command and arguments that run `command` with the children's open-file limit (soft and hard). */
export function withFdLimit(fdLimit: number, command: string, args: readonly string[]): [string, string[]] {
  return ['prlimit', [`--nofile=${fdLimit}:${fdLimit}`, command, ...args]];
}
