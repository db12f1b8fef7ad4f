/**
 * Tests that need something this machine may lack (a tmpfs it can mount, a program, data beside
 * the checkout). Where the need is met they run as usual. Where it is not, they are never skipped
 * in silence: under CI (CI=true) each one runs and fails, saying what it could not prove and why;
 * elsewhere each is skipped after one loud line on stderr saying the same.
 */
import { execFileSync } from 'node:child_process';
import { describe, it } from 'vitest';

export const IN_CI = process.env['CI'] === 'true';

export interface Need {
  /** What the tests that need it prove (the loud line names it). */
  proves: string;
  /** Why it is not met here, and how to meet it; null when it is met. */
  missing: string | null;
}

type TestBody = () => Promise<unknown> | unknown;
type TestFn = (name: string, body: TestBody, timeoutMs?: number) => void;
type SuiteFn = (name: string, body: () => void) => void;

const unproven = (need: Need): string => `NOT PROVEN: ${need.proves}: ${need.missing}`;

function announce(need: Need): void {
  process.stderr.write(`\n${'!'.repeat(8)} ${unproven(need)} (skipped; CI=true makes this a failure)\n`);
}

/** `it` for tests that need `need` (see the module comment for what happens when it is not met). */
export function itNeeds(need: Need): TestFn {
  if (need.missing === null) return (name, body, timeoutMs) => it(name, body, timeoutMs);
  if (IN_CI) {
    return (name) =>
      it(name, () => {
        throw new Error(unproven(need));
      });
  }
  announce(need);
  return (name, body, timeoutMs) => it.skip(name, body, timeoutMs);
}

/** `describe` for a suite whose every test needs `need`. */
export function describeNeeds(need: Need): SuiteFn {
  if (need.missing === null) return (name, body) => describe(name, body);
  if (IN_CI) {
    return (name) =>
      describe(name, () => {
        it('has what it needs', () => {
          throw new Error(unproven(need));
        });
      });
  }
  announce(need);
  return (name, body) => describe.skip(name, body);
}

/** The need for programs on the PATH, which scripts/install-test-deps.sh installs. */
export function programsNeed(programs: readonly string[], proves: string): Need {
  const absent = programs.filter((program) => {
    try {
      execFileSync('sh', ['-c', `command -v ${program}`], { stdio: 'ignore' });
      return false;
    } catch {
      return true;
    }
  });
  return { proves, missing: absent.length === 0 ? null : `${absent.join(' and ')} ${absent.length === 1 ? 'is' : 'are'} not installed (scripts/install-test-deps.sh installs ${absent.length === 1 ? 'it' : 'them'})` };
}
