// Generated from the zod schemas in ../schemas.ts by ./generate.ts; do not edit.
// Regenerate: node scripts/pnpm.mjs --filter @totpkit/protocol check-table (a test fails when stale).
import type { EndpointName } from '../endpoints.js';
import type { Shape, ShapeObject } from './shape.js';

/** Each call's method, path and response body shape. */
export const ENDPOINT_SHAPES: Record<EndpointName, { method: 'GET' | 'POST'; path: string; response: Shape }> = {
  "status": {
    "method": "GET",
    "path": "/status",
    "response": {
      "properties": {
        "totp": {
          "properties": {
            "active": "boolean",
            "createdAt": [
              {
                "type": "string",
                "format": "date-time"
              },
              "null"
            ],
            "lastUsedAt": [
              {
                "type": "string",
                "format": "date-time"
              },
              "null"
            ]
          }
        },
        "recoveryCodes": [
          {
            "properties": {
              "total": {
                "type": "integer",
                "minimum": 0
              },
              "unused": {
                "type": "integer",
                "minimum": 0
              }
            }
          },
          "null"
        ],
        "config": {
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
          }
        },
        "reauthenticationRequired": "boolean",
        "pending": "boolean",
        "features": {
          "properties": {
            "trustedBrowsers": [
              {
                "properties": {
                  "maxDays": {
                    "type": "integer",
                    "minimum": 1,
                    "maximum": 365
                  }
                }
              },
              "null"
            ],
            "codeReauthentication": "boolean"
          }
        }
      },
      "optional": [
        "pending",
        "features"
      ]
    }
  },
  "setup": {
    "method": "POST",
    "path": "/totp/setup",
    "response": {
      "properties": {
        "secret": {
          "type": "string",
          "pattern": "^[A-Z2-7]+$"
        },
        "otpauthUrl": {
          "type": "string",
          "pattern": "^otpauth:\\/\\/totp\\/.*"
        },
        "qrCode": [
          {
            "type": "string",
            "pattern": "^data:image\\/svg\\+xml;base64,.*"
          },
          "null"
        ],
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
        "issuer": "string",
        "accountName": "string",
        "enrollmentToken": {
          "type": "string",
          "minLength": 1,
          "maxLength": 2048
        },
        "expiresAt": {
          "type": "string",
          "format": "date-time"
        }
      }
    }
  },
  "activate": {
    "method": "POST",
    "path": "/totp/activate",
    "response": {
      "properties": {
        "recoveryCodes": {
          "minItems": 1,
          "items": {
            "type": "string",
            "minLength": 1
          }
        }
      }
    }
  },
  "deactivate": {
    "method": "POST",
    "path": "/totp/deactivate",
    "response": {
      "properties": {}
    }
  },
  "verify": {
    "method": "POST",
    "path": "/verify",
    "response": {
      "properties": {
        "method": {
          "type": "string",
          "enum": [
            "totp",
            "recovery_code"
          ]
        },
        "recoveryCodesLeft": [
          {
            "type": "integer",
            "minimum": 0
          },
          "null"
        ],
        "trustedUntil": [
          {
            "type": "string",
            "format": "date-time"
          },
          "null"
        ]
      },
      "optional": [
        "trustedUntil"
      ]
    }
  },
  "regenerateRecoveryCodes": {
    "method": "POST",
    "path": "/recovery-codes/regenerate",
    "response": {
      "properties": {
        "recoveryCodes": {
          "minItems": 1,
          "items": {
            "type": "string",
            "minLength": 1
          }
        }
      }
    }
  },
  "reauthenticate": {
    "method": "POST",
    "path": "/reauthenticate",
    "response": {
      "properties": {
        "method": {
          "type": "string",
          "enum": [
            "totp",
            "recovery_code"
          ]
        },
        "recoveryCodesLeft": [
          {
            "type": "integer",
            "minimum": 0
          },
          "null"
        ]
      }
    }
  },
  "trustedBrowsers": {
    "method": "GET",
    "path": "/trusted-browsers",
    "response": {
      "properties": {
        "browsers": {
          "items": {
            "properties": {
              "id": {
                "type": "string",
                "minLength": 1,
                "maxLength": 128
              },
              "label": "string",
              "createdAt": {
                "type": "string",
                "format": "date-time"
              },
              "lastUsedAt": [
                {
                  "type": "string",
                  "format": "date-time"
                },
                "null"
              ],
              "expiresAt": {
                "type": "string",
                "format": "date-time"
              },
              "current": "boolean"
            }
          }
        }
      }
    }
  },
  "revokeTrustedBrowsers": {
    "method": "POST",
    "path": "/trusted-browsers/revoke",
    "response": {
      "properties": {
        "revoked": {
          "type": "integer",
          "minimum": 0
        }
      }
    }
  }
};

/** The body of every non-2xx response. */
export const ERROR_SHAPE: Shape = {
  "properties": {
    "error": {
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
        "message": "string",
        "field": "string",
        "retryAfter": {
          "type": "integer",
          "minimum": 1
        }
      },
      "optional": [
        "field",
        "retryAfter"
      ]
    }
  }
};
