import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/** The repository root: the nearest folder up from here whose package.json is Clarion's (works from src and dist). */
export function repoRoot(from = __dirname): string {
  let dir = from;
  for (;;) {
    const manifest = join(dir, 'package.json');
    if (existsSync(manifest) && JSON.parse(readFileSync(manifest, 'utf8')).name === 'clarion') return dir;
    const parent = dirname(dir);
    if (parent === dir) throw new Error(`no Clarion package.json above ${from}`);
    dir = parent;
  }
}

export const infraBinDir = () => join(repoRoot(), '.infra', 'bin');
export const dataDir = () => join(repoRoot(), '.data');
