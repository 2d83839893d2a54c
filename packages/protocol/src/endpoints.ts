/**
 * The calls of protocol v1. Paths are relative to a base URL, such as the elements' `endpoint`
 * attribute (`/mfa`). Only the listed method is allowed on each path; anything else is a 405.
 * `errors` lists the codes particular to each call; `COMMON_ERRORS` may come from any call.
 */
import type * as z from 'zod/mini';
import type { ErrorCode } from './errors.js';
import {
  ActivateRequest,
  ActivateResponse,
  DeactivateRequest,
  DeactivateResponse,
  ReauthenticateRequest,
  ReauthenticateResponse,
  RegenerateRecoveryCodesRequest,
  RegenerateRecoveryCodesResponse,
  RevokeTrustedBrowsersRequest,
  RevokeTrustedBrowsersResponse,
  SetupRequest,
  SetupResponse,
  StatusResponse,
  TrustedBrowsersResponse,
  VerifyRequest,
  VerifyResponse,
} from './schemas.js';

/** One call: its method and path, the zod schemas of its bodies, and its particular errors. */
export interface Endpoint {
  method: 'GET' | 'POST';
  path: string;
  /** Null for a call without a body. */
  request: z.ZodMiniType | null;
  response: z.ZodMiniType;
  errors: readonly ErrorCode[];
}

export const ENDPOINTS = {
  status: {
    method: 'GET',
    path: '/status',
    request: null,
    response: StatusResponse,
    errors: [],
  },
  setup: {
    method: 'POST',
    path: '/totp/setup',
    request: SetupRequest,
    response: SetupResponse,
    // rate_limited: setups per account are limited, as each one generates a secret and a QR code.
    errors: ['reauthentication_required', 'already_active', 'rate_limited'],
  },
  activate: {
    method: 'POST',
    path: '/totp/activate',
    request: ActivateRequest,
    response: ActivateResponse,
    errors: ['invalid_code', 'reauthentication_required', 'already_active', 'enrollment_expired', 'rate_limited'],
  },
  deactivate: {
    method: 'POST',
    path: '/totp/deactivate',
    request: DeactivateRequest,
    response: DeactivateResponse,
    errors: ['invalid_code', 'reauthentication_required', 'deactivation_forbidden', 'not_active', 'rate_limited'],
  },
  verify: {
    method: 'POST',
    path: '/verify',
    request: VerifyRequest,
    response: VerifyResponse,
    errors: ['invalid_code', 'not_active', 'rate_limited'],
  },
  regenerateRecoveryCodes: {
    method: 'POST',
    path: '/recovery-codes/regenerate',
    request: RegenerateRecoveryCodesRequest,
    response: RegenerateRecoveryCodesResponse,
    errors: ['invalid_code', 'reauthentication_required', 'not_active', 'rate_limited'],
  },
  // The calls below are features: a backend offers them when status says so (`features`). One that
  // does not answers them like any unknown path, 404 not_found.
  reauthenticate: {
    method: 'POST',
    path: '/reauthenticate',
    request: ReauthenticateRequest,
    response: ReauthenticateResponse,
    errors: ['invalid_code', 'not_active', 'rate_limited'],
  },
  trustedBrowsers: {
    method: 'GET',
    path: '/trusted-browsers',
    request: null,
    response: TrustedBrowsersResponse,
    errors: [],
  },
  revokeTrustedBrowsers: {
    method: 'POST',
    path: '/trusted-browsers/revoke',
    request: RevokeTrustedBrowsersRequest,
    response: RevokeTrustedBrowsersResponse,
    errors: [],
  },
} as const satisfies Record<string, Endpoint>;

/**
 * The name of a call: `status`, `setup`, `activate`, `deactivate`, `verify`,
 * `regenerateRecoveryCodes`, and the feature calls `reauthenticate`, `trustedBrowsers`,
 * `revokeTrustedBrowsers`.
 */
export type EndpointName = keyof typeof ENDPOINTS;

/** The names of every call, in the order of the spec (§5.1 to §5.8). */
export const ENDPOINT_NAMES = Object.keys(ENDPOINTS) as EndpointName[];
