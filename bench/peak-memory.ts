import { readFileSync, writeFileSync } from 'node:fs';

export interface WatchedProcess {
  /** gateway, delivery, delivery-2, nats-server, ferretdb, sinks (this process) … */
  label: string;
  pid: number | undefined;
}

/** VmHWM, the peak resident set size, in MB; undefined when the process is gone or /proc is not there (not Linux). */
export function peakRssMb(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined;
  try {
    const match = /^VmHWM:\s+(\d+) kB$/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/**
 * Starts the peak over from the current RSS (Linux: `echo 5 > /proc/<pid>/clear_refs`),
 * so the delivery phase's peak is not the seeding's. Answers whether it could.
 */
export function resetPeakRss(pid: number | undefined): boolean {
  if (pid === undefined) return false;
  try {
    writeFileSync(`/proc/${pid}/clear_refs`, '5');
    return true;
  } catch {
    return false;
  }
}

export function peaks(processes: WatchedProcess[]): Record<string, number | undefined> {
  return Object.fromEntries(processes.map(({ label, pid }) => [label, peakRssMb(pid)]));
}
