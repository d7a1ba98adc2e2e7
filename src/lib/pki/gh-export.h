/* gh-export.h — a keystore entry's certificate, chain or key written for other tools
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-keystore.h"
#include "gh-keystore-entry.h"

G_BEGIN_DECLS

typedef enum {
  GH_EXPORT_FORMAT_PEM,
  GH_EXPORT_FORMAT_DER,     /* the certificate only */
  GH_EXPORT_FORMAT_PKCS7,   /* the chain, degenerate signed-data */
  GH_EXPORT_FORMAT_PKCS12,  /* a key entry with its chain, encrypted with @password */
} GhExportFormat;

gboolean         gh_export_format_from_string (const char      *name,
                                               GhExportFormat  *format);

/* The entry's certificate (or with @chain its whole chain, leaf first) in @format.
 * PKCS#12 needs a key entry and a password; nothing else ever contains the key. */
GBytes          *gh_keystore_entry_export     (GhKeystoreEntry *entry,
                                               GhExportFormat   format,
                                               gboolean         chain,
                                               const char      *password,
                                               GhPkcs12Profile  profile,
                                               GError         **error);

/* @certificates (of GhCertificate, leaf first; with @chain all of them, else the leaf)
 * as PEM, DER (one certificate) or PKCS#7: for a chain that has no key with it. */
GBytes          *gh_certificate_chain_export  (GPtrArray       *certificates,
                                               GhExportFormat   format,
                                               gboolean         chain,
                                               GError         **error);

G_END_DECLS
