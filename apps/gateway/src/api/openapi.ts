import { z } from 'zod';
import type { ApiRoute } from './api-route';
import { API_PREFIX } from './api-router';

/** The session cookie a person's browser carries after signing in (the bearer token's alternative). */
export const SESSION_COOKIE = 'clarion_session';

/** Every error answer has this body (`errorBodyOf`, libs/service-kit). */
const errorBody = {
  type: 'object',
  required: ['statusCode', 'error', 'message'],
  properties: {
    statusCode: { type: 'integer', description: 'The HTTP status again' },
    error: { type: 'string', description: 'The status’s name, e.g. `Bad Request`' },
    message: { type: 'string', description: 'What went wrong, for a person to read' },
    field: { type: 'string', description: 'The input field at fault (400), as a dotted path' },
  },
};

/** The error statuses, each a reusable response; every route may answer those in ALWAYS. */
const errors: Record<number, { name: string; description: string }> = {
  400: { name: 'BadRequest', description: 'The input is invalid; `field` names the field at fault' },
  401: { name: 'Unauthorized', description: 'No valid API token or session' },
  403: { name: 'Forbidden', description: 'The caller may not do this to this resource' },
  404: { name: 'NotFound', description: 'No such resource, or not one the caller may see' },
  409: { name: 'Conflict', description: 'The resource is not in a state that allows this' },
  413: { name: 'PayloadTooLarge', description: 'The body is larger than this route accepts' },
  422: { name: 'UnprocessableEntity', description: 'The request repeats an idempotency key with a different request' },
  429: { name: 'TooManyRequests', description: 'Past this client’s limit; try again later' },
  503: { name: 'ServiceUnavailable', description: 'A service behind the gateway did not answer in time' },
};
const ALWAYS = [400, 401, 403, 404, 409, 503];

/** Tag names in the route table, with what each groups (the order of Swagger UI's sections). */
const tags: Record<string, string> = {
  tokens: 'API tokens for integrations: one role each, the secret shown once',
  organisations: 'Member organisations: their profile and their own sender (SMTP)',
  memberships: 'An organisation’s coalitions: invitations received, subscriptions with filters, channels and relay policy',
  relays: 'Alerts waiting for an organisation’s decision, and the decision: approve (with its own intro and call to action) or decline',
  supporters: 'An organisation’s supporters: import, export, counts, and one supporter’s data rights',
  coalitions: 'Coalitions and their invitations to organisations',
  alerts: 'A coalition’s alerts: draft, approve, publish, correct, cancel, and how they were relayed',
  progress: 'Delivery: live counts as Server-Sent Events, and sending failed deliveries again',
};

function jsonSchema(schema: z.ZodType, io: 'input' | 'output'): Record<string, unknown> {
  // Refinements (plain-text checks, country codes) have no JSON Schema form; the shape and limits still show.
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: 'any' }) as Record<string, unknown>;
  return rest;
}

function parameters(definition: ApiRoute) {
  const list: object[] = [];
  const locations = [['path', definition.params], ['query', definition.query], ['header', definition.headers]] as const;
  for (const [location, schema] of locations) {
    if (!schema) continue;
    const shape = jsonSchema(schema, 'input') as { properties?: Record<string, { description?: string }>; required?: string[] };
    for (const [name, { description, ...property }] of Object.entries(shape.properties ?? {})) {
      const required = location === 'path' || (shape.required ?? []).includes(name);
      list.push({ name, in: location, required, ...(description ? { description } : {}), schema: property });
    }
  }
  return list;
}

function requestContent(definition: ApiRoute, body: z.ZodType): Record<string, object> {
  const content: Record<string, object> = { 'application/json': { schema: jsonSchema(body, 'input') } };
  for (const mediaType of definition.bodyOptions?.text?.mediaTypes ?? []) content[mediaType] = { schema: { type: 'string' } };
  return content;
}

function successResponse(definition: ApiRoute): Record<string, object> {
  if (!('stream' in definition)) {
    const content = definition.response ? { content: { 'application/json': { schema: jsonSchema(definition.response, 'output') } } } : {};
    return { [String(definition.status ?? 200)]: { description: 'Success', ...content } };
  }
  // A stream's text (CSV, Server-Sent Events) is a string to a client; its JSON form has the route's response schema.
  const content = Object.fromEntries(
    definition.produces.map((mediaType) => [
      mediaType,
      { schema: mediaType === 'application/json' && definition.response ? jsonSchema(definition.response, 'output') : { type: 'string' } },
    ]),
  );
  return { '200': { description: 'Success, written as it is produced', content } };
}

function errorResponses(definition: ApiRoute): Record<string, object> {
  const statuses = [...new Set([...ALWAYS, ...(definition.moreErrors ?? [])])].sort();
  return Object.fromEntries(statuses.map((status) => [String(status), { $ref: `#/components/responses/${errors[status].name}` }]));
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
      operationId: definition.operationId,
      tags: [definition.tag],
      summary: definition.summary,
      ...(definition.description ? { description: definition.description } : {}),
      security: securityOf(definition),
      parameters: parameters(definition),
      ...(definition.body ? { requestBody: { required: true, content: requestContent(definition, definition.body) } } : {}),
      responses: { ...successResponse(definition), ...errorResponses(definition) },
    };
  }
  const usedErrors = new Set(routes.flatMap((definition) => [...ALWAYS, ...(definition.moreErrors ?? [])]));
  return {
    openapi: '3.1.0',
    info: {
      title: 'Clarion API',
      version: '1',
      description:
        'Coalitions, member organisations, alerts, relays, supporters and live progress. Integrations send ' +
        '`Authorization: Bearer <API token>`; the consoles’ browsers carry the session cookie set at sign-in.',
      license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
    },
    // Relative: the document describes the installation that serves it.
    servers: [{ url: '/', description: 'This Clarion installation' }],
    tags: Object.entries(tags).map(([name, description]) => ({ name, description })),
    security: [{ bearer: [] }, { session: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'An API token (POST /api/v1/tokens), for integrations' },
        session: {
          type: 'apiKey',
          in: 'cookie',
          name: SESSION_COOKIE,
          description: 'A person’s session after signing in; a request that changes anything also sends `X-CSRF-Token` and a same-origin `Origin`',
        },
      },
      schemas: { Error: errorBody },
      responses: Object.fromEntries(
        Object.entries(errors)
          .filter(([status]) => usedErrors.has(Number(status)))
          .map(([, { name, description }]) => [name, { description, content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } }]),
      ),
    },
    paths,
  };
}
