import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

describe('the route table', () => {
  // The console's client is generated from the document: a route without these has no name or no typed answer there.
  it.each(apiRoutes.map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))('%s has a camelCase, verb-first operationId', (_name, definition) => {
    expect(definition.operationId).toMatch(/^(get|list|create|update|delete|revoke|set|clear|approve|decline|import|export|erase|count|resend|stream|cancel|publish|preview|search|sign|find)[A-Z][A-Za-z]*$/);
  });

  it('gives each operation its own operationId', () => {
    const ids = apiRoutes.map((r) => r.operationId);
    expect(ids.filter((id, i) => ids.indexOf(id) !== i)).toEqual([]);
  });

  it.each(apiRoutes.filter((r) => !('stream' in r)).map((r) => [`${r.method.toUpperCase()} ${r.path}`, r] as const))(
    '%s declares the schema of its success body',
    (_name, definition) => {
      if (!('stream' in definition) && definition.status === 204) return;
      expect(definition.response).toBeDefined();
    },
  );
});

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(apiRoutes);
  type Operation = {
    parameters: Array<{ name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> }>;
    requestBody?: { content: Record<string, unknown> };
    responses: Record<string, { content?: Record<string, unknown> }>;
  };
  const operation = (path: string, method: string) => (document.paths[`/api/v1${path}`] as Record<string, Operation>)[method];

  it('describes the CSV import as JSON { csv } or text/csv', () => {
    expect(Object.keys(operation('/organisations/{orgId}/supporters/import', 'post').requestBody?.content ?? {})).toEqual(['application/json', 'text/csv']);
  });

  it('describes the streamed routes by the media types they write', () => {
    expect(Object.keys(operation('/organisations/{orgId}/supporters/export', 'get').responses['200'].content ?? {})).toEqual(['text/csv', 'application/json']);
    expect(Object.keys(operation('/alerts/{alertId}/progress', 'get').responses['200'].content ?? {})).toEqual(['text/event-stream']);
    expect(operation('/organisations/{orgId}/alerts/{alertId}/progress', 'get')).toBeDefined();
    expect(Object.keys(operation('/organisations/{orgId}/supporters/counts', 'get').responses['200'].content ?? {})).toEqual(['application/json']);
  });

  it('describes each success body with the reply schema the services answer', () => {
    const alert = operation('/alerts/{alertId}', 'get').responses['200'].content?.['application/json'] as { schema: { required: string[] } };
    expect(alert.schema.required).toEqual(expect.arrayContaining(['id', 'coalitionId', 'status', 'version', 'texts']));
    const exportJson = operation('/organisations/{orgId}/supporters/export', 'get').responses['200'].content?.['application/json'] as { schema: { type: string } };
    expect(exportJson.schema.type).toBe('array');
  });

  it('describes every error answer with the error body, and both ways to authenticate', () => {
    const responses = operation('/alerts/{alertId}', 'get').responses as Record<string, { $ref?: string }>;
    expect(responses['404']).toEqual({ $ref: '#/components/responses/NotFound' });
    expect(document.components.responses.NotFound.content['application/json'].schema).toEqual({ $ref: '#/components/schemas/Error' });
    expect(document.components.securitySchemes.session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'clarion_session' });
    expect(document.security).toEqual([{ bearer: [] }, { session: [] }]);
  });

  it('documents the optional Idempotency-Key header of publishing, and its 422', () => {
    const publish = operation('/alerts/{alertId}/publish', 'post');
    const header = publish.parameters.find((p) => p.in === 'header');
    expect(header).toMatchObject({ name: 'Idempotency-Key', required: false, schema: { type: 'string', pattern: expect.any(String) } });
    expect(header?.description).toMatch(/24 hours/);
    expect(Object.keys(publish.responses)).toContain('422');
    expect(Object.keys(operation('/alerts/{alertId}/cancel', 'post').responses)).not.toContain('422');
  });

  it('documents the organisation’s own SMTP settings: PUT with { url, from }, DELETE and GET, and when a change applies', () => {
    const put = operation('/organisations/{orgId}/sender/smtp', 'put') as Operation & { tags: string[]; description?: string };
    const body = (put.requestBody?.content['application/json'] as { schema: { required: string[]; properties: Record<string, unknown> } }).schema;
    expect(body.required.sort()).toEqual(['from', 'url']);
    expect(body.properties.url).toMatchObject({ type: 'string', maxLength: 500 });
    expect(put.tags).toEqual(['organisations']);
    // Delivery caches sender identities: a caller must learn that a change is not instant.
    expect(put.description).toMatch(/SENDER_IDENTITY_TTL_MS/);
    expect(put.description).toMatch(/minute/);
    expect(operation('/organisations/{orgId}/sender/smtp', 'delete')).toMatchObject({ tags: ['organisations'], description: put.description });
    expect(operation('/organisations/{orgId}/sender/smtp', 'get')).toMatchObject({ tags: ['organisations'] });
  });
});
