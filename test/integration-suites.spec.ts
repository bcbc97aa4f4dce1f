import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * Integration suites (*.int-suite.ts) run only when a *.int-spec.ts file imports them (decision 0038): a suite
 * no file lists would never run, and one listed twice would run twice. Read from the import statements.
 */
const ROOT = join(__dirname, '..');

function filesIn(dir: string, suffix: string): string[] {
  return readdirSync(dir, { withFileTypes: true, recursive: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith(suffix) && !entry.parentPath.includes('node_modules'))
    .map((entry) => join(entry.parentPath, entry.name));
}

const underRoot = (path: string) => relative(ROOT, path);

function listedSuites(spec: string): string[] {
  return preProcessFile(readFileSync(spec, 'utf8'), true, false)
    .importedFiles.map(({ fileName }) => fileName)
    .filter((name) => name.endsWith('.int-suite'))
    .map((name) => `${resolve(dirname(spec), name)}.ts`);
}

describe('integration suites', () => {
  const suites = ['apps', 'libs'].flatMap((dir) => filesIn(join(ROOT, dir), '.int-suite.ts'));
  const specs = ['apps', 'libs', 'test'].flatMap((dir) => filesIn(join(ROOT, dir), '.int-spec.ts'));

  it('are each imported by exactly one integration spec, and every import is of a suite that exists', () => {
    const listings = specs.flatMap((spec) => listedSuites(spec).map((suite) => ({ spec: underRoot(spec), suite: underRoot(suite) })));
    // The walk did find suites and lists of them.
    expect(suites.length).toBeGreaterThan(20);
    expect(listings.length).toBe(suites.length);
    for (const suite of suites.map(underRoot)) {
      expect({ suite, listedBy: listings.filter((listing) => listing.suite === suite).map((listing) => listing.spec) }).toEqual({
        suite,
        listedBy: [expect.any(String)],
      });
    }
  });
});
