import { chmodSync, copyFileSync, existsSync, mkdirSync, renameSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * Binaries built from .infra's Go modules, kept per user outside any checkout and named by everything the
 * build depends on (the tool module's files and flags, the Go version, the platform): a second checkout, a
 * worktree or a fresh clone on the same machine copies the binary instead of linking it again, as Go's own
 * build cache spares it the compiles (docs/decisions/0042). `CLARION_INFRA_CACHE` names another folder;
 * `off` turns it off. Nothing is ever taken from it under another build's name.
 */
export function binaryCacheDir(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const chosen = env.CLARION_INFRA_CACHE;
  if (chosen === 'off') return undefined;
  if (chosen) return chosen;
  return join(env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'clarion', 'infra-bin');
}

/** Copies the binary kept under `name` to `target`; false when there is none (or no cache). */
export function takeCachedBinary(cacheDir: string | undefined, name: string, target: string): boolean {
  if (!cacheDir) return false;
  const kept = join(cacheDir, name);
  if (!existsSync(kept)) return false;
  copyExecutable(kept, target);
  return true;
}

/** Keeps a copy of a freshly built binary under `name`; whole or not at all (two builds at once may both keep one). */
export function keepBuiltBinary(cacheDir: string | undefined, name: string, built: string): void {
  if (!cacheDir) return;
  mkdirSync(cacheDir, { recursive: true, mode: 0o700 });
  copyExecutable(built, join(cacheDir, name));
}

/** Copies under a temporary name and renames, so nobody ever runs a half-written copy. */
function copyExecutable(from: string, to: string): void {
  const partial = `${to}.partial-${process.pid}`;
  copyFileSync(from, partial);
  chmodSync(partial, 0o755);
  renameSync(partial, to);
}
