import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

describe('the OpenAPI document', () => {
  const document = buildOpenApiDocument(apiRoutes);
  type Operation = {
    parameters: Array<{ name: string; in: string; required: boolean; description?: string; schema: Record<string, unknown> }>;
    requestBody?: { content: Record<string, unknown> };
    responses: Record<string, { content?: Record<string, unknown> }>;
  };
  const operation = (path: string, method: string) => (document.paths[`/api/v1${path}`] as Record<string, Operation>)[method];

  it('documents sign-in: public link and session routes, the cookie scheme, operation ids and answers', () => {
    const withSecurity = (path: string, method: string) => operation(path, method) as Operation & { security: object[]; operationId?: string };
    expect(withSecurity('/auth/sign-in-links', 'post')).toMatchObject({ security: [], operationId: 'requestSignInLink' });
    expect(withSecurity('/auth/sessions', 'post')).toMatchObject({ security: [], operationId: 'createSession' });
    expect(withSecurity('/auth/session', 'get').security).toEqual([{ session: [] }]);
    expect(withSecurity('/accounts', 'post').security).toEqual([{ bearer: [] }, { session: [] }]);
    const session = withSecurity('/auth/session', 'get').responses['200'].content?.['application/json'] as { schema: { required: string[] } };
    expect(session.schema.required.sort()).toEqual(['account', 'csrfToken', 'expiresAt', 'sessionId']);
    expect(Object.keys(withSecurity('/auth/sign-in-links', 'post').responses)).toContain('202');
    expect((document.components.securitySchemes as Record<string, unknown>).session).toMatchObject({ type: 'apiKey', in: 'cookie', name: 'clarion_session' });
  });

  it('describes the CSV import as JSON { csv } or text/csv', () => {
    expect(Object.keys(operation('/organisations/{orgId}/supporters/import', 'post').requestBody?.content ?? {})).toEqual(['application/json', 'text/csv']);
  });

  it('describes the streamed routes by the media types they write', () => {
    expect(Object.keys(operation('/organisations/{orgId}/supporters/export', 'get').responses['200'].content ?? {})).toEqual(['text/csv', 'application/json']);
    expect(Object.keys(operation('/alerts/{alertId}/progress', 'get').responses['200'].content ?? {})).toEqual(['text/event-stream']);
    expect(operation('/organisations/{orgId}/alerts/{alertId}/progress', 'get')).toBeDefined();
    expect(operation('/organisations/{orgId}/supporters/counts', 'get').responses['200']).toEqual({ description: 'Success' });
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
