/**
 * The machine a run measured on. Absolute figures move from machine to machine and with what
 * else it runs, so the report states the CPU, how many cores the run could use and the load
 * average when the run began and ended, taken at those moments (not when the report is written).
 */
import { availableParallelism, cpus, loadavg, release, totalmem } from 'node:os';

export interface MachineInfo {
  cpuModel: string;
  /** CPUs the system has. */
  cpus: number;
  /** CPUs this process may run on (what `nproc` says). */
  nproc: number;
  memGiB: number;
  kernel: string;
  node: string;
  /** Load average over 1, 5 and 15 minutes when the run began, and when it ended. */
  loadStart: number[];
  loadEnd: number[];
}

/** The machine as the run begins. */
export function machineAtStart(): MachineInfo {
  const cpu = cpus();
  const load = loadavg();
  return {
    cpuModel: cpu[0]?.model.trim() ?? 'unknown CPU',
    cpus: cpu.length,
    nproc: availableParallelism(),
    memGiB: totalmem() / 2 ** 30,
    kernel: release(),
    node: process.version,
    loadStart: load,
    loadEnd: load,
  };
}

/** The same machine with the load average as the run ends. */
export function atEnd(machine: MachineInfo): MachineInfo {
  return { ...machine, loadEnd: loadavg() };
}

const loads = (l: readonly number[]): string => l.map((n) => n.toFixed(2)).join(' / ');

/** One sentence for the report. */
export function describeMachine(m: MachineInfo): string {
  return (
    `${m.cpuModel}, ${m.cpus} CPUs (nproc ${m.nproc}), ${m.memGiB.toFixed(0)} GiB RAM, Linux ${m.kernel}, Node.js ${m.node}; ` +
    `load average (1 / 5 / 15 min) ${loads(m.loadStart)} at the start and ${loads(m.loadEnd)} at the end`
  );
}
