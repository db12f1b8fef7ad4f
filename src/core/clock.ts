/** The injected clock, and the classic time format. */

export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

const two = (n: number): string => String(n).padStart(2, '0');

/** Server local time as the classic server wrote it: `dd.mm.yy,HH:MM`. */
export function classicTime(date: Date): string {
  return `${two(date.getDate())}.${two(date.getMonth() + 1)}.${two(date.getFullYear() % 100)},${two(date.getHours())}:${two(date.getMinutes())}`;
}
