/* gh-config-error.h — errors of the gateway configuration
 *
 * GH_CONFIG_ERROR is an extended error domain: besides its code and message, every
 * error the configuration code raises carries the list of problems it found
 * (GhConfigProblem: code, JSON path, service, message), so that an editor can put each
 * one on its field and the admin API can return them all.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_CONFIG_ERROR (gh_config_error_quark ())

/**
 * GhConfigError:
 * Each code is a situation a caller can act on; the message says what to do. The
 * first group comes from reading the JSON (the file cannot become a configuration
 * at all); the rest from gh_gateway_config_validate().
 */
typedef enum {
  GH_CONFIG_ERROR_FAILED,               /* anything else */
  GH_CONFIG_ERROR_IO,                   /* the file could not be read */
  GH_CONFIG_ERROR_TOO_LARGE,            /* input, string, nesting or list over its limit */
  GH_CONFIG_ERROR_SYNTAX,               /* not well-formed JSON (line and column known) */
  GH_CONFIG_ERROR_DUPLICATE_MEMBER,     /* the same member twice in one JSON object */
  GH_CONFIG_ERROR_UNSUPPORTED_VERSION,  /* "version" missing or not one this code reads */
  GH_CONFIG_ERROR_UNKNOWN_MEMBER,       /* a member the schema does not have (a typo?) */
  GH_CONFIG_ERROR_WRONG_TYPE,           /* a string where a number belongs, … */
  /* validation */
  GH_CONFIG_ERROR_MISSING,              /* a required field is not there */
  GH_CONFIG_ERROR_INVALID,              /* a value that is malformed: name, URI, host:port, priority string, … */
  GH_CONFIG_ERROR_OUT_OF_RANGE,         /* a number outside its bounds */
  GH_CONFIG_ERROR_NOT_ALLOWED,          /* a field or scheme that this kind of service does not take */
  GH_CONFIG_ERROR_DUPLICATE_NAME,       /* two services (or admin identities) with one name */
  GH_CONFIG_ERROR_ADDRESS_CONFLICT,     /* two accepts that claim the same address or port */
  GH_CONFIG_ERROR_NEEDS_KEYSTORE,       /* TLS toward clients, and security.keystore is not set */
  GH_CONFIG_ERROR_NEEDS_TRUSTSTORE,     /* certificates to verify, and security.truststore is not set */
} GhConfigError;

/* Limits on what the parser accepts: it reads files and the admin API's PUT bodies. */
#define GH_CONFIG_MAX_SIZE           (4 * 1024 * 1024)  /* bytes of JSON */
#define GH_CONFIG_MAX_DEPTH          16                 /* nesting of objects and arrays */
#define GH_CONFIG_MAX_STRING_LENGTH  4096               /* bytes in any one string */
#define GH_CONFIG_MAX_SERVICES       1024
#define GH_CONFIG_MAX_ACCEPTS        64                 /* accept URIs of one service */
#define GH_CONFIG_MAX_IDENTITIES     1024               /* admin identities */
#define GH_CONFIG_MAX_PROBLEMS       256                /* problems reported at once */

GQuark       gh_config_error_quark           (void);

const char  *gh_config_error_code_to_string  (GhConfigError  code);  /* "address-conflict", … */

/* The problems an error of GH_CONFIG_ERROR carries (of GhConfigProblem, at least one
 * when the configuration code raised it), or NULL for any other error. */
GListModel  *gh_config_error_get_problems    (const GError  *error);
/* The JSON path of the first problem ("services[1].connect"), or NULL. */
const char  *gh_config_error_get_path        (const GError  *error);
void         gh_config_error_set_problem     (GError       **error,
                                              GhConfigError  code,
                                              const char    *path,
                                              const char    *message);

G_END_DECLS
