/* gh-serve-preview.h — what each accept would serve from the next handshake, before a
 * change is applied (POST /config/preview), as a group of rows
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-admin-client.h"
#include "gh-api-config-preview.h"

G_BEGIN_DECLS

#define GH_TYPE_SERVE_PREVIEW (gh_serve_preview_get_type ())

G_DECLARE_FINAL_TYPE (GhServePreview, gh_serve_preview, GH, SERVE_PREVIEW, AdwPreferencesGroup)

GtkWidget  *gh_serve_preview_new           (void);
/* Asks @client what the accepts would serve under @config (NULL: the running one) with
 * the key entry @alias's chain replaced by @chain_pem (both NULL: no rotate), and shows
 * the answer for @service / @alias as gh_serve_preview_set_preview() does. A request
 * still running is cancelled; so is the last one when the widget goes. */
void        gh_serve_preview_request       (GhServePreview     *self,
                                            GhAdminClient      *client,
                                            GhGatewayConfig    *config,
                                            const char         *alias,
                                            const char         *chain_pem,
                                            const char         *service);
/* Cancels a request still running. */
void        gh_serve_preview_cancel        (GhServePreview     *self);
/* The gateway is being asked: the rows go, a line says so. */
void        gh_serve_preview_set_loading   (GhServePreview     *self);
/* The preview could not be had: @message says why (nothing is flagged). */
void        gh_serve_preview_set_error     (GhServePreview     *self,
                                            const char         *message);
/* Shows the accepts of @preview that matter: those of @service (NULL: every service)
 * that would serve the key entry @alias (NULL: any), and every flagged one of
 * @service whatever it serves (a rotate can take a host away from an accept). */
void        gh_serve_preview_set_preview   (GhServePreview     *self,
                                            GhApiConfigPreview *preview,
                                            const char         *service,
                                            const char         *alias);
/* The accepts shown, and how many of them are flagged (no certificate, expired). */
guint       gh_serve_preview_get_n_accepts (GhServePreview     *self);
guint       gh_serve_preview_get_n_flagged (GhServePreview     *self);
/* The question asked before applying a change that flags accepts: "cancel" (the
 * default) or "apply" (destructive, labelled @apply_label), as its responses. */
AdwDialog  *gh_serve_preview_new_confirmation (GhServePreview *self,
                                               const char     *heading,
                                               const char     *apply_label);
/* TRUE once a preview (or its error) is shown, FALSE while loading or before. */
gboolean    gh_serve_preview_get_ready     (GhServePreview     *self);

G_END_DECLS
