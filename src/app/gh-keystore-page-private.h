/* gh-keystore-page-private.h — what the local keystore page's files share
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-api-cert-entry.h"
#include "gh-keystore-page.h"

G_BEGIN_DECLS

GhApiCertEntry *_gh_keystore_page_get_selected (GhKeystorePage *self);   /* nullable */
void            _gh_keystore_page_toast        (GhKeystorePage *self,
                                                const char     *text);

/* gh-keystore-page-dialogs.c: rename, delete, export, a new key, upload. */
void            _gh_keystore_page_class_init_dialogs (GtkWidgetClass *widget_class);

G_END_DECLS
