/* gh-import-dialog.h — the preview of an import into a gateway: what a file holds,
 * where each part goes, and only then the upload
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"
#include "gh-keystore-file.h"
#include "gh-serve-preview.h"

G_BEGIN_DECLS

#define GH_TYPE_IMPORT_DIALOG (gh_import_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhImportDialog, gh_import_dialog, GH, IMPORT_DIALOG, AdwDialog)

/* @data: the file's bytes, @name its name for people; @version: the configuration's,
 * the If-Match of the first change. Signal "imported" (guint n_entries): done; the
 * dialog closes. */
AdwDialog  *gh_import_dialog_new         (GhAdminClient  *client,
                                          GBytes         *data,
                                          const char     *name,
                                          gint64          version);
/* The same preview for a local keystore file: Import commits to @file (saved at once). */
AdwDialog  *gh_import_dialog_new_local   (GhKeystoreFile *file,
                                          GBytes         *data,
                                          const char     *name);
/* Rotating: the file's first key entry replaces the keystore entry @alias (PUT
 * /keystore/{alias}) rather than adding one; the alias cannot be changed. */
/* The alias a new entry gets, in place of the one the file suggests (editable). */
void        gh_import_dialog_set_alias        (GhImportDialog *self,
                                               const char     *alias);
void        gh_import_dialog_set_rotate_alias (GhImportDialog *self,
                                               const char     *alias);
/* What the preview found (0 while the file cannot be read). */
guint       gh_import_dialog_get_n_items (GhImportDialog *self);
/* The problem shown, or NULL. */
const char *gh_import_dialog_get_problem (GhImportDialog *self);
/* What the accepts would serve after a rotate (visible only when rotating). */
GhServePreview *gh_import_dialog_get_serve_preview (GhImportDialog *self);
/* TRUE while the password field is marked wrong. */
gboolean    gh_import_dialog_get_wrong_password (GhImportDialog *self);

G_END_DECLS
