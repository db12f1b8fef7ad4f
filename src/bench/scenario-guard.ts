/**
 * The scenarios of a run, each on its own: one that throws (a peer that will not start, a
 * generator that dies, a full disk) is told on the progress stream and noted in the report, and
 * the run goes on with the next, so a fault late in a long run does not cost the figures measured
 * before it. The run still ends with a failure status, after it has written them.
 */
import type { Scenario } from './options.js';

/** What a guard tells: the progress bars to close, a line for the reader, a note for the report. */
export interface GuardOutput {
  end(): void;
  result(line: string): void;
  note(text: string): void;
}

export class ScenarioGuard {
  private readonly failures = new Map<Scenario, string>();

  constructor(private readonly out: GuardOutput) {}

  /** Runs the body that measures `scenarios`; a failure is told, noted and kept, never thrown. */
  async run(scenarios: readonly Scenario[], title: string, body: () => Promise<void>): Promise<void> {
    try {
      await body();
    } catch (err) {
      this.out.end();
      const why = err instanceof Error ? err.message : String(err);
      for (const s of scenarios) this.failures.set(s, why);
      this.out.result(`${title} failed: ${why}`);
      this.out.note(`${title} failed in this run: ${why}`);
    }
  }

  /** Whether the scenario's body threw. */
  failed(scenario: Scenario): boolean {
    return this.failures.has(scenario);
  }

  /** How many scenarios failed. */
  get count(): number {
    return this.failures.size;
  }
}
