import { z } from 'zod';
import type { ApiRoute } from './api-route';
import { API_PREFIX } from './api-router';

const errorResponse = {
  description: 'Error: `{ statusCode, error, message, field? }`',
  content: {
    'application/json': {
      schema: {
        type: 'object',
        required: ['statusCode', 'error', 'message'],
        properties: { statusCode: { type: 'integer' }, error: { type: 'string' }, message: { type: 'string' }, field: { type: 'string' } },
      },
    },
  },
};

function jsonSchema(schema: z.ZodType): Record<string, unknown> {
  // Refinements (plain-text checks, country codes) have no JSON Schema form; the shape and limits still show.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(definition: ApiRoute) {
  const list: object[] = [];
  const locations = [['path', definition.params], ['query', definition.query], ['header', definition.headers]] as const;
  for (const [location, schema] of locations) {
    if (!schema) continue;
    const shape = jsonSchema(schema) as { properties?: Record<string, { description?: string }>; required?: string[] };
    for (const [name, { description, ...property }] of Object.entries(shape.properties ?? {})) {
      const required = location === 'path' || (shape.required ?? []).includes(name);
      list.push({ name, in: location, required, ...(description ? { description } : {}), schema: property });
    }
  }
  return list;
}

function requestContent(definition: ApiRoute, body: z.ZodType): Record<string, object> {
  const content: Record<string, object> = { 'application/json': { schema: jsonSchema(body) } };
  for (const mediaType of definition.bodyOptions?.text?.mediaTypes ?? []) content[mediaType] = { schema: { type: 'string' } };
  return content;
}

function successResponse(definition: ApiRoute): Record<string, object> {
  if (!('stream' in definition)) {
    const content = definition.response ? { content: { 'application/json': { schema: jsonSchema(definition.response) } } } : {};
    return { [String(definition.status ?? 200)]: { description: 'Success', ...content } };
  }
  const content = Object.fromEntries(definition.produces.map((mediaType) => [mediaType, {}]));
  return { '200': { description: 'Success, written as it is produced', content } };
}

/** An API token or a console session (cookie, with X-CSRF-Token on changes); the session's own routes; or nobody. */
function securityOf(definition: ApiRoute): object[] {
  switch (definition.authentication ?? 'principal') {
    case 'public':
      return [];
    case 'session':
      return [{ session: [] }];
    case 'principal':
      return [{ bearer: [] }, { session: [] }];
  }
}

/** The OpenAPI 3.1 document of /api/v1, generated from the same route table and zod schemas the router enforces. */
export function buildOpenApiDocument(routes: ApiRoute[]) {
  const paths: Record<string, Record<string, object>> = {};
  for (const definition of routes) {
    const path = `${API_PREFIX}${definition.path}`.replace(/:(\w+)/g, '{$1}');
    paths[path] ??= {};
    paths[path][definition.method] = {
      tags: [definition.tag],
      summary: definition.summary,
      ...(definition.description ? { description: definition.description } : {}),
      ...(definition.operationId ? { operationId: definition.operationId } : {}),
      security: securityOf(definition),
      parameters: parameters(definition),
      ...(definition.body ? { requestBody: { required: true, content: requestContent(definition, definition.body) } } : {}),
      responses: {
        ...successResponse(definition),
        '400': errorResponse,
        '401': errorResponse,
        '403': errorResponse,
        '404': errorResponse,
        '409': errorResponse,
        ...Object.fromEntries((definition.moreErrors ?? []).map((status) => [String(status), errorResponse])),
        '503': errorResponse,
      },
    };
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clarion API',
      version: '1',
      description:
        'Coalitions, member organisations, alerts, relays, supporters and live progress. Every call needs `Authorization: Bearer <API token>` ' +
        'or a console session (cookie `clarion_session` from POST /auth/sessions; changes also carry `X-CSRF-Token` and a same-origin `Origin`), ' +
        'except asking for a sign-in link and signing in.',
    },
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer' },
        session: { type: 'apiKey', in: 'cookie', name: 'clarion_session', description: 'A console session; changes also need X-CSRF-Token and a same-origin Origin.' },
      },
    },
    paths,
  };
}
