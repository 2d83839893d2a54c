/**
 * The OpenAPI 3.1 description of protocol v1, generated from the zod schemas (the single source)
 * with `toJSONSchema`. `pnpm --filter @totpkit/protocol openapi` writes it to `openapi.json`, and a
 * test fails when the committed file differs from what this function returns.
 *
 * Every wire schema is generated with `io: 'input'`: a body on the wire is the *input* of the
 * receiver's parser (the server parses requests, the client parses responses). Requests are strict
 * (`additionalProperties: false`); responses are open, because clients ignore unknown fields.
 */
import * as z from 'zod/mini';
import { ENDPOINT_NAMES, ENDPOINTS, type EndpointName } from '../endpoints.js';
import { COMMON_ERRORS, ERROR_STATUS, type ErrorCode } from '../errors.js';
import * as schemas from '../schemas.js';
import { PROTOCOL_HEADER, PROTOCOL_VERSION } from '../version.js';

type JsonObject = Record<string, unknown>;

const COMPONENTS = {
  SetupRequest: schemas.SetupRequest,
  ActivateRequest: schemas.ActivateRequest,
  DeactivateRequest: schemas.DeactivateRequest,
  VerifyRequest: schemas.VerifyRequest,
  RegenerateRecoveryCodesRequest: schemas.RegenerateRecoveryCodesRequest,
  ReauthenticateRequest: schemas.ReauthenticateRequest,
  RevokeTrustedBrowsersRequest: schemas.RevokeTrustedBrowsersRequest,
  StatusResponse: schemas.StatusResponse,
  SetupResponse: schemas.SetupResponse,
  RecoveryCodesResponse: schemas.RecoveryCodesResponse,
  DeactivateResponse: schemas.DeactivateResponse,
  VerifyResponse: schemas.VerifyResponse,
  ReauthenticateResponse: schemas.ReauthenticateResponse,
  TrustedBrowsersResponse: schemas.TrustedBrowsersResponse,
  RevokeTrustedBrowsersResponse: schemas.RevokeTrustedBrowsersResponse,
  ErrorResponse: schemas.ErrorResponse,
} as const;

const OPERATIONS: Record<EndpointName, { summary: string; request?: string; response: string }> = {
  status: {
    summary: 'Whether TOTP is active, the recovery-code counts and the code format',
    response: 'StatusResponse',
  },
  setup: {
    summary: 'Generate a pending secret and seal it in an enrollment token',
    request: 'SetupRequest',
    response: 'SetupResponse',
  },
  activate: {
    summary: 'Activate TOTP with a code from the pending secret; returns the recovery codes',
    request: 'ActivateRequest',
    response: 'RecoveryCodesResponse',
  },
  deactivate: {
    summary: 'Turn TOTP off, after a current TOTP code or an unused recovery code',
    request: 'DeactivateRequest',
    response: 'DeactivateResponse',
  },
  verify: {
    summary: 'The login challenge: a TOTP code or a recovery code',
    request: 'VerifyRequest',
    response: 'VerifyResponse',
  },
  regenerateRecoveryCodes: {
    summary: 'Replace the recovery codes, after a current TOTP code or an unused recovery code',
    request: 'RegenerateRecoveryCodesRequest',
    response: 'RecoveryCodesResponse',
  },
  reauthenticate: {
    summary:
      'Confirm a sensitive change with a TOTP code or a recovery code (when status has features.codeReauthentication)',
    request: 'ReauthenticateRequest',
    response: 'ReauthenticateResponse',
  },
  trustedBrowsers: {
    summary: 'The unexpired trusted browsers of the user, newest first (when status has features.trustedBrowsers)',
    response: 'TrustedBrowsersResponse',
  },
  revokeTrustedBrowsers: {
    summary: 'Revoke one trusted browser by id, or all of them (when status has features.trustedBrowsers)',
    request: 'RevokeTrustedBrowsersRequest',
    response: 'RevokeTrustedBrowsersResponse',
  },
};

const HEADERS = {
  'Cache-Control': {
    description: 'Always `no-store` (OWASP ASVS 4.0.3 §8.2.1): responses may carry secrets and codes.',
    required: true,
    schema: { type: 'string', const: 'no-store' },
  },
  'X-Content-Type-Options': {
    description: 'Always `nosniff`.',
    required: true,
    schema: { type: 'string', const: 'nosniff' },
  },
  'Retry-After': {
    description: 'Whole seconds to wait (RFC 9110 §10.2.3); equal to `error.retryAfter`.',
    required: true,
    schema: { type: 'integer', minimum: 1 },
  },
  Allow: {
    description: 'The method this path accepts (RFC 9110 §10.2.1).',
    required: true,
    schema: { type: 'string' },
  },
};

const header = (name: keyof typeof HEADERS) => ({ [name]: { $ref: `#/components/headers/${name}` } });
const EVERY_RESPONSE_HEADERS = { ...header('Cache-Control'), ...header('X-Content-Type-Options') };

function jsonSchema(schema: z.core.$ZodType): JsonObject {
  const { $schema: _ignored, ...rest } = z.toJSONSchema(schema, { target: 'draft-2020-12', io: 'input' }) as JsonObject;
  return rest;
}

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });

function errorResponses(name: EndpointName): JsonObject {
  const codes: ErrorCode[] = [...COMMON_ERRORS, ...ENDPOINTS[name].errors];
  if (ENDPOINTS[name].request === null) {
    // A GET has no body, so the body checks cannot fail.
    for (const bodyOnly of ['payload_too_large', 'unsupported_media_type'] as const)
      codes.splice(codes.indexOf(bodyOnly), 1);
  }
  const byStatus = new Map<number, ErrorCode[]>();
  for (const code of codes) byStatus.set(ERROR_STATUS[code], [...(byStatus.get(ERROR_STATUS[code]) ?? []), code]);
  const responses: JsonObject = {};
  for (const [status, list] of [...byStatus].sort(([a], [b]) => a - b)) {
    const headers: JsonObject = {
      ...EVERY_RESPONSE_HEADERS,
      ...(list.includes('rate_limited') ? header('Retry-After') : {}),
      ...(list.includes('method_not_allowed') ? header('Allow') : {}),
    };
    responses[String(status)] = {
      description: `\`error.code\`: ${list.map((code) => `\`${code}\``).join(', ')}`,
      headers,
      content: {
        'application/json': {
          schema: { allOf: [ref('ErrorResponse')], properties: { error: { properties: { code: { enum: list } } } } },
        },
      },
    };
  }
  return responses;
}

function operation(name: EndpointName): JsonObject {
  const described = OPERATIONS[name];
  const op: JsonObject = {
    operationId: name,
    summary: described.summary,
    parameters: [
      {
        name: PROTOCOL_HEADER,
        in: 'header',
        required: true,
        description:
          'The protocol version. Also the CSRF defence: it forces a CORS preflight on cross-origin requests.',
        schema: { type: 'string', const: String(PROTOCOL_VERSION) },
      },
    ],
    responses: {
      '200': {
        description: 'Success',
        headers: EVERY_RESPONSE_HEADERS,
        content: { 'application/json': { schema: ref(described.response) } },
      },
      ...errorResponses(name),
    },
  };
  if (described.request) {
    op.requestBody = { required: true, content: { 'application/json': { schema: ref(described.request) } } };
  }
  return op;
}

/** The OpenAPI 3.1 document of protocol v1, as a plain JSON value. */
export function openApiDocument(): JsonObject {
  const paths: JsonObject = {};
  for (const name of ENDPOINT_NAMES) {
    const endpoint = ENDPOINTS[name];
    paths[endpoint.path] = { [endpoint.method.toLowerCase()]: operation(name) };
  }
  const componentSchemas: JsonObject = {};
  for (const [name, schema] of Object.entries(COMPONENTS)) componentSchemas[name] = jsonSchema(schema);
  return {
    openapi: '3.1.0',
    info: {
      title: 'totpkit protocol',
      version: String(PROTOCOL_VERSION),
      description:
        'The JSON protocol between the totpkit elements and any backend. docs/protocol.md is normative; this ' +
        'document is generated from the zod schemas of @totpkit/protocol. Authentication is the host\u2019s own ' +
        'session (usually a cookie), so no security scheme is declared.',
      license: { name: 'MIT', identifier: 'MIT' },
    },
    servers: [
      {
        url: '{baseUrl}',
        description: 'The base URL the host mounts the protocol on.',
        variables: { baseUrl: { default: '/mfa' } },
      },
    ],
    paths,
    components: { schemas: componentSchemas, headers: HEADERS },
  };
}
