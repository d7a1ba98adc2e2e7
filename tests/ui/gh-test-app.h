/* gh-test-app.h — the whole app in a test, as users start it: GhApplication registered
 * and activated, a real gatehoused added to its window, and the waits for a page or a
 * dialog to show what it should
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <adwaita.h>

#include "gh-application.h"
#include "gh-gateway-connection.h"
#include "gh-window.h"
#include "gh-test-gateway.h"

G_BEGIN_DECLS

typedef struct {
  GhApplication       *app;
  GhWindow            *window;       /* (transfer none) the app's window */
  GhGatewayConnection *connection;   /* the gateway in the sidebar, named "Lab", connected */
} GhTestApp;

GhTestApp *gh_test_app_new          (GhTestGateway *gateway,
                                     guint          timeout_seconds);
void       gh_test_app_free         (GhTestApp     *self);

/* Shows @page and waits until it alone is mapped and its data came (no spinner). */
void       gh_test_app_show_page    (GhTestApp     *self,
                                     const char    *page,
                                     guint          timeout_seconds);
/* Waits until @root shows no spinner (or the time is over: the caller then checks what
 * is shown). */
void       gh_test_app_settle       (GtkWidget     *root,
                                     guint          timeout_seconds);
/* (transfer none) The dialog the window shows, once there is one. */
AdwDialog *gh_test_app_wait_dialog  (GhTestApp     *self,
                                     const char    *what,
                                     guint          timeout_seconds);
/* Opens the services page's editor of a new service; (transfer none) the editor. */
AdwDialog *gh_test_app_new_service  (GhTestApp     *self,
                                     guint          timeout_seconds);
/* Opens @path as a local keystore file and shows its page. */
void       gh_test_app_open_keystore (GhTestApp    *self,
                                      const char   *path,
                                      guint         timeout_seconds);

/* Opens the import dialog's preview of @path against the gateway; (transfer none) it. */
AdwDialog *gh_test_app_import       (GhTestApp     *self,
                                     const char    *path,
                                     guint          timeout_seconds);

/* gtk_test_init() with --keep-going: every subtest reports, not only the first failing
 * one. */
void       gh_test_app_init_keep_going (int        *argc,
                                        char     ***argv);

G_END_DECLS
