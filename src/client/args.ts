/** Command-line arguments of the terminal client: `-d HOST[:PORT]` (default 127.0.0.1:1112). */

export interface ClientArgs {
  host: string;
  port: number;
}

export const DEFAULT_PORT = 1112;
export const USAGE = 'usage: npm run client -- [-d HOST[:PORT]]   (default 127.0.0.1:1112; IPv6 as [::1]:1112)';

/** Parses argv (without node and script); returns an error message for bad input. */
export function parseArgs(argv: readonly string[]): ClientArgs | { error: string } {
  let target = '127.0.0.1';
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    if (arg === '-h' || arg === '--help') return { error: USAGE };
    if (arg === '-d') {
      const next = argv[++i];
      if (next === undefined) return { error: `-d needs HOST[:PORT]\n${USAGE}` };
      target = next;
    } else if (arg.startsWith('-d')) {
      target = arg.slice(2);
    } else {
      return { error: `unknown argument ${JSON.stringify(arg)}\n${USAGE}` };
    }
  }
  const match = /^(?:\[([^\]]+)\]|([^:]+)|([^[\]]*:[^[\]]*:[^[\]]*))(?::(\d+))?$/.exec(target);
  const host = match?.[1] ?? match?.[2] ?? match?.[3];
  if (!match || !host) return { error: `cannot read ${JSON.stringify(target)} as HOST[:PORT]\n${USAGE}` };
  const port = match[4] === undefined ? DEFAULT_PORT : Number(match[4]);
  if (port < 1 || port > 65535) return { error: `port ${port} is out of range\n${USAGE}` };
  return { host, port };
}
