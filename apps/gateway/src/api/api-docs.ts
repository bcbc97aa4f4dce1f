import type { INestApplication } from '@nestjs/common';
import { SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { apiRoutes } from './api-routes';
import { buildOpenApiDocument } from './openapi';

/** Swagger UI at /api/docs and the document itself at /api/docs/openapi.json. */
export function mountApiDocs(app: INestApplication): void {
  const document = buildOpenApiDocument(apiRoutes) as unknown as OpenAPIObject;
  SwaggerModule.setup('api/docs', app, document, { jsonDocumentUrl: 'api/docs/openapi.json' });
}
