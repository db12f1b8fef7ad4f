// What Node itself costs per idle connection: a bare server (`net`, or `ws` with the web front's
// options) holding N loopback clients that each said one line and got one answer, measured as
// the benchmark's S3 measures ics-chat (the server's RSS once settled, and right after, over N), with
// the server's Node flags. After `npm run build`:
//   node scripts/idle-floor.mjs [net|ws] [clients, default 5000]
// The server runs in a child process (ended by its PID); the clients run here.
import { spawn } from 'node:child_process';
import { readFileSync } from 'node:fs';
import net from 'node:net';
import { fileURLToPath } from 'node:url';
import { WebSocket, WebSocketServer } from 'ws';

const [kind = 'net', count = '5000'] = process.argv.slice(2);
const clients = Number(count);
const rssOf = (pid) => Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) * 1024;

if (process.argv[2] === '--serve') {
  // The bare server: answers each client's first line, then holds it.
  const held = new Set();
  const listening = (port) => process.stdout.write(`${port}\n`);
  if (process.argv[3] === 'net') {
    const server = net.createServer({ noDelay: true }, (socket) => {
      held.add(socket);
      socket.on('data', () => socket.write('ok\n'));
      socket.on('error', () => undefined);
      socket.on('close', () => held.delete(socket));
    });
    server.listen(0, '127.0.0.1', () => listening(server.address().port));
  } else {
    const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false, clientTracking: false }, () => listening(wss.address().port));
    wss.on('connection', (ws) => {
      held.add(ws);
      ws.on('message', () => ws.send('ok'));
      ws.on('close', () => held.delete(ws));
    });
  }
} else {
  const { NODE_FLAGS } = await import('../dist/server/node-flags.js');
  const { settledRss } = await import('../dist/bench/stats.js');
  const child = spawn(process.execPath, [...NODE_FLAGS, fileURLToPath(import.meta.url), '--serve', kind], { stdio: ['ignore', 'pipe', 'inherit'] });
  const port = await new Promise((resolve) => child.stdout.once('data', (d) => resolve(Number(String(d).trim()))));
  const before = await settledRss(child.pid);
  const open = [];
  const one = () =>
    new Promise((resolve, reject) => {
      if (kind === 'net') {
        const s = net.connect(port, '127.0.0.1', () => s.write('hello\n'));
        s.once('data', resolve).once('error', reject);
        open.push(() => s.destroy());
      } else {
        const w = new WebSocket(`ws://127.0.0.1:${port}/`);
        w.once('open', () => w.send('hello')).once('message', resolve).once('error', reject);
        open.push(() => w.terminate());
      }
    });
  // 50 at a time, as the benchmark's generator logs in.
  for (let i = 0; i < clients; i += 50) await Promise.all(Array.from({ length: Math.min(50, clients - i) }, one));
  const after = rssOf(child.pid);
  console.log(`${kind}: ${clients} idle connections, ${((after - before) / clients / 1024).toFixed(1)} KB of server RSS each`);
  for (const close of open) close();
  child.kill();
}
