// Generated from the zod schemas in ../schemas.ts by ./generate.ts; do not edit.
// Regenerate: node scripts/pnpm.mjs --filter @totpkit/protocol check-table (a test fails when stale).
import type { EndpointName } from '../endpoints.js';
import type { Shape } from './shape.js';

/** Each call's method, path and response body shape. */
export const ENDPOINT_SHAPES: Record<EndpointName, { method: 'GET' | 'POST'; path: string; response: Shape }> = {
  "status": {
    "method": "GET",
    "path": "/status",
    "response": {
      "type": "object",
      "properties": {
        "totp": {
          "type": "object",
          "properties": {
            "active": {
              "type": "boolean"
            },
            "createdAt": {
              "anyOf": [
                {
                  "type": "string",
                  "format": "date-time"
                },
                {
                  "type": "null"
                }
              ]
            },
            "lastUsedAt": {
              "anyOf": [
                {
                  "type": "string",
                  "format": "date-time"
                },
                {
                  "type": "null"
                }
              ]
            }
          },
          "required": [
            "active",
            "createdAt",
            "lastUsedAt"
          ]
        },
        "recoveryCodes": {
          "anyOf": [
            {
              "type": "object",
              "properties": {
                "total": {
                  "type": "integer",
                  "minimum": 0
                },
                "unused": {
                  "type": "integer",
                  "minimum": 0
                }
              },
              "required": [
                "total",
                "unused"
              ]
            },
            {
              "type": "null"
            }
          ]
        },
        "config": {
          "type": "object",
          "properties": {
            "digits": {
              "type": "integer",
              "minimum": 6,
              "maximum": 8
            },
            "period": {
              "type": "integer",
              "minimum": 1,
              "maximum": 120
            }
          },
          "required": [
            "digits",
            "period"
          ]
        },
        "reauthenticationRequired": {
          "type": "boolean"
        }
      },
      "required": [
        "totp",
        "recoveryCodes",
        "config",
        "reauthenticationRequired"
      ]
    }
  },
  "setup": {
    "method": "POST",
    "path": "/totp/setup",
    "response": {
      "type": "object",
      "properties": {
        "secret": {
          "type": "string",
          "pattern": "^[A-Z2-7]+$"
        },
        "otpauthUrl": {
          "type": "string",
          "pattern": "^otpauth:\\/\\/totp\\/.*"
        },
        "qrCode": {
          "anyOf": [
            {
              "type": "string",
              "pattern": "^data:image\\/svg\\+xml;base64,.*"
            },
            {
              "type": "null"
            }
          ]
        },
        "digits": {
          "type": "integer",
          "minimum": 6,
          "maximum": 8
        },
        "period": {
          "type": "integer",
          "minimum": 1,
          "maximum": 120
        },
        "algorithm": {
          "type": "string",
          "enum": [
            "SHA1",
            "SHA256",
            "SHA512"
          ]
        },
        "issuer": {
          "type": "string"
        },
        "accountName": {
          "type": "string"
        },
        "enrollmentToken": {
          "type": "string",
          "minLength": 1,
          "maxLength": 2048
        },
        "expiresAt": {
          "type": "string",
          "format": "date-time"
        }
      },
      "required": [
        "secret",
        "otpauthUrl",
        "qrCode",
        "digits",
        "period",
        "algorithm",
        "issuer",
        "accountName",
        "enrollmentToken",
        "expiresAt"
      ]
    }
  },
  "activate": {
    "method": "POST",
    "path": "/totp/activate",
    "response": {
      "type": "object",
      "properties": {
        "recoveryCodes": {
          "minItems": 1,
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          }
        }
      },
      "required": [
        "recoveryCodes"
      ]
    }
  },
  "deactivate": {
    "method": "POST",
    "path": "/totp/deactivate",
    "response": {
      "type": "object",
      "properties": {}
    }
  },
  "verify": {
    "method": "POST",
    "path": "/verify",
    "response": {
      "type": "object",
      "properties": {
        "method": {
          "type": "string",
          "enum": [
            "totp",
            "recovery_code"
          ]
        },
        "recoveryCodesLeft": {
          "anyOf": [
            {
              "type": "integer",
              "minimum": 0
            },
            {
              "type": "null"
            }
          ]
        }
      },
      "required": [
        "method",
        "recoveryCodesLeft"
      ]
    }
  },
  "regenerateRecoveryCodes": {
    "method": "POST",
    "path": "/recovery-codes/regenerate",
    "response": {
      "type": "object",
      "properties": {
        "recoveryCodes": {
          "minItems": 1,
          "type": "array",
          "items": {
            "type": "string",
            "minLength": 1
          }
        }
      },
      "required": [
        "recoveryCodes"
      ]
    }
  }
};

/** The body of every non-2xx response. */
export const ERROR_SHAPE: Shape = {
  "type": "object",
  "properties": {
    "error": {
      "type": "object",
      "properties": {
        "code": {
          "type": "string",
          "enum": [
            "invalid_request",
            "invalid_code",
            "unauthenticated",
            "reauthentication_required",
            "forbidden",
            "deactivation_forbidden",
            "not_active",
            "not_found",
            "method_not_allowed",
            "already_active",
            "enrollment_expired",
            "payload_too_large",
            "unsupported_media_type",
            "rate_limited",
            "internal_error",
            "unavailable"
          ]
        },
        "message": {
          "type": "string"
        },
        "field": {
          "type": "string"
        },
        "retryAfter": {
          "type": "integer",
          "minimum": 1
        }
      },
      "required": [
        "code",
        "message"
      ]
    }
  },
  "required": [
    "error"
  ]
};
