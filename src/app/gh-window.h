/* gh-window.h — the main window
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-add-gateway-dialog.h"
#include "gh-gateway-list.h"
#include "gh-keystore-page.h"
#include "gh-overview-page.h"

G_BEGIN_DECLS

#define GH_TYPE_WINDOW (gh_window_get_type ())

G_DECLARE_FINAL_TYPE (GhWindow, gh_window, GH, WINDOW, AdwApplicationWindow)

GhWindow   *gh_window_new         (AdwApplication *application);
const char *gh_window_get_page    (GhWindow       *self);
const char *gh_window_get_help_page (GhWindow     *self);
void        gh_window_set_page    (GhWindow       *self,
                                   const char     *page);
void        gh_window_add_toast   (GhWindow       *self,
                                   AdwToast       *toast);

GhGatewayList       *gh_window_get_gateways         (GhWindow            *self);
GhGatewayConnection *gh_window_get_selected_gateway (GhWindow            *self);
void                 gh_window_select_gateway       (GhWindow            *self,
                                                     GhGatewayConnection *connection);
void                 gh_window_add_gateway          (GhWindow            *self,
                                                     GhGatewayConnection *connection);
GhAddGatewayDialog  *gh_window_show_add_gateway     (GhWindow            *self);
GhOverviewPage      *gh_window_get_overview_page    (GhWindow            *self);
/* Local keystore files (gh-window-keystores.c): opened with the keyring's password or
 * none, asking when the file needs one; added to the sidebar and shown. */
void                 gh_window_open_keystore        (GhWindow            *self,
                                                     GFile               *file);
GhKeystorePage      *gh_window_add_keystore_file    (GhWindow            *self,
                                                     GhKeystoreFile      *file);
GhKeystorePage      *gh_window_get_keystore_page    (GhWindow            *self);
/* The banner's text while it is shown, else NULL. */
const char          *gh_window_get_banner_title     (GhWindow            *self);

G_END_DECLS
