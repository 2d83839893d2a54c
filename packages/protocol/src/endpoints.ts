/**
 * The calls of protocol v1. Paths are relative to a base URL, such as the elements' `endpoint`
 * attribute (`/mfa`). Only these methods are allowed on each path; anything else is a 405.
 */
import {
  ActivateRequest,
  ActivateResponse,
  DeactivateRequest,
  DeactivateResponse,
  RegenerateRecoveryCodesRequest,
  RegenerateRecoveryCodesResponse,
  SetupRequest,
  SetupResponse,
  StatusResponse,
  VerifyRequest,
  VerifyResponse,
} from './schemas.js';

export const ENDPOINTS = {
  status: { method: 'GET', path: '/status', request: null, response: StatusResponse },
  setup: { method: 'POST', path: '/totp/setup', request: SetupRequest, response: SetupResponse },
  activate: { method: 'POST', path: '/totp/activate', request: ActivateRequest, response: ActivateResponse },
  deactivate: { method: 'POST', path: '/totp/deactivate', request: DeactivateRequest, response: DeactivateResponse },
  verify: { method: 'POST', path: '/verify', request: VerifyRequest, response: VerifyResponse },
  regenerateRecoveryCodes: {
    method: 'POST',
    path: '/recovery-codes/regenerate',
    request: RegenerateRecoveryCodesRequest,
    response: RegenerateRecoveryCodesResponse,
  },
} as const;

export type EndpointName = keyof typeof ENDPOINTS;
