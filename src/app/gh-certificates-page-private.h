/* gh-certificates-page-private.h — what the Certificates page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-admin-client.h"
#include "gh-api-cert-entry.h"
#include "gh-certificates-page.h"

G_BEGIN_DECLS

/* Whether the identity may import now (admin, gateway reachable, configuration known). */
gboolean _gh_certificates_page_may_import      (GhCertificatesPage *self);
void     _gh_certificates_page_toast           (GhCertificatesPage *self,
                                                const char         *text);
/* Reads @file, then shows the import's preview (or a toast saying why not); with
 * @rotate_alias, the preview of rotating that key entry with the file's. */
void     _gh_certificates_page_import_file     (GhCertificatesPage *self,
                                                GFile              *file,
                                                const char         *rotate_alias);
/* The file chooser titled @title, then the same with the file chosen. */
void     _gh_certificates_page_choose_file     (GhCertificatesPage *self,
                                                const char         *title,
                                                const char         *rotate_alias);

GhAdminClient      *_gh_certificates_page_get_client    (GhCertificatesPage *self);   /* nullable */
gint64              _gh_certificates_page_get_version   (GhCertificatesPage *self);
/* What the TLS accepts answer to, from the last configuration read (nullable). */
const char * const *_gh_certificates_page_get_csr_names (GhCertificatesPage *self);
GhApiCertEntry     *_gh_certificates_page_get_selected  (GhCertificatesPage *self);   /* nullable */
/* A change made from the page: says @message and reads the gateway again. */
void                _gh_certificates_page_changed       (GhCertificatesPage *self,
                                                         const char         *message);

/* gh-certificates-page-csr.c: a new key and its request; the CA's reply; rotating. */
void     _gh_certificates_page_class_init_csr     (GtkWidgetClass     *widget_class);
void     _gh_certificates_page_update_csr_actions (GhCertificatesPage *self);

/* gh-certificates-page-drop.c: files and text dropped on the page, or pasted. */
void     _gh_certificates_page_class_init_drop (GtkWidgetClass     *widget_class);
void     _gh_certificates_page_init_drop       (GhCertificatesPage *self);

G_END_DECLS
