/**
 * The Node.js flags a server runs with: those `npm start` gives it (package.json) and those a
 * running server process was given (its command line in /proc), for tests that hold the
 * benchmark's and the soak's servers to the first.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { ROOT } from './server.js';

const MAIN = 'dist/server/main.js';

/** The flags between `node` and the server in package.json's start script. */
export function startScriptFlags(): string[] {
  const pkg = JSON.parse(readFileSync(`${ROOT}package.json`, 'utf8')) as { scripts: Record<string, string> };
  const words = (pkg.scripts['start'] ?? '').split(/\s+/);
  const main = words.indexOf(MAIN);
  if (words[0] !== 'node' || main < 0) throw new Error(`the start script does not run node ... ${MAIN}: ${pkg.scripts['start']}`);
  return words.slice(1, main);
}

function commandLine(pid: number): string[] {
  return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1);
}

/** The flags between the executable and the server script of a running server process. */
export function serverFlags(pid: number): string[] {
  const argv = commandLine(pid);
  const main = argv.findIndex((a) => a.endsWith(MAIN));
  if (main < 0) throw new Error(`process ${pid} does not run ${MAIN}: ${argv.join(' ')}`);
  return argv.slice(1, main);
}

/** The id of a server process that `parent` started, or null while there is none. */
export function serverChildOf(parent: number): number | null {
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid)) continue;
    try {
      // stat: pid (comm) state ppid ...; comm may hold spaces and parentheses, so split after the last ')'.
      const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
      const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]);
      if (ppid === parent && commandLine(pid).some((a) => a.endsWith(MAIN))) return pid;
    } catch {
      // gone meanwhile
    }
  }
  return null;
}
