/** Where a worker thread's compiled program is. */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** `url` (a module beside the caller) once built; from the sources (tests), its twin in dist/. */
export function builtWorker(url: URL): string {
  const here = fileURLToPath(url);
  if (existsSync(here)) return here;
  const built = here.replace(/([\\/])src([\\/])store([\\/])/, '$1dist$2store$3');
  if (existsSync(built)) return built;
  throw new Error(`the worker ${built} is not built; run npm run build`);
}
