/** CPU time of another process (the broker), from /proc on Linux. */
import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';

let ticksPerSecond: number | undefined;

/**
 * User + system CPU time a process has used so far, µs (NaN where /proc is missing).
 * Resolution is one clock tick (10 ms at the usual 100 Hz).
 * @param pid process id
 * @returns CPU time, µs
 */
export function processCpuUs(pid: number): number {
  try {
    ticksPerSecond ??= Number(execFileSync('getconf', ['CLK_TCK'], { encoding: 'utf8' }).trim()) || 100;
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // after "pid (comm) ": field 3 is index 0, so utime (14) is 11 and stime (15) is 12
    return ((Number(fields[11]) + Number(fields[12])) / ticksPerSecond) * 1e6;
  } catch {
    return NaN;
  }
}
