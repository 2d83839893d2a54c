import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ENDPOINT_NAMES, ENDPOINTS } from '../src/index.js';
import { openApiDocument } from '../src/openapi/document.js';

const committed = readFileSync(new URL('../openapi.json', import.meta.url), 'utf8');
const document = openApiDocument() as {
  openapi: string;
  paths: Record<string, Record<string, { requestBody?: unknown; responses: Record<string, unknown> }>>;
  components: { schemas: Record<string, { additionalProperties?: boolean }> };
};

describe('openapi.json', () => {
  it('is up to date with the schemas (run `pnpm --filter @totpkit/protocol openapi` if this fails)', () => {
    expect(committed).toBe(`${JSON.stringify(document, null, 2)}\n`);
  });

  it('is OpenAPI 3.1 with every call at its path and method', () => {
    expect(document.openapi).toBe('3.1.0');
    for (const name of ENDPOINT_NAMES) {
      const { path, method } = ENDPOINTS[name];
      expect(document.paths[path]?.[method.toLowerCase()], name).toBeDefined();
    }
  });

  it('describes strict requests and open responses', () => {
    const { schemas } = document.components;
    expect(schemas.ActivateRequest?.additionalProperties).toBe(false);
    expect(schemas.StatusResponse?.additionalProperties).toBeUndefined();
  });

  it('describes the revoke request as one browser by id or all of them', () => {
    const revoke = document.components.schemas.RevokeTrustedBrowsersRequest as { anyOf?: { required: string[] }[] };
    expect(revoke.anyOf?.map((option) => option.required)).toEqual([['id'], ['all']]);
  });

  it('resolves every $ref', () => {
    const refs = [...committed.matchAll(/"\$ref": "#\/components\/(\w+)\/([\w-]+)"/g)];
    expect(refs.length).toBeGreaterThan(10);
    const components = document.components as unknown as Record<string, Record<string, unknown>>;
    for (const [, kind, name] of refs)
      expect(components[kind as string]?.[name as string], `${kind}/${name}`).toBeDefined();
  });

  it('documents Retry-After on every 429', () => {
    for (const name of ['activate', 'deactivate', 'verify', 'regenerateRecoveryCodes', 'reauthenticate'] as const) {
      const { path } = ENDPOINTS[name];
      const tooMany = document.paths[path]?.post?.responses['429'] as { headers: Record<string, unknown> };
      expect(tooMany.headers['Retry-After']).toBeDefined();
    }
  });
});
