/* gh-keystore-password-dialog.h — a local keystore file's password changed, with the
 * progress of its keys
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-keystore-file.h"

G_BEGIN_DECLS

#define GH_TYPE_KEYSTORE_PASSWORD_DIALOG (gh_keystore_password_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhKeystorePasswordDialog, gh_keystore_password_dialog, GH, KEYSTORE_PASSWORD_DIALOG, AdwDialog)

/* Signal "changed": the file was saved with the new password (then the dialog closes). */
AdwDialog *gh_keystore_password_dialog_new (GhKeystoreFile *file);

G_END_DECLS
