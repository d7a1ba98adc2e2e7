/* gh-keystore-page.h — a local keystore file: its entries, their details, and the
 * changes the user makes to it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-keystore-file.h"

G_BEGIN_DECLS

#define GH_TYPE_KEYSTORE_PAGE (gh_keystore_page_get_type ())

G_DECLARE_FINAL_TYPE (GhKeystorePage, gh_keystore_page, GH, KEYSTORE_PAGE, AdwBin)

GtkWidget      *gh_keystore_page_new             (GhKeystoreFile    *file);
GhKeystoreFile *gh_keystore_page_get_file        (GhKeystorePage    *self);
/* The rows shown (of GhApiCertEntry), sorted. */
GListModel     *gh_keystore_page_get_model       (GhKeystorePage    *self);
/* Selects the entry; FALSE when there is none of that alias. */
gboolean        gh_keystore_page_select          (GhKeystorePage    *self,
                                                  const char        *alias);
/* Opens the preview of importing @data (a file's bytes; @name for people) into the
 * file. */
AdwDialog      *gh_keystore_page_preview_import  (GhKeystorePage    *self,
                                                  GBytes            *data,
                                                  const char        *name);
/* Writes the key entry @alias with its private key to @target, encrypted with
 * @password: what the Export dialog does once the user chose. */
gboolean        gh_keystore_page_export_key      (GhKeystorePage    *self,
                                                  const char        *alias,
                                                  GhKeyExportFormat  format,
                                                  GhPkcs12Profile    profile,
                                                  const char        *password,
                                                  GFile             *target,
                                                  GError           **error);

G_END_DECLS
