/* gh-certificates-page-private.h — what the Certificates page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-certificates-page.h"

G_BEGIN_DECLS

/* Whether the identity may import now (admin, gateway reachable, configuration known). */
gboolean _gh_certificates_page_may_import      (GhCertificatesPage *self);
void     _gh_certificates_page_toast           (GhCertificatesPage *self,
                                                const char         *text);
/* Reads @file, then shows the import's preview (or a toast saying why not). */
void     _gh_certificates_page_import_file     (GhCertificatesPage *self,
                                                GFile              *file);

/* gh-certificates-page-drop.c: files and text dropped on the page, or pasted. */
void     _gh_certificates_page_class_init_drop (GtkWidgetClass     *widget_class);
void     _gh_certificates_page_init_drop       (GhCertificatesPage *self);

G_END_DECLS
