import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import helmet from 'helmet';
import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

const DOCS_PATH = 'api/docs';

/**
 * Swagger UI loads its scripts and styles from its own origin; its page
 * carries two inline style blocks and an inline `style` attribute, and its
 * stylesheet draws icons as data: images. So: scripts from 'self' only,
 * styles inline allowed (no user content is rendered as HTML there), no
 * framing, requests only to this origin (Try it out).
 */
export const DOCS_CONTENT_SECURITY_POLICY = {
  defaultSrc: ["'self'"],
  scriptSrc: ["'self'"],
  styleSrc: ["'self'", "'unsafe-inline'"],
  imgSrc: ["'self'", 'data:'],
  fontSrc: ["'self'", 'data:'],
  connectSrc: ["'self'"],
  frameAncestors: ["'none'"],
  formAction: ["'self'"],
  baseUri: ["'none'"],
  objectSrc: ["'none'"],
};

/** Swagger UI at /api/docs and the document itself at /api/docs/openapi.json. */
export function mountApiDocs(app: INestApplication): void {
  const document = buildOpenApiDocument(apiRoutes) as unknown as OpenAPIObject;
  // After the service kit's headers, so this policy replaces the API's for the docs only.
  app.use(`/${DOCS_PATH}`, helmet.contentSecurityPolicy({ useDefaults: false, directives: DOCS_CONTENT_SECURITY_POLICY }));
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: `${DOCS_PATH}/openapi.json`, swaggerOptions: { validatorUrl: null } });
}
