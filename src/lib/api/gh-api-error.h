/* gh-api-error.h — errors of the admin API client: the server's problem types
 * (docs/admin-api.md) and what can go wrong before an answer comes back
 *
 * A GH_API_ERROR raised for a problem+json answer has the server's "detail" as its
 * message; a config-invalid one carries the server's list of problems
 * (gh_api_error_get_problems(), of GhConfigProblem).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_API_ERROR (gh_api_error_quark ())

/**
 * GhApiError:
 * Each code is a situation a caller can act on. The first group are the server's
 * problem types (the name in the table of docs/admin-api.md); the second is what the
 * client itself finds.
 */
typedef enum {
  GH_API_ERROR_FAILED,                  /* anything else: an unknown problem type, … */
  /* the server's problem types */
  GH_API_ERROR_NOT_AN_IDENTITY,         /* 403 not-an-identity: the certificate matches no identity */
  GH_API_ERROR_FORBIDDEN_ROLE,          /* 403 forbidden-role: the identity's role does not allow it */
  GH_API_ERROR_ORIGIN_REFUSED,          /* 403 origin-refused */
  GH_API_ERROR_MISDIRECTED,             /* 421 misdirected: Host does not name the listener */
  GH_API_ERROR_NOT_FOUND,               /* 404 not-found: no such path, service, session, alias, version */
  GH_API_ERROR_METHOD_NOT_ALLOWED,      /* 405 method-not-allowed */
  GH_API_ERROR_LENGTH_REQUIRED,         /* 411 length-required */
  GH_API_ERROR_BODY_TOO_LARGE,          /* 413 body-too-large */
  GH_API_ERROR_UNSUPPORTED_MEDIA_TYPE,  /* 415 unsupported-media-type */
  GH_API_ERROR_MALFORMED,               /* 400 malformed: the server could not read the request */
  GH_API_ERROR_PRECONDITION_REQUIRED,   /* 428 precondition-required: a write without If-Match */
  GH_API_ERROR_PRECONDITION_FAILED,     /* 412 precondition-failed: the configuration changed meanwhile */
  GH_API_ERROR_CONFIG_INVALID,          /* 422 config-invalid: with problems */
  GH_API_ERROR_CONFLICT,                /* 409 conflict: alias exists, service in that state already, … */
  GH_API_ERROR_PKI_ERROR,               /* 422 pki-error: an upload that cannot be read */
  GH_API_ERROR_UNAVAILABLE,             /* 503 unavailable: the gateway is stopping */
  GH_API_ERROR_INTERNAL,                /* 500 internal: a bug in the gateway */
  /* found by the client */
  GH_API_ERROR_PIN_MISMATCH,            /* the server's certificate is not the pinned one */
  GH_API_ERROR_TLS,                     /* the TLS handshake failed (our certificate refused, …) */
  GH_API_ERROR_UNREACHABLE,             /* connection refused, timed out, name not resolved */
  GH_API_ERROR_IDENTITY,                /* the PKCS#12 identity cannot be read */
  GH_API_ERROR_PROTOCOL,                /* the answer is not what the contract says */
} GhApiError;

GQuark       gh_api_error_quark              (void);

/* "not-an-identity", … for the server's types, "pin-mismatch", … for the client's. */
const char  *gh_api_error_code_to_string     (GhApiError    code);
/* The code of a problem type: its full URI or only the name at its end. FALSE (and
 * GH_API_ERROR_FAILED) when the name is not one of the contract's. */
gboolean     gh_api_error_code_from_string   (const char   *type,
                                              GhApiError   *code);

/* The problems a GH_API_ERROR_CONFIG_INVALID error carries (of GhConfigProblem: path
 * and message as the server gave them), or NULL for any other error. */
GListModel  *gh_api_error_get_problems       (const GError *error);
/* The HTTP status of a server's problem, 0 for an error found by the client. */
guint        gh_api_error_get_status         (const GError *error);
/* For GH_API_ERROR_PRECONDITION_FAILED: the server's current configuration version
 * ("current_version"), 0 when not given. */
gint64       gh_api_error_get_current_version (const GError *error);

G_END_DECLS
