/* gh-csr-dialog.h — a new key made inside the gateway, and the request for its
 * certificate
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"

G_BEGIN_DECLS

#define GH_TYPE_CSR_DIALOG (gh_csr_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhCsrDialog, gh_csr_dialog, GH, CSR_DIALOG, AdwDialog)

/* @names: what the request asks for, prefilled (gh_api_csr_suggest_names()); @version:
 * the configuration's, the If-Match. Signal "generated" (const char *alias): the key
 * is in the gateway's keystore; the dialog now shows the request. */
AdwDialog  *gh_csr_dialog_new         (GhAdminClient      *client,
                                       const char * const *names,
                                       gint64              version);
/* The request's PEM once generated, else NULL. */
const char *gh_csr_dialog_get_request (GhCsrDialog        *self);
/* The problem shown, or NULL. */
const char *gh_csr_dialog_get_problem (GhCsrDialog        *self);

G_END_DECLS
