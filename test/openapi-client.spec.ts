import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { CLIENT_TYPES_PATH, consoleClientTypes } from '../scripts/openapi-client';

// The console's client types are committed (a fresh clone type-checks before any build); a route change
// must come with them regenerated, or the console would be typed against an API that no longer exists.
describe('the console’s generated API types', () => {
  it('match the route table (else: npm run openapi:client, and commit the file)', () => {
    const root = join(__dirname, '..');
    const committed = readFileSync(join(root, CLIENT_TYPES_PATH), 'utf8');
    expect(committed === consoleClientTypes(root)).toBe(true);
  }, 60_000);
});
