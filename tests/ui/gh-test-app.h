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
  GhTestWsClient      *session;      /* a live session of the echo service, for Connections */
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

/* What a test does with each page or dialog: @root is the window (a page) or the
 * dialog, @what its name ("overview", "keystore", "add-gateway", "preferences", …),
 * @page the window's page shown (NULL for the keystore page and the dialogs). */
typedef void (*GhTestAppVisit) (GtkWidget  *root,
                                const char *what,
                                const char *page);

/* Adds a test under @prefix ("/translations") for each page of the window (the six, and
 * @keystore_path opened as a local keystore file) and each dialog one can open without
 * side effects (Add Gateway, Preferences, Shortcuts, About, a new service's editor, the
 * import of @keystore_path, the change of its password); each shows it in @self's
 * window, calls @visit, and closes a dialog again. */
void       gh_test_app_add_visits   (GhTestApp      *self,
                                     const char     *prefix,
                                     const char     *keystore_path,
                                     GhTestAppVisit  visit,
                                     guint           timeout_seconds);

/* gtk_test_init() with --keep-going: every subtest reports, not only the first failing
 * one. */
void       gh_test_app_init_keep_going (int        *argc,
                                        char     ***argv);

G_END_DECLS
