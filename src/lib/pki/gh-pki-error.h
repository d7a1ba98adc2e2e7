/* gh-pki-error.h — errors of the PKI core
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define GH_PKI_ERROR (gh_pki_error_quark ())

/**
 * GhPkiError:
 * Each code is a situation a caller can act on; the message says what to do.
 */
typedef enum {
  GH_PKI_ERROR_FAILED,                /* anything else (a GnuTLS failure with its text) */
  GH_PKI_ERROR_EMPTY,                 /* no data at all */
  GH_PKI_ERROR_TOO_LARGE,             /* over GH_PKI_MAX_INPUT_SIZE */
  GH_PKI_ERROR_UNKNOWN_FORMAT,        /* not PEM, DER, PKCS#7, PKCS#8 or PKCS#12 */
  GH_PKI_ERROR_CORRUPT,               /* the format is recognised, the content is broken */
  GH_PKI_ERROR_TRUNCATED,             /* the content ends early */
  GH_PKI_ERROR_PASSWORD_REQUIRED,     /* encrypted, and no password was given */
  GH_PKI_ERROR_WRONG_PASSWORD,        /* a password was given and is not the one */
  GH_PKI_ERROR_EMPTY_PASSWORD,        /* the file's password is the empty one, not absent (or the reverse) */
  GH_PKI_ERROR_NO_MAC,                /* PKCS#12 without integrity protection */
  GH_PKI_ERROR_UNSUPPORTED_ALGORITHM, /* an algorithm GnuTLS does not do (RC2-40, …) */
  GH_PKI_ERROR_NOT_FOUND,             /* no entry with that alias */
  GH_PKI_ERROR_EXISTS,                /* an entry with that alias exists */
  GH_PKI_ERROR_KEY_MISMATCH,          /* a certificate that does not belong to the key */
  GH_PKI_ERROR_INVALID,               /* a bad argument: alias, subject, SAN, key type, … */
  GH_PKI_ERROR_IO,                    /* reading or writing a file failed */
} GhPkiError;

/* Largest input any PKI parser accepts: a real keystore of 10,000 entries is ~30 MiB. */
#define GH_PKI_MAX_INPUT_SIZE (64 * 1024 * 1024)

GQuark gh_pki_error_quark (void);

G_END_DECLS
