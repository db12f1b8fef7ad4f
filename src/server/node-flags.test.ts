import { readFileSync } from 'node:fs';
import { expect, it } from 'vitest';
import { NODE_FLAGS } from './node-flags.js';

it('is what npm start runs the server with', () => {
  const pkg = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { scripts: Record<string, string> };
  expect(pkg.scripts['start']).toBe(`node ${NODE_FLAGS.join(' ')} dist/server/main.js`);
});
