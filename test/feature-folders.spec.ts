import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, resolve, sep } from 'node:path';
import { preProcessFile } from 'typescript';

/**
 * The feature folders of each app depend on each other one way
 * (docs/decisions/0035): no folder of apps/<app>/src imports, directly or
 * through others, a folder that imports it back. Read from the import
 * statements of the sources that run; specs and the test/ helpers start whole
 * apps, so they sit above every feature and are left out.
 */

/** From folder → to folder → one import that makes the edge (for the message). */
type FolderGraph = Map<string, Map<string, string>>;

const APPS = join(__dirname, '..', 'apps');

function sourcesIn(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sourcesIn(path);
    return /\.tsx?$/.test(entry.name) && !/(\.d|\.spec|\.int-spec|\.int-suite|\.e2e-spec)\.tsx?$/.test(entry.name) ? [path] : [];
  });
}

/** The folder of src a path is in; undefined for the files of src itself (main.ts, the root module). */
function folderOf(src: string, path: string): string | undefined {
  const parts = relative(src, path).split(sep);
  return parts.length > 1 && parts[0] !== '..' ? parts[0] : undefined;
}

function folderGraph(src: string): FolderGraph {
  const graph: FolderGraph = new Map();
  for (const file of sourcesIn(src)) {
    const from = folderOf(src, file);
    if (!from || from === 'test') continue;
    // import and export declarations, import(), require().
    for (const { fileName } of preProcessFile(readFileSync(file, 'utf8'), true, true).importedFiles) {
      if (!fileName.startsWith('.')) continue; // packages and the @clarion/* libs
      const to = folderOf(src, resolve(dirname(file), fileName));
      if (!to || to === from) continue;
      const edges = graph.get(from) ?? new Map<string, string>();
      if (!edges.has(to)) edges.set(to, `${relative(src, file)} imports ${fileName}`);
      graph.set(from, edges);
    }
  }
  return graph;
}

/** The shortest way from `start` to `goal`, both included; undefined when there is none. */
function pathBetween(graph: FolderGraph, start: string, goal: string): string[] | undefined {
  const cameFrom = new Map<string, string>();
  const queue = [start];
  for (let folder = queue.shift(); folder !== undefined; folder = queue.shift()) {
    if (folder === goal) {
      const path = [goal];
      while (path[0] !== start) path.unshift(cameFrom.get(path[0])!);
      return path;
    }
    for (const next of graph.get(folder)?.keys() ?? []) {
      if (next !== start && !cameFrom.has(next)) {
        cameFrom.set(next, folder);
        queue.push(next);
      }
    }
  }
  return undefined;
}

/** Every cycle once, from its first folder in alphabetical order, with the imports that make it. */
function cyclesOf(graph: FolderGraph): string[] {
  const cycles = new Set<string>();
  for (const [from, edges] of graph) {
    for (const to of edges.keys()) {
      const back = pathBetween(graph, to, from);
      if (!back) continue;
      const ring = [from, ...back.slice(0, -1)];
      const first = ring.indexOf([...ring].sort()[0]);
      const folders = [...ring.slice(first), ...ring.slice(0, first)];
      const imports = folders.map((folder, i) => graph.get(folder)!.get(folders[(i + 1) % folders.length])!);
      cycles.add(`${[...folders, folders[0]].join(' → ')} (${imports.join('; ')})`);
    }
  }
  return [...cycles].sort();
}

const apps = readdirSync(APPS).filter((app) => existsSync(join(APPS, app, 'src')));

describe('feature folders', () => {
  it.each(apps)('of %s import each other one way only', (app) => {
    const graph = folderGraph(join(APPS, app, 'src'));
    // The walk did read imports between folders: every app has some.
    expect(graph.size).toBeGreaterThan(0);
    expect(cyclesOf(graph)).toEqual([]);
  });

  it('are found in a cycle however many folders it goes through, each cycle once', () => {
    const graph: FolderGraph = new Map([
      ['relays', new Map([['accounts', 'relays/a.ts imports ../accounts/b']])],
      ['accounts', new Map([['organisations', 'accounts/b.ts imports ../organisations/c']])],
      ['organisations', new Map([['relays', 'organisations/c.ts imports ../relays/a'], ['common', 'organisations/c.ts imports ../common/d']])],
      ['tokens', new Map([['organisations', 'tokens/e.ts imports ../organisations/c']])],
    ]);
    expect(cyclesOf(graph)).toEqual([
      'accounts → organisations → relays → accounts ' +
        '(accounts/b.ts imports ../organisations/c; organisations/c.ts imports ../relays/a; relays/a.ts imports ../accounts/b)',
    ]);
  });

  it('read the folder an import lands in, whatever the path says on the way', () => {
    const src = join(APPS, 'subscriptions', 'src');
    expect(folderOf(src, resolve(src, 'relays', '../memberships/membership.repository'))).toBe('memberships');
    expect(folderOf(src, resolve(src, 'relays', '../subscriptions.module'))).toBeUndefined();
  });
});
