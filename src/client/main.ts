/** `npm run client -- -d HOST[:PORT]`: the terminal client. */
import { parseArgs } from './args.js';
import { TerminalClient } from './client.js';

const args = parseArgs(process.argv.slice(2));
if ('error' in args) {
  process.stderr.write(`${args.error}\n`);
  process.exit(2);
}
new TerminalClient(args, { input: process.stdin, output: process.stdout }, (code) => {
  process.exitCode = code;
  setImmediate(() => process.exit(code));
}).run();
