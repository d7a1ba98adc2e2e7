/* gh-add-gateway-dialog.h — add a gateway: URL, admin identity, password; confirm
 * the gateway's admin certificate on first contact, then pin it
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-gateway-list.h"

G_BEGIN_DECLS

#define GH_TYPE_ADD_GATEWAY_DIALOG (gh_add_gateway_dialog_get_type ())

G_DECLARE_FINAL_TYPE (GhAddGatewayDialog, gh_add_gateway_dialog, GH, ADD_GATEWAY_DIALOG, AdwDialog)

/* The new gateway is added to @list (and started) on "Trust and Add"; "added" then. */
GhAddGatewayDialog  *gh_add_gateway_dialog_new               (GhGatewayList      *list);
/* What the file chooser sets. */
void                 gh_add_gateway_dialog_set_identity_path (GhAddGatewayDialog *self,
                                                              const char         *path);
/* "form" or "confirm". */
const char          *gh_add_gateway_dialog_get_step          (GhAddGatewayDialog *self);
/* TRUE while loading the identity, probing or signing in. */
gboolean             gh_add_gateway_dialog_get_busy          (GhAddGatewayDialog *self);
/* The probed fingerprint ("AB:CD:…"), NULL before. */
const char          *gh_add_gateway_dialog_get_fingerprint   (GhAddGatewayDialog *self);
/* The problem shown on the current step (title, then what to do), or NULL. */
const char          *gh_add_gateway_dialog_get_problem       (GhAddGatewayDialog *self);
const char          *gh_add_gateway_dialog_get_problem_detail (GhAddGatewayDialog *self);
GhGatewayConnection *gh_add_gateway_dialog_get_added         (GhAddGatewayDialog *self);

/* "AB:CD:…" as four lines of eight bytes. */
char                *gh_format_fingerprint_for_reading       (const char         *fingerprint);
/* https://host[:port], optionally with "/" or "/api/v1". */
gboolean             gh_admin_url_is_valid                   (const char         *text);

G_END_DECLS
