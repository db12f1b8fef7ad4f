// Bundles the chat page (src/bridges/web/page) into dist/page with esbuild: one ES module
// with the shared core it imports (the command parser, the user state machine), plus the
// static files. No framework, no CDN: what the server serves is exactly this folder.
import { copyFileSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'esbuild';

const root = fileURLToPath(new URL('..', import.meta.url));
const src = join(root, 'src/bridges/web/page');
const out = join(root, 'dist/page');

mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(src, 'main.ts')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: ['es2022', 'chrome100', 'firefox100', 'safari15'],
  minify: true,
  sourcemap: 'linked',
  legalComments: 'none',
  logLevel: 'warning',
});
for (const file of ['index.html', 'style.css', 'chat.css', 'sidebar.css', 'favicon.svg']) copyFileSync(join(src, file), join(out, file));
if (process.argv.includes('--report')) {
  for (const file of ['app.js', 'style.css', 'chat.css', 'sidebar.css', 'index.html']) console.log(`${file}: ${statSync(join(out, file)).size} bytes`);
}
