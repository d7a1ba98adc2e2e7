/* gh-api-cert-entry.h — one certificate entry of a gateway as a person reads it: the
 * keystore's and the truststore's entries side by side, with their expiry judged
 * against the user's warning window and what on the gateway uses them
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

#include "gh-certificate.h"

G_BEGIN_DECLS

typedef enum {
  GH_API_EXPIRY_NONE,      /* no certificate to judge */
  GH_API_EXPIRY_FINE,      /* valid beyond the warning window */
  GH_API_EXPIRY_SOON,      /* expires within the warning window */
  GH_API_EXPIRY_EXPIRED,   /* not after is past */
} GhApiExpiry;

#define GH_TYPE_API_EXPIRY (gh_api_expiry_get_type ())
GType        gh_api_expiry_get_type  (void);

/* How @not_after stands at @now (NULL: the current time) with a warning window of
 * @warning_days: the decision the Overview's count and the Certificates page share. */
GhApiExpiry  gh_api_expiry_classify  (GDateTime *not_after,
                                      GDateTime *now,
                                      guint      warning_days);
/* Whole days from @now to @not_after, rounded down; negative once expired. */
gint64       gh_api_expiry_days_left (GDateTime *not_after,
                                      GDateTime *now);

typedef enum {
  GH_API_CERT_STORE_KEYSTORE,
  GH_API_CERT_STORE_TRUSTSTORE,
  GH_API_CERT_STORE_PEER,        /* in neither: what a session's client presented */
  GH_API_CERT_STORE_BACKEND,     /* in neither: what a back-end sent the gateway's probe */
} GhApiCertStore;

typedef enum {
  GH_API_CERT_KIND_KEY,       /* a private key (in the gateway only) and its chain */
  GH_API_CERT_KIND_TRUSTED,   /* a certificate alone */
} GhApiCertKind;

#define GH_TYPE_API_CERT_ENTRY (gh_api_cert_entry_get_type ())

G_DECLARE_FINAL_TYPE (GhApiCertEntry, gh_api_cert_entry, GH, API_CERT_ENTRY, GObject)

/* Properties (all read-only, notified when an update changes them): "alias", "store",
 * "kind", "kind-label", "subject", "display-name", "issuer", "key-label",
 * "not-after-label", "expiry", "expiry-label", "expiry-css-class" ("error", "warning",
 * "success", "dim-label"), "expiry-style" (strv: "gh-badge" and that class), "used-by-label",
 * "in-use". */
GhApiCertEntry *gh_api_cert_entry_new               (GhApiCertStore  store,
                                                     const char     *alias);
const char     *gh_api_cert_entry_get_alias         (GhApiCertEntry *self);
GhApiCertStore  gh_api_cert_entry_get_store         (GhApiCertEntry *self);
GhApiCertKind   gh_api_cert_entry_get_kind          (GhApiCertEntry *self);
/* Of GhCertificate, leaf first; never NULL, may be empty. */
GPtrArray      *gh_api_cert_entry_get_chain         (GhApiCertEntry *self);
GhCertificate  *gh_api_cert_entry_get_certificate   (GhApiCertEntry *self);   /* nullable */
const char     *gh_api_cert_entry_get_kind_label    (GhApiCertEntry *self);
const char     *gh_api_cert_entry_get_display_name  (GhApiCertEntry *self);
const char     *gh_api_cert_entry_get_subject       (GhApiCertEntry *self);
/* The issuer's display name (its CN, or its whole DN). */
const char     *gh_api_cert_entry_get_issuer        (GhApiCertEntry *self);
/* "ECDSA P-256", "RSA 2048". */
const char     *gh_api_cert_entry_get_key_label     (GhApiCertEntry *self);
GDateTime      *gh_api_cert_entry_get_not_after     (GhApiCertEntry *self);   /* nullable */
/* The not-after date, "2027-03-01" (UTC); "" without a certificate. */
const char     *gh_api_cert_entry_get_not_after_label (GhApiCertEntry *self);
GhApiExpiry     gh_api_cert_entry_get_expiry        (GhApiCertEntry *self);
/* "Expired", "Expires in 12 days", "Valid": the badge's text (never colour alone). */
const char     *gh_api_cert_entry_get_expiry_label  (GhApiCertEntry *self);
/* What uses the entry ("echo: wss://localhost:8443/echo", "Admin API", …). */
const char * const *gh_api_cert_entry_get_used_by   (GhApiCertEntry *self);
const char     *gh_api_cert_entry_get_used_by_label (GhApiCertEntry *self);
/* TRUE when alias, subject or issuer contains @text, ignoring case. */
gboolean        gh_api_cert_entry_matches           (GhApiCertEntry *self,
                                                     const char     *text);

/* Sets the entry's data; notifies what changed. */
void            gh_api_cert_entry_update            (GhApiCertEntry     *self,
                                                     GhApiCertKind       kind,
                                                     GPtrArray          *chain,
                                                     const char * const *used_by,
                                                     GDateTime          *now,
                                                     guint               warning_days);
/* Judges the expiry again (the time or the warning window changed). */
void            gh_api_cert_entry_classify          (GhApiCertEntry     *self,
                                                     GDateTime          *now,
                                                     guint               warning_days);

G_END_DECLS
