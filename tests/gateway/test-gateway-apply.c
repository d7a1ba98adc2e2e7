/* test-gateway-apply.c — applying a change to a running GhGateway: the whole chain has
 * run when the callback comes (listeners bound, file written, version recorded, signal
 * emitted), a dry run changes nothing, a bad change changes nothing, and one change at
 * a time
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "gh-config-error.h"
#include "gh-gateway.h"
#include "gh-workers.h"
#include "gh-test-gateway.h"
#include "gh-test-files.h"

typedef struct {
  char      *dir;
  char      *config_path;
  guint16    port;
  guint16    new_port;
  GhGateway *gateway;
} Fixture;

static char *
config_text (guint16 port,
             guint16 second_port)
{
  g_autofree char *second = second_port == 0 ? g_strdup ("") :
    g_strdup_printf (", { \"name\": \"more\", \"type\": \"echo\", \"accept\": [\"tcp://127.0.0.1:%u\"] }", second_port);

  return g_strdup_printf ("{ \"version\": 1, \"services\": ["
                          " { \"name\": \"echo\", \"type\": \"echo\", \"accept\": [\"tcp://127.0.0.1:%u\"] }%s ] }",
                          port, second);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GFile) file = NULL;

  f->dir = g_dir_make_tmp ("gh-gateway-apply-XXXXXX", &error);
  g_assert_no_error (error);
  f->config_path = g_build_filename (f->dir, "gatehoused.json", NULL);
  f->port = gh_test_free_port ();
  f->new_port = gh_test_free_port ();
  text = config_text (f->port, 0);
  g_file_set_contents (f->config_path, text, -1, &error);
  g_assert_no_error (error);

  file = g_file_new_for_path (f->config_path);
  f->gateway = gh_gateway_new (file);
  g_assert_true (gh_gateway_start (f->gateway, &error));
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* A thread of GTask's pool lets go of a finished step's task a moment after its
   * callback ran: the gateway goes once the last of them has. */
  g_object_add_weak_pointer (G_OBJECT (f->gateway), (gpointer *) &f->gateway);
  g_object_unref (f->gateway);
  while (f->gateway != NULL && g_get_monotonic_time () < deadline)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
  g_assert_null (f->gateway);
  gh_test_remove_tree (f->dir);
  g_free (f->config_path);
  g_free (f->dir);
}

typedef struct {
  gboolean  done;
  gboolean  ok;
  gint64    version;
  GError   *error;
  gint64    applied_version;  /* as GhGateway::applied said, before the callback */
  guint     applied_calls;
} Result;

static void
on_applied (GhGateway  *gateway,
            gint64      version,
            const char *identity,
            const char *action,
            Result     *result)
{
  g_assert_false (result->done);
  g_assert_cmpstr (identity, ==, "CN=test");
  result->applied_version = version;
  result->applied_calls++;
}

static void
on_apply_done (GObject      *source,
               GAsyncResult *async_result,
               gpointer      user_data)
{
  Result *result = user_data;

  result->ok = gh_gateway_apply_finish (GH_GATEWAY (source), async_result, &result->version, &result->error);
  result->done = TRUE;
}

static void
apply (Fixture             *f,
       GhGatewayConfig     *config,
       GhGatewayApplyFlags  flags,
       Result              *result)
{
  gulong handler = g_signal_connect (f->gateway, "applied", G_CALLBACK (on_applied), result);

  gh_gateway_apply_async (f->gateway, config, NULL, NULL, flags, "CN=test", "config", on_apply_done, result);
  while (!result->done)
    g_main_context_iteration (NULL, TRUE);
  g_signal_handler_disconnect (f->gateway, handler);
}

static GhGatewayConfig *
parse (const char *text)
{
  g_autoptr(GError) error = NULL;
  GhGatewayConfig *config = gh_gateway_config_new_from_data (text, -1, &error);

  g_assert_no_error (error);
  return config;
}

static gboolean
listens (GhGateway *gateway,
         guint16    port)
{
  g_auto(GStrv) addresses = gh_gateway_dup_listen_addresses (gateway);
  g_autofree char *key = g_strdup_printf ("127.0.0.1:%u", port);

  return g_strv_contains ((const char * const *) addresses, key);
}

static void
test_apply (Fixture       *f,
            gconstpointer  data)
{
  g_autofree char *text = config_text (f->port, f->new_port);
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autofree char *written = NULL;
  g_autoptr(GhGatewayConfig) reread = NULL;
  gint64 before = gh_gateway_get_config_version (f->gateway);
  Result result = { 0, };

  g_assert_true (listens (f->gateway, f->port));
  g_assert_false (listens (f->gateway, f->new_port));

  apply (f, config, GH_GATEWAY_APPLY_CONFIG, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  /* By the callback, every step has run: the version, the signal, the listener, the file. */
  g_assert_cmpint (result.version, ==, before + 1);
  g_assert_cmpint (gh_gateway_get_config_version (f->gateway), ==, before + 1);
  g_assert_cmpuint (result.applied_calls, ==, 1);
  g_assert_cmpint (result.applied_version, ==, before + 1);
  g_assert_true (listens (f->gateway, f->new_port));
  g_assert_nonnull (gh_gateway_config_lookup_service (gh_gateway_get_config (f->gateway), "more"));
  g_assert_true (g_file_get_contents (f->config_path, &written, NULL, NULL));
  reread = parse (written);
  g_assert_nonnull (gh_gateway_config_lookup_service (reread, "more"));
  g_assert_cmpint (gh_config_history_get_current (gh_gateway_get_history (f->gateway)), ==, before + 1);
}

static void
test_dry_run (Fixture       *f,
              gconstpointer  data)
{
  g_autofree char *text = config_text (f->port, f->new_port);
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  gint64 before = gh_gateway_get_config_version (f->gateway);
  Result result = { 0, };

  g_assert_true (g_file_get_contents (f->config_path, &before_text, NULL, NULL));
  apply (f, config, GH_GATEWAY_APPLY_CONFIG | GH_GATEWAY_APPLY_DRY_RUN, &result);
  g_assert_no_error (result.error);
  g_assert_true (result.ok);

  /* Checked, and nothing changed: the version it would follow, no signal, no listener. */
  g_assert_cmpint (result.version, ==, before);
  g_assert_cmpuint (result.applied_calls, ==, 0);
  g_assert_cmpint (gh_gateway_get_config_version (f->gateway), ==, before);
  g_assert_false (listens (f->gateway, f->new_port));
  g_assert_true (g_file_get_contents (f->config_path, &after_text, NULL, NULL));
  g_assert_cmpstr (after_text, ==, before_text);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GhGatewayConfig) config = parse ("{ \"version\": 1, \"services\": ["
                                             " { \"name\": \"a\", \"type\": \"proxy\", \"accept\": [\"tcp://127.0.0.1:1\"] } ] }");
  g_autofree char *before_text = NULL;
  g_autofree char *after_text = NULL;
  gint64 before = gh_gateway_get_config_version (f->gateway);
  Result result = { 0, };

  g_assert_true (g_file_get_contents (f->config_path, &before_text, NULL, NULL));
  apply (f, config, GH_GATEWAY_APPLY_CONFIG, &result);

  /* The configuration's own error; the gateway and its file as they were. */
  g_assert_false (result.ok);
  g_assert_true (result.error != NULL && result.error->domain == GH_CONFIG_ERROR);
  g_clear_error (&result.error);
  g_assert_cmpuint (result.applied_calls, ==, 0);
  g_assert_cmpint (gh_gateway_get_config_version (f->gateway), ==, before);
  g_assert_true (listens (f->gateway, f->port));
  g_assert_nonnull (gh_gateway_config_lookup_service (gh_gateway_get_config (f->gateway), "echo"));
  g_assert_true (g_file_get_contents (f->config_path, &after_text, NULL, NULL));
  g_assert_cmpstr (after_text, ==, before_text);
}

static void
test_one_at_a_time (Fixture       *f,
                    gconstpointer  data)
{
  g_autofree char *text = config_text (f->port, f->new_port);
  g_autoptr(GhGatewayConfig) config = parse (text);
  g_autoptr(GhGatewayConfig) other = parse (text);
  Result first = { 0, };
  Result second = { 0, };
  Result third = { 0, };

  gh_gateway_apply_async (f->gateway, config, NULL, NULL, GH_GATEWAY_APPLY_CONFIG, "CN=test", "config",
                          on_apply_done, &first);
  gh_gateway_apply_async (f->gateway, other, NULL, NULL, GH_GATEWAY_APPLY_CONFIG, "CN=test", "config",
                          on_apply_done, &second);
  while (!first.done || !second.done)
    g_main_context_iteration (NULL, TRUE);

  g_assert_no_error (first.error);
  g_assert_true (first.ok);
  g_assert_false (second.ok);
  g_assert_error (second.error, G_IO_ERROR, G_IO_ERROR_BUSY);
  g_clear_error (&second.error);

  /* Once the first is done, the next change goes through. */
  apply (f, NULL, GH_GATEWAY_APPLY_NONE, &third);
  g_assert_no_error (third.error);
  g_assert_true (third.ok);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  /* Sessions would run on the main context; none run here. */
  gh_workers_set_default_count (0);

#define ADD(name, func) g_test_add ("/gateway-apply/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("apply", test_apply);
  ADD ("dry-run", test_dry_run);
  ADD ("refused", test_refused);
  ADD ("one-at-a-time", test_one_at_a_time);
#undef ADD

  return g_test_run ();
}
