/* gh-test-gateway.h — what the tests that run a real gatehoused share: free loopback
 * ports, a setup made by `gatehoused init` under the build directory, the daemon
 * started on it (and killed with the test process, whatever happens), and the helpers
 * that iterate the main context until something happens or a timeout fails the test
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>
#include <libsoup/soup.h>

G_BEGIN_DECLS

typedef struct {
  char        *dir;             /* $GATEHOUSE_BUILD_ROOT/tests/<prefix>-XXXXXX */
  char        *gatehoused;      /* the daemon of this build */
  char        *config_path;     /* <dir>/gatehoused.json */
  char        *fingerprint;     /* the admin certificate's SHA-256, as init printed it */
  char        *password;        /* the admin identity's password */
  char        *password_path;   /* <dir>/gatehouse-admin.pw */
  char        *identity_path;   /* <dir>/gatehouse-admin.p12 */
  guint16      port;            /* the echo service's wss listener */
  guint16      admin_port;
  char        *admin_url;       /* https://127.0.0.1:<admin_port> */
  GSubprocess *daemon;          /* NULL while not started (or killed) */
  gboolean     keep_dir;        /* set it to keep the directory when freed (a failed run) */
} GhTestGateway;

guint16        gh_test_free_port        (void);
gboolean       gh_test_port_accepts     (guint16         port);
void           gh_test_remove_dir       (const char     *path);

GhTestGateway *gh_test_gateway_new      (const char     *subdir_prefix);
GhTestGateway *gh_test_gateway_new_full (const char     *subdir_prefix,
                                         const guint16  *avoid_ports,
                                         gsize           n_avoid_ports);
void           gh_test_gateway_start    (GhTestGateway  *self);
void           gh_test_gateway_kill     (GhTestGateway  *self);
void           gh_test_gateway_free     (GhTestGateway  *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTestGateway, gh_test_gateway_free)

/* A WebSocket client of one of the gateway's wss services, trusting its CA. */
typedef struct {
  SoupSession             *session;
  SoupWebsocketConnection *connection;  /* NULL when the handshake failed */
  GError                  *error;       /* why it failed */
  gboolean                 done;        /* the handshake ended */
  guint                    n_received;  /* messages received */
  GString                 *received;    /* their bytes, one after the other */
} GhTestWsClient;

GhTestWsClient *gh_test_ws_client_new   (GhTestGateway  *gateway,
                                         const char     *path,
                                         guint           timeout_seconds);
/* The same, presenting @certificate when the gateway asks for one. */
GhTestWsClient *gh_test_ws_client_new_with_certificate (GhTestGateway   *gateway,
                                                        const char      *path,
                                                        GTlsCertificate *certificate,
                                                        guint            timeout_seconds);
void            gh_test_ws_client_free  (GhTestWsClient *client,
                                         guint           timeout_seconds);

/* Main-context helpers */

gboolean       gh_test_on_timeout       (gpointer        user_data);
void           gh_test_on_result        (GObject        *source,
                                         GAsyncResult   *result,
                                         gpointer        user_data);
void           gh_test_drain            (void);

/* Iterates the default main context until @condition, failing after @timeout_seconds. */
#define GH_TEST_WAIT_FOR(timeout_seconds, condition, what) \
  G_STMT_START { \
    gboolean timed_out_ = FALSE; \
    guint timeout_id_ = g_timeout_add_seconds ((timeout_seconds), gh_test_on_timeout, &timed_out_); \
    while (!(condition) && !timed_out_) \
      g_main_context_iteration (NULL, TRUE); \
    if (!timed_out_) \
      g_source_remove (timeout_id_); \
    if (!(condition)) \
      g_error ("timed out waiting for %s", what); \
  } G_STMT_END

/* Calls @call_async (…, NULL cancellable, callback, data) and waits for its result,
 * which the caller owns. */
#define GH_TEST_RUN(timeout_seconds, call_async, ...) \
  ({ \
    GAsyncResult *result_ = NULL; \
    call_async (__VA_ARGS__, NULL, gh_test_on_result, &result_); \
    GH_TEST_WAIT_FOR ((timeout_seconds), result_ != NULL, #call_async); \
    result_; \
  })

G_END_DECLS
