import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { binaryCacheDir, keepBuiltBinary, takeCachedBinary } from './binary-cache';

describe('the binary cache', () => {
  let dir: string;
  beforeEach(() => (dir = mkdtempSync(join(tmpdir(), 'clarion-binary-cache-'))));
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('gives back a kept build, executable, only under the name it was kept by', () => {
    const cache = join(dir, 'cache');
    const built = join(dir, 'built');
    writeFileSync(built, 'a binary');
    keepBuiltBinary(cache, 'ferretdb-abc', built);

    const target = join(dir, 'ferretdb');
    expect(takeCachedBinary(cache, 'ferretdb-other', target)).toBe(false);
    expect(takeCachedBinary(cache, 'ferretdb-abc', target)).toBe(true);
    expect(readFileSync(target, 'utf8')).toBe('a binary');
    expect(statSync(target).mode & 0o111).toBe(0o111);
  });

  it('lives under the user cache unless told elsewhere, and not at all when off', () => {
    expect(binaryCacheDir({ XDG_CACHE_HOME: '/home/me/.cache' })).toBe('/home/me/.cache/clarion/infra-bin');
    expect(binaryCacheDir({ CLARION_INFRA_CACHE: '/srv/cache' })).toBe('/srv/cache');
    expect(binaryCacheDir({ CLARION_INFRA_CACHE: 'off' })).toBeUndefined();
    const target = join(dir, 'nats-server');
    expect(takeCachedBinary(undefined, 'nats-server-abc', target)).toBe(false);
    keepBuiltBinary(undefined, 'nats-server-abc', target); // nothing to keep, nowhere: no error
  });
});
