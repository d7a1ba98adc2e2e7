/* test-tls-stream.c — the gateway's TLS layer against real TLS clients: the
 * certificate chosen by SNI, per-service priorities, client certificates, and data
 * both ways through the pollable streams
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>
#include <glib/gstdio.h>

#include "gh-keystore.h"
#include "gh-pki-error.h"
#include "gh-tls-stream.h"

typedef struct {
  GhPrivateKey   *ca_key;
  GhCertificate  *ca;
  GhKeystore     *keystore;
  GPtrArray      *anchors;
  char           *dir;
  char           *ca_file;
  GSocketService *service;
  guint16         port;
  GhTlsServerContext *context;
  GhTlsStream    *last_server;   /* the last accepted stream, after its handshake */
  GError         *last_error;
  guint           n_accepted;
  gboolean        read_to_end;   /* the server reads until the end instead of echoing */
  GString        *received;
  gboolean        ended;
  char            buffer[256];
} Fixture;

static gboolean
have_program (const char *name)
{
  g_autofree char *path = g_find_program_in_path (name);

  return path != NULL;
}

static void
add_identity (Fixture    *f,
              const char *alias,
              const char *cn,
              const char *san)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  const char *sans[] = { san, NULL };
  g_autoptr(GhCertificate) cert = gh_private_key_issue_certificate (f->ca_key, f->ca, key, cn, sans, 30,
                                                                    GH_CERTIFICATE_ROLE_SERVER | GH_CERTIFICATE_ROLE_CLIENT,
                                                                    &error);
  g_autoptr(GPtrArray) chain = g_ptr_array_new ();
  g_autoptr(GhKeystoreEntry) entry = NULL;

  g_assert_no_error (error);
  g_ptr_array_add (chain, cert);
  g_ptr_array_add (chain, f->ca);
  entry = gh_keystore_entry_new_key (alias, key, chain);
  g_assert_true (gh_keystore_add (f->keystore, entry, &error));
}

/* The server echoes one line, then closes: clients that wait for the end of the
 * connection (openssl s_client -ign_eof) see exactly the echo. */
typedef struct {
  GhTlsStream *stream;
  GString     *line;
  char         buffer[256];
} Echo;

static void
echo_free (Echo *echo)
{
  g_io_stream_close (G_IO_STREAM (echo->stream), NULL, NULL);
  g_object_unref (echo->stream);
  g_string_free (echo->line, TRUE);
  g_free (echo);
}

static void
on_echoed (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_output_stream_write_all_finish (G_OUTPUT_STREAM (source), result, NULL, NULL);
  echo_free (user_data);
}

static void
on_read (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Echo *echo = user_data;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, NULL);

  if (n <= 0)
    {
      echo_free (echo);
      return;
    }

  g_string_append_len (echo->line, echo->buffer, n);
  if (strchr (echo->line->str, '\n') == NULL)
    {
      g_input_stream_read_async (G_INPUT_STREAM (source), echo->buffer, sizeof echo->buffer,
                                 G_PRIORITY_DEFAULT, NULL, on_read, echo);
      return;
    }

  g_output_stream_write_all_async (g_io_stream_get_output_stream (G_IO_STREAM (echo->stream)),
                                   echo->line->str, echo->line->len, G_PRIORITY_DEFAULT, NULL,
                                   on_echoed, echo);
}

/* The read_to_end server: what arrives goes to f->received, until the end. */
static void
on_read_to_end (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  gssize n = g_input_stream_read_finish (G_INPUT_STREAM (source), result, &error);

  g_assert_no_error (error);
  if (n == 0)
    {
      f->ended = TRUE;
      return;
    }
  g_string_append_len (f->received, f->buffer, n);
  g_input_stream_read_async (G_INPUT_STREAM (source), f->buffer, sizeof f->buffer,
                             G_PRIORITY_DEFAULT, NULL, on_read_to_end, f);
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  Fixture *f = user_data;
  GhTlsStream *stream = GH_TLS_STREAM (source);
  Echo *echo;

  g_clear_error (&f->last_error);
  if (!gh_tls_stream_handshake_finish (stream, result, &f->last_error))
    {
      g_object_unref (stream);
      return;
    }

  g_clear_object (&f->last_server);
  f->last_server = g_object_ref (stream);

  if (f->read_to_end)
    {
      g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (stream)), f->buffer,
                                 sizeof f->buffer, G_PRIORITY_DEFAULT, NULL, on_read_to_end, f);
      g_object_unref (stream);
      return;
    }

  echo = g_new0 (Echo, 1);
  echo->stream = stream;
  echo->line = g_string_new (NULL);
  g_input_stream_read_async (g_io_stream_get_input_stream (G_IO_STREAM (stream)), echo->buffer,
                             sizeof echo->buffer, G_PRIORITY_DEFAULT, NULL, on_read, echo);
}

static gboolean
on_incoming (GSocketService    *service,
             GSocketConnection *connection,
             GObject           *source,
             gpointer           user_data)
{
  Fixture *f = user_data;
  g_autoptr(GError) error = NULL;
  GhTlsStream *stream = gh_tls_stream_new_server (connection, f->context, &error);

  g_assert_no_error (error);
  f->n_accepted++;
  gh_tls_stream_handshake_async (stream, 10, NULL, on_handshake, f);
  return TRUE;
}

static void
start_server (Fixture        *f,
              const char     *priority,
              GhVerifyClient  verify)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhTlsIdentities) identities = gh_tls_identities_new_from_keystore (f->keystore, &error);

  g_assert_no_error (error);
  g_assert_cmpuint (gh_tls_identities_get_n_identities (identities), ==, 2);
  f->context = gh_tls_server_context_new (identities, "localhost", priority, verify, f->anchors, &error);
  g_assert_no_error (error);

  f->service = g_socket_service_new ();
  {
    g_autoptr(GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
    g_autoptr(GSocketAddress) address = g_inet_socket_address_new (loopback, 0);
    g_autoptr(GSocketAddress) effective = NULL;

    g_socket_listener_add_address (G_SOCKET_LISTENER (f->service), address, G_SOCKET_TYPE_STREAM,
                                   G_SOCKET_PROTOCOL_TCP, NULL, &effective, &error);
    g_assert_no_error (error);
    f->port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (effective));
  }
  g_signal_connect (f->service, "incoming", G_CALLBACK (on_incoming), f);
  g_socket_service_start (f->service);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *pem = NULL;

  f->ca_key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
  f->ca = gh_private_key_issue_certificate (f->ca_key, NULL, NULL, "CN=Test CA", NULL, 30, GH_CERTIFICATE_ROLE_CA, &error);
  g_assert_no_error (error);
  f->anchors = g_ptr_array_new ();
  g_ptr_array_add (f->anchors, f->ca);
  f->keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  add_identity (f, "local", "CN=localhost", "localhost");
  add_identity (f, "wild", "CN=Wildcard", "*.b.example.com");

  f->dir = g_dir_make_tmp ("gh-tls-XXXXXX", &error);
  g_assert_no_error (error);
  f->ca_file = g_build_filename (f->dir, "ca.pem", NULL);
  pem = gh_certificate_to_pem (f->ca);
  g_assert_true (g_file_set_contents (f->ca_file, pem, -1, NULL));
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  if (f->service != NULL)
    {
      g_socket_service_stop (f->service);
      g_socket_listener_close (G_SOCKET_LISTENER (f->service));
    }
  g_clear_object (&f->service);
  g_clear_object (&f->last_server);
  g_clear_object (&f->context);
  g_clear_error (&f->last_error);
  g_clear_object (&f->keystore);
  g_clear_pointer (&f->anchors, g_ptr_array_unref);
  g_clear_object (&f->ca);
  g_clear_object (&f->ca_key);
  g_unlink (f->ca_file);
  g_rmdir (f->dir);
  g_free (f->ca_file);
  g_free (f->dir);
  while (g_main_context_iteration (NULL, FALSE));
  /* A server handshake that ended in the loop above left its stream here. */
  g_clear_object (&f->last_server);
}

typedef struct {
  gboolean done;
  char    *out;
  char    *err;
  int      status;
} Run;

static void
on_communicated (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  Run *run = user_data;
  g_autoptr(GError) error = NULL;

  g_subprocess_communicate_utf8_finish (G_SUBPROCESS (source), result, &run->out, &run->err, &error);
  g_assert_no_error (error);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (source));
  run->done = TRUE;
}

/* Runs a real client with @input on its standard input, while the server runs. */
static void
run_client (const char * const *argv,
            const char         *input,
            Run                *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) process = g_subprocess_newv (argv, G_SUBPROCESS_FLAGS_STDIN_PIPE |
                                                            G_SUBPROCESS_FLAGS_STDOUT_PIPE |
                                                            G_SUBPROCESS_FLAGS_STDERR_PIPE, &error);
  gint64 deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;

  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, input, NULL, on_communicated, run);
  while (!run->done)
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, TRUE);
    }
}

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

static char *
port_string (Fixture *f)
{
  return g_strdup_printf ("127.0.0.1:%u", f->port);
}

static void
test_sni_openssl (Fixture *f, gconstpointer data)
{
  g_autofree char *connect = NULL;
  struct { const char *sni; const char *subject; const char *alias; } cases[] = {
    { "localhost", "CN=localhost", "local" },
    { "x.b.example.com", "CN=Wildcard", "wild" },
    { "a.x.b.example.com", "CN=localhost", "local" },  /* a wildcard is one label: fallback */
    { NULL, "CN=localhost", "local" },                 /* no SNI: the accept host */
  };

  if (!have_program ("openssl"))
    {
      g_test_skip ("openssl is not installed");
      return;
    }

  start_server (f, NULL, GH_VERIFY_CLIENT_NONE);
  connect = port_string (f);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      Run run = { 0 };
      const char *argv[] = { "openssl", "s_client", "-connect", connect, "-CAfile", f->ca_file,
                             "-verify_return_error", "-quiet", "-ign_eof",
                             cases[i].sni ? "-servername" : "-noservername", cases[i].sni, NULL };

      run_client (argv, "hello through TLS\n", &run);
      g_test_message ("openssl s_client (SNI %s): %s", cases[i].sni, run.err);
      g_assert_cmpint (run.status, ==, 0);
      /* The echo came back, byte for byte. */
      g_assert_cmpstr (run.out, ==, "hello through TLS\n");
      g_assert_nonnull (strstr (run.err, cases[i].subject));
      g_assert_nonnull (f->last_server);
      g_assert_cmpstr (gh_tls_stream_get_identity_alias (f->last_server), ==, cases[i].alias);
      g_assert_cmpstr (gh_tls_stream_get_server_name (f->last_server), ==, cases[i].sni);
      g_assert_cmpstr (gh_tls_stream_get_protocol (f->last_server), ==, "TLS1.3");
      run_clear (&run);
    }
}

static void
test_protocol_minimum (Fixture *f, gconstpointer data)
{
  g_autofree char *connect = NULL;
  Run refused = { 0 }, accepted = { 0 };
  const char *tls12[] = { "gnutls-cli", "--port", NULL, "--x509cafile", NULL,
                          "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.2", "--verify-hostname", "localhost", "127.0.0.1", NULL };
  const char *tls13[] = { "gnutls-cli", "--port", NULL, "--x509cafile", NULL,
                          "--priority", "NORMAL:-VERS-ALL:+VERS-TLS1.3", "--verify-hostname", "localhost", "127.0.0.1", NULL };
  g_autofree char *port = NULL;

  if (!have_program ("gnutls-cli"))
    {
      g_test_skip ("gnutls-cli is not installed");
      return;
    }

  /* This service accepts TLS 1.3 only. */
  start_server (f, "SECURE:-VERS-ALL:+VERS-TLS1.3", GH_VERIFY_CLIENT_NONE);
  port = g_strdup_printf ("%u", f->port);
  tls12[2] = tls13[2] = port;
  tls12[4] = tls13[4] = f->ca_file;
  (void) connect;

  run_client (tls12, "", &refused);
  g_assert_cmpint (refused.status, !=, 0);
  g_assert_nonnull (f->last_error);
  g_test_message ("refused: %s", f->last_error->message);
  g_assert_null (f->last_server);

  run_client (tls13, "ping\n", &accepted);
  g_test_message ("gnutls-cli: %s", accepted.err);
  g_assert_cmpint (accepted.status, ==, 0);
  g_assert_nonnull (strstr (accepted.out, "ping"));
  g_assert_nonnull (f->last_server);
  g_assert_cmpstr (gh_tls_stream_get_protocol (f->last_server), ==, "TLS1.3");

  run_clear (&refused);
  run_clear (&accepted);
}

static void
test_client_certificate_required (Fixture *f, gconstpointer data)
{
  g_autofree char *connect = NULL;
  g_autofree char *cert_file = g_build_filename (f->dir, "client.pem", NULL);
  g_autofree char *key_file = g_build_filename (f->dir, "client.key", NULL);
  GhKeystoreEntry *local;
  Run without = { 0 }, with = { 0 };

  if (!have_program ("openssl"))
    {
      g_test_skip ("openssl is not installed");
      return;
    }

  start_server (f, NULL, GH_VERIFY_CLIENT_REQUIRED);
  connect = port_string (f);

  {
    const char *argv[] = { "openssl", "s_client", "-connect", connect, "-CAfile", f->ca_file,
                           "-servername", "localhost", "-quiet", "-ign_eof", NULL };
    run_client (argv, "no certificate\n", &without);
    g_assert_cmpstr (without.out, ==, "");
    g_assert_nonnull (f->last_error);
    g_test_message ("without a client certificate: %s", f->last_error->message);
  }

  /* A certificate from the trusted CA is let in, and the gateway sees its subject. */
  local = gh_keystore_lookup (f->keystore, "local");
  {
    g_autofree char *cert_pem = gh_certificate_to_pem (gh_keystore_entry_get_certificate (local));
    g_autofree char *key_pem = gh_private_key_export_pkcs8_pem (gh_keystore_entry_get_private_key (local), NULL, NULL);
    const char *argv[] = { "openssl", "s_client", "-connect", connect, "-CAfile", f->ca_file,
                           "-servername", "localhost", "-cert", cert_file, "-key", key_file,
                           "-quiet", "-ign_eof", NULL };

    g_assert_true (g_file_set_contents_full (cert_file, cert_pem, -1, 0, 0600, NULL));
    g_assert_true (g_file_set_contents_full (key_file, key_pem, -1, 0, 0600, NULL));
    run_client (argv, "with certificate\n", &with);
    g_unlink (key_file);
    g_unlink (cert_file);
  }
  g_assert_cmpstr (with.out, ==, "with certificate\n");
  g_assert_nonnull (gh_tls_stream_get_peer_certificate (f->last_server));
  g_assert_cmpstr (gh_certificate_get_subject (gh_tls_stream_get_peer_certificate (f->last_server)), ==, "CN=localhost");

  run_clear (&without);
  run_clear (&with);
}

typedef struct {
  Fixture     *f;
  GhTlsStream *client;
  GError      *error;
  gboolean     done;
} ClientRun;

static void
on_client_handshake (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  ClientRun *run = user_data;

  gh_tls_stream_handshake_finish (GH_TLS_STREAM (source), result, &run->error);
  run->done = TRUE;
}

static void
client_connect (Fixture     *f,
                const char  *server_name,
                gboolean     verify,
                GPtrArray   *anchors,
                ClientRun   *run)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSocketClient) socket_client = g_socket_client_new ();
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GhTlsClientContext) context = gh_tls_client_context_new (NULL, verify, anchors, NULL, &error);

  g_assert_no_error (error);
  connection = g_socket_client_connect_to_host (socket_client, "127.0.0.1", f->port, NULL, &error);
  g_assert_no_error (error);
  run->client = gh_tls_stream_new_client (connection, context, server_name, &error);
  g_assert_no_error (error);
  gh_tls_stream_handshake_async (run->client, 10, NULL, on_client_handshake, run);
  while (!run->done)
    g_main_context_iteration (NULL, TRUE);
}

static void
test_client_verification (Fixture *f, gconstpointer data)
{
  g_autoptr(GPtrArray) nobody = g_ptr_array_new ();
  ClientRun good = { f }, wrong_host = { f }, untrusted = { f }, unverified = { f };

  start_server (f, NULL, GH_VERIFY_CLIENT_NONE);

  client_connect (f, "localhost", TRUE, f->anchors, &good);
  g_assert_no_error (good.error);
  g_assert_cmpstr (gh_certificate_get_subject (gh_tls_stream_get_peer_certificate (good.client)), ==, "CN=localhost");

  /* The chain is trusted but names another host: refused (KAAZING never checked this). */
  client_connect (f, "other.example.com", TRUE, f->anchors, &wrong_host);
  g_assert_error (wrong_host.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("wrong host: %s", wrong_host.error->message);
  g_assert_nonnull (strstr (wrong_host.error->message, "does not match"));

  client_connect (f, "localhost", TRUE, nobody, &untrusted);
  g_assert_error (untrusted.error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_test_message ("untrusted: %s", untrusted.error->message);
  g_assert_nonnull (strstr (untrusted.error->message, "NOT trusted"));

  /* Verification turned off (on by default) lets it through. */
  client_connect (f, "other.example.com", FALSE, nobody, &unverified);
  g_assert_no_error (unverified.error);

  g_clear_object (&good.client);
  g_clear_object (&wrong_host.client);
  g_clear_object (&untrusted.client);
  g_clear_object (&unverified.client);
  g_clear_error (&wrong_host.error);
  g_clear_error (&untrusted.error);
}

static void
iterate_until (gboolean   *flag,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!*flag)
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("no %s within 10 s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
received_first (gpointer data)
{
  Fixture *f = data;

  return f->received->len > 0;
}

/* The server waits on its socket; the client's last data and the end of the stream
 * (a FIN, no close_notify, as many clients close) come together, in one event. The
 * read that gets the data comes back short, which means "empty", but the end of the
 * stream is still to read and no other event will tell: the server must still see it
 * (the read-ahead's first version waited for ever, #13). */
static void
test_end_after_data (Fixture *f, gconstpointer data)
{
  ClientRun run = { f };
  GOutputStream *output;
  g_autoptr(GError) error = NULL;
  gboolean first = FALSE;
  gint64 deadline;

  f->read_to_end = TRUE;
  f->received = g_string_new (NULL);
  start_server (f, NULL, GH_VERIFY_CLIENT_NONE);
  client_connect (f, "localhost", TRUE, f->anchors, &run);
  g_assert_no_error (run.error);
  output = g_io_stream_get_output_stream (G_IO_STREAM (run.client));

  /* First the server reads, and then waits on its socket's source. */
  g_assert_true (g_output_stream_write_all (output, "a", 1, NULL, NULL, &error));
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;
  while (!(first = received_first (f)) && g_get_monotonic_time () < deadline)
    g_main_context_iteration (NULL, FALSE);
  g_assert_true (first);
  for (int i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  g_assert_true (g_output_stream_write_all (output, "hello", 5, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_socket_shutdown (g_socket_connection_get_socket (gh_tls_stream_get_base (run.client)),
                                    FALSE, TRUE, &error));
  g_assert_no_error (error);

  iterate_until (&f->ended, "end of the stream");
  g_assert_cmpstr (f->received->str, ==, "ahello");

  g_clear_object (&run.client);
  g_string_free (f->received, TRUE);
}

static void
test_missing_identity (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhTlsIdentities) identities = gh_tls_identities_new_from_keystore (f->keystore, &error);
  g_autoptr(GhTlsServerContext) context = gh_tls_server_context_new (identities, "gateway.example.org", NULL,
                                                                     GH_VERIFY_CLIENT_NONE, NULL, &error);

  g_assert_null (context);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "gateway.example.org"));
}

static void
test_name_matching (void)
{
  g_assert_true (gh_tls_name_matches ("example.com", "EXAMPLE.com"));
  g_assert_true (gh_tls_name_matches ("example.com", "example.com."));
  g_assert_true (gh_tls_name_matches ("*.example.com", "www.example.com"));
  g_assert_false (gh_tls_name_matches ("*.example.com", "example.com"));
  g_assert_false (gh_tls_name_matches ("*.example.com", "a.www.example.com"));
  g_assert_false (gh_tls_name_matches ("*.com", "example.com"));
  g_assert_false (gh_tls_name_matches ("example.com", "example.co"));
  g_assert_false (gh_tls_name_matches ("", "example.com"));
  g_assert_false (gh_tls_name_matches ("*.", "a."));
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

#define ADD(path, func) g_test_add ("/tls-stream/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("sni-openssl", test_sni_openssl);
  ADD ("protocol-minimum", test_protocol_minimum);
  ADD ("client-certificate-required", test_client_certificate_required);
  ADD ("client-verification", test_client_verification);
  ADD ("missing-identity", test_missing_identity);
  ADD ("end-after-data", test_end_after_data);
#undef ADD
  g_test_add_func ("/tls-stream/name-matching", test_name_matching);

  return g_test_run ();
}
