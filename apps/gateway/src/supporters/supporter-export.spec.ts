import type { GatewayConfig } from '@clarion/config';
import type { Response } from 'express';
import { supporterRpc, type ExportedSupporterView, type Principal } from '@clarion/contracts';
import { Forbidden } from '@clarion/errors';
import type { RpcClient } from '@clarion/messaging';
import type { SecretSealer } from '@clarion/security';
import type { RouteContext } from '../api/api-route';
import type { SessionResolver } from '../auth/session-resolver';
import type { ProgressFeed } from '../progress/progress-feed';
import { streamSupporterExport, type ExportFormat } from './supporter-export';

const orgId = 'b'.repeat(24);
const actor: Principal = { tokenId: 'c'.repeat(24), name: 'admin', grant: { role: 'org_admin', orgId } };

function supporter(n: number): ExportedSupporterView {
  const id = n.toString(16).padStart(24, '0');
  return { id, orgId, email: `s${n}@example.org`, emailState: 'active', language: 'en', topics: [], createdAt: '2026-11-01T10:00:00.000Z', consents: [] };
}

/** subscriptions' pages, in memory: what was asked, and the answers in order. */
function exporting(pages: Array<() => Promise<unknown>>, format: ExportFormat) {
  const asked: Array<Record<string, unknown>> = [];
  const rpc = {
    request: async (subject: string, payload: Record<string, unknown>) => {
      expect(subject).toBe(supporterRpc.exportPage);
      asked.push(payload);
      return pages[asked.length - 1]();
    },
  } as unknown as RpcClient;
  const written: string[] = [];
  const headers: Record<string, string> = {};
  const res = {
    destroyed: false,
    status: () => res,
    type: (value: string) => void (headers['content-type'] = value),
    setHeader: (name: string, value: string) => void (headers[name.toLowerCase()] = value),
    write: (chunk: string) => written.push(chunk) > 0,
    end: (chunk: string) => void written.push(chunk),
  };
  const context: RouteContext<{ orgId: string }, { format: ExportFormat }, unknown> = {
    actor,
    params: { orgId },
    query: { format },
    body: undefined,
    headers: {},
    rpc,
    progress: {} as ProgressFeed,
    sealer: {} as SecretSealer,
    config: {} as GatewayConfig,
    cookie: { set: () => undefined, clear: () => undefined },
    sessions: {} as SessionResolver,
  };
  return { run: () => streamSupporterExport(context, res as unknown as Response), asked, written, headers };
}

describe('the supporter export', () => {
  it('follows the cursor page by page and writes a CSV with its header first', async () => {
    const run = exporting(
      [async () => ({ supporters: [supporter(1), supporter(2)], next: supporter(2).id }), async () => ({ supporters: [supporter(3)] })],
      'csv',
    );
    await run.run();
    expect(run.asked).toEqual([
      { actor, orgId, after: undefined, limit: 500 },
      { actor, orgId, after: supporter(2).id, limit: 500 },
    ]);
    const lines = run.written.join('').split('\r\n');
    expect(lines[0]).toMatch(/^email,language,topics,consent_at,consent_source,id,/);
    expect(lines.slice(1, 4).map((line) => line.split(',')[0])).toEqual(['s1@example.org', 's2@example.org', 's3@example.org']);
    expect(run.headers['content-type']).toMatch(/^text\/csv/);
    expect(run.headers['content-disposition']).toBe(`attachment; filename="supporters-${orgId}.csv"`);
  });

  it('writes one JSON array across pages, each supporter with its consent history', async () => {
    const run = exporting([async () => ({ supporters: [supporter(1)], next: supporter(1).id }), async () => ({ supporters: [supporter(2)] })], 'json');
    await run.run();
    expect(JSON.parse(run.written.join(''))).toEqual([supporter(1), supporter(2)]);
  });

  it('writes a valid empty document when there is nobody', async () => {
    const run = exporting([async () => ({ supporters: [] })], 'json');
    await run.run();
    expect(JSON.parse(run.written.join(''))).toEqual([]);
  });

  it('writes nothing when the first page is refused, so the router can still answer with the status', async () => {
    const run = exporting([() => Promise.reject(new Forbidden('only the organisation’s admins may export'))], 'csv');
    await expect(run.run()).rejects.toBeInstanceOf(Forbidden);
    expect(run.written).toEqual([]);
    expect(run.headers).toEqual({});
  });
});
