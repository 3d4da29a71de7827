import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { RouteInventory } from '../../src/auth/route-inventory.js';
import { openApiPath } from '../../src/docs/openapi.js';
import { startTestApp, type TestApp } from '../support/test-app.js';
import { backend } from '../support/test-env.js';

interface Operation {
  tags?: string[];
  security?: Record<string, string[]>[];
  'x-roles'?: string[];
}

interface Doc {
  paths: Record<string, Record<string, Operation>>;
  components: { securitySchemes: Record<string, { scheme: string }>; schemas: Record<string, { properties: Record<string, Record<string, unknown>>; required?: string[] }> };
}

describe(`API documentation (${backend.label})`, () => {
  let t: TestApp;
  let doc: Doc;

  beforeAll(async () => {
    t = await startTestApp({ env: { KEFU_SCHEDULER: 'off' } });
    const r = await fetch(`${t.url}/docs-json`);
    expect(r.status).toBe(200);
    doc = (await r.json()) as Doc;
  });
  afterAll(async () => t?.close());

  it('serves the Swagger UI at /docs without a token', async () => {
    const r = await fetch(`${t.url}/docs`);
    expect(r.status).toBe(200);
    expect(await r.text()).toContain('swagger-ui');
  });

  it('documents every route the app registers, tagged, with the access the guard enforces', () => {
    const routes = t.app.get(RouteInventory).routes();
    expect(routes.length).toBeGreaterThan(20);
    expect(doc.components.securitySchemes.bearer.scheme).toBe('bearer');
    const missing: string[] = [];
    for (const r of routes) {
      const op = doc.paths[openApiPath(r.path)]?.[r.method.toLowerCase()];
      if (!op) {
        missing.push(`${r.method} /${r.path}`);
        continue;
      }
      expect(op.tags?.length).toBeGreaterThan(0);
      expect(op.security).toEqual(r.public ? [] : [{ bearer: [] }]);
      if (!r.public) expect(op['x-roles']).toEqual(r.roles);
    }
    expect(missing).toEqual([]);
  });

  it('describes request bodies and queries with the limits validation enforces', () => {
    const user = doc.components.schemas.CreateUserDto;
    expect(user.required).toEqual(['name', 'roles']);
    expect(user.properties.name).toMatchObject({ type: 'string', maxLength: 64, minLength: 1 });
    expect(user.properties.roles).toMatchObject({ type: 'array', minItems: 1, items: { enum: ['operator', 'pre_sale', 'in_sale', 'after_sale', 'auditor', 'warehouse', 'lead'] } });
    expect(user.properties.agentId).toMatchObject({ type: 'string', pattern: '^[A-Za-z0-9_-]{1,32}$' });
    expect(doc.components.schemas.CreateShopDto.properties.platform).toMatchObject({ enum: ['taobao', 'pinduoduo', 'kuaishou', 'jushuitan'] });
    const params = (doc.paths['/api/tasks'].get as unknown as { parameters: { name: string; required: boolean; schema: Record<string, unknown> }[] }).parameters;
    expect(params.find((p) => p.name === 'pageSize')).toMatchObject({ in: 'query', required: false, schema: { type: 'integer', minimum: 1, maximum: 200 } });
    expect(params.find((p) => p.name === 'status')?.schema.enum).toContain('escalated');
  });
});
