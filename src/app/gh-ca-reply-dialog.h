/* gh-ca-reply-dialog.h — a certificate authority's reply installed on the key entry
 * that asked for it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"

G_BEGIN_DECLS

#define GH_TYPE_CA_REPLY_DIALOG (gh_ca_reply_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhCaReplyDialog, gh_ca_reply_dialog, GH, CA_REPLY_DIALOG, AdwDialog)

/* For the key entry @alias; @version: the configuration's, the If-Match. Signal
 * "installed" (const char *alias): done, the dialog closes. */
AdwDialog  *gh_ca_reply_dialog_new         (GhAdminClient   *client,
                                            const char      *alias,
                                            gint64           version);
/* The reply's text, as pasted or read from a file. */
void        gh_ca_reply_dialog_set_text    (GhCaReplyDialog *self,
                                            const char      *text);
/* The problem shown, or NULL. */
const char *gh_ca_reply_dialog_get_problem (GhCaReplyDialog *self);

G_END_DECLS
