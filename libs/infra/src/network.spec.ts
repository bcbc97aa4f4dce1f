import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { reservePort } from './network';

/** A port's reservation is a file naming the holder's pid; test processes on one machine never share a port. */
describe('reservePort', () => {
  const dir = () => mkdtempSync(join(tmpdir(), 'clarion-ports-test-'));

  it('reserves a port once: a second reservation by anyone is refused while the holder runs', () => {
    const ports = dir();
    expect(reservePort(21_000, ports)).toBe(true);
    expect(readFileSync(join(ports, '21000'), 'utf8')).toBe(String(process.pid));
    expect(reservePort(21_000, ports)).toBe(false);
    // Another running process's reservation (jest's own parent process) is respected too.
    writeFileSync(join(ports, '21001'), String(process.ppid));
    expect(reservePort(21_001, ports)).toBe(false);
  });

  it('takes over the reservation of a process that has ended, but not one still being written', () => {
    const ports = dir();
    const ended = spawnSync(process.execPath, ['-e', '0']).pid;
    writeFileSync(join(ports, '21002'), String(ended));
    expect(reservePort(21_002, ports)).toBe(true);
    expect(readFileSync(join(ports, '21002'), 'utf8')).toBe(String(process.pid));
    writeFileSync(join(ports, '21003'), '');
    expect(reservePort(21_003, ports)).toBe(false);
  });
});
