import type { INestApplication } from '@nestjs/common';
import { DocumentBuilder, SwaggerModule, type OpenAPIObject } from '@nestjs/swagger';
import { RouteInventory } from '../auth/route-inventory.js';
import { describeValidatedDtos } from './validation-schema.js';

export const DOCS_PATH = 'docs';
export const DOCS_JSON_PATH = 'docs-json';

/**
 * The API documentation at /docs (Swagger UI) and /docs-json (OpenAPI 3), public like health. Each
 * operation says whether it needs a bearer token and which roles may call it, from the same
 * declarations the auth guard enforces.
 */
export function setupOpenApi(app: INestApplication): void {
  describeValidatedDtos();
  const config = new DocumentBuilder()
    .setTitle('kefu-bridge')
    .setDescription('Order automation between marketplace shops and the Jushuitan ERP: shops, users, tasks and more. Every /api call needs `Authorization: Bearer <token>`.')
    .setVersion('1')
    .addBearerAuth({ type: 'http', scheme: 'bearer', bearerFormat: 'kfb_…', description: 'an API token from POST /api/users or npm run users:create' }, 'bearer')
    .build();
  const document = SwaggerModule.createDocument(app, config);
  declareAccess(document, app.get(RouteInventory));
  SwaggerModule.setup(DOCS_PATH, app, document, { jsonDocumentUrl: DOCS_JSON_PATH });
}

/** Marks each operation public (no security) or bearer-only, and lists its roles in `x-roles` and its description. */
function declareAccess(document: OpenAPIObject, inventory: RouteInventory): void {
  for (const route of inventory.routes()) {
    const op = document.paths[openApiPath(route.path)]?.[route.method.toLowerCase() as 'get'] as Record<string, unknown> | undefined;
    if (!op) continue;
    op.security = route.public ? [] : [{ bearer: [] }];
    if (route.roles) {
      op['x-roles'] = route.roles;
      op.description = [op.description, `Roles: ${route.roles.join(', ')}.`].filter(Boolean).join('\n\n');
    }
  }
}

/** `api/shops/:id` → `/api/shops/{id}` */
export function openApiPath(path: string): string {
  return `/${path.replace(/:([A-Za-z0-9_]+)/g, '{$1}')}`;
}
