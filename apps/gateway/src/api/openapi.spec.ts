import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(apiRoutes);
  type Operation = { requestBody?: { content: Record<string, unknown> }; responses: Record<string, { content?: Record<string, unknown> }> };
  const operation = (path: string, method: string) => (document.paths[`/api/v1${path}`] as Record<string, Operation>)[method];

  it('describes the CSV import as JSON { csv } or text/csv', () => {
    expect(Object.keys(operation('/organisations/{orgId}/supporters/import', 'post').requestBody?.content ?? {})).toEqual(['application/json', 'text/csv']);
  });

  it('describes the streamed routes by the media types they write', () => {
    expect(Object.keys(operation('/organisations/{orgId}/supporters/export', 'get').responses['200'].content ?? {})).toEqual(['text/csv', 'application/json']);
    expect(Object.keys(operation('/alerts/{alertId}/progress', 'get').responses['200'].content ?? {})).toEqual(['text/event-stream']);
    expect(operation('/organisations/{orgId}/alerts/{alertId}/progress', 'get')).toBeDefined();
    expect(operation('/organisations/{orgId}/supporters/counts', 'get').responses['200']).toEqual({ description: 'Success' });
  });
});
