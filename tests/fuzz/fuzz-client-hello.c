/* fuzz-client-hello.c — the gateway's TLS server side against arbitrary client bytes
 *
 * Each input is what a client sends on a fresh connection: a ClientHello (with its
 * SNI, which picks the certificate through the gateway's own callback), or anything
 * else. The bytes go into one end of a socket pair, the gateway's GhTlsStream does
 * its handshake on the other end until it fails or completes. The first two bytes
 * of the input, when they start with 0xff, are instead a host name pattern test of
 * gh_tls_name_matches(), whose pattern and host follow, split at the first NUL.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <sys/socket.h>
#include <unistd.h>

#include "fuzz-common.h"
#include "gh-keystore.h"
#include "gh-tls-stream.h"

static GhTlsServerContext *context;

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GhKeystore) keystore = gh_keystore_new (GH_KEYSTORE_FORMAT_PKCS12);
  g_autoptr(GhTlsIdentities) identities = NULL;
  g_autoptr(GPtrArray) anchors = g_ptr_array_new_with_free_func (g_object_unref);
  const char *names[][2] = { { "local", "localhost" }, { "wild", "*.example.com" } };

  fuzz_init ();

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      const char *sans[] = { names[i][1], NULL };
      g_autofree char *subject = g_strdup_printf ("CN=%s", names[i][1]);
      g_autoptr(GhPrivateKey) key = gh_private_key_generate (GH_KEY_TYPE_ECDSA_P256, NULL, &error);
      g_autoptr(GhCertificate) cert = gh_private_key_create_self_signed (key, subject, sans, 30, &error);
      g_autoptr(GPtrArray) chain = g_ptr_array_new ();
      g_autoptr(GhKeystoreEntry) entry = NULL;

      g_assert_no_error (error);
      g_ptr_array_add (chain, cert);
      entry = gh_keystore_entry_new_key (names[i][0], key, chain);
      gh_keystore_add (keystore, entry, NULL);
      /* Client certificates are asked for (optional), verified against these. */
      g_ptr_array_add (anchors, g_object_ref (cert));
    }

  identities = gh_tls_identities_new_from_keystore (keystore, &error);
  g_assert_no_error (error);
  context = gh_tls_server_context_new (identities, "localhost", NULL, GH_VERIFY_CLIENT_OPTIONAL, anchors, &error);
  g_assert_no_error (error);
  return 0;
}

static void
on_handshake (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  gboolean *done = user_data;

  gh_tls_stream_handshake_finish (GH_TLS_STREAM (source), result, NULL);
  *done = TRUE;
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autoptr(GSocket) socket = NULL;
  g_autoptr(GSocketConnection) connection = NULL;
  g_autoptr(GhTlsStream) stream = NULL;
  gboolean done = FALSE;
  int fds[2];

  if (size >= 1 && data[0] == 0xff)
    {
      g_autofree char *text = g_strndup ((const char *) data + 1, size - 1);
      const char *host = text + strlen (text);

      if ((gsize) (host - text) < size - 1)
        host++;
      gh_tls_name_matches (text, host);
      gh_tls_name_matches (host, text);
      return 0;
    }

  if (size > 60000 || socketpair (AF_UNIX, SOCK_STREAM, 0, fds) != 0)
    return 0;

  /* The client's bytes wait in the socket; then the client is gone. */
  if (write (fds[1], data, size) != (ssize_t) size)
    {
      close (fds[0]);
      close (fds[1]);
      return 0;
    }
  shutdown (fds[1], SHUT_WR);

  socket = g_socket_new_from_fd (fds[0], NULL);
  if (socket == NULL)
    {
      close (fds[0]);
      close (fds[1]);
      return 0;
    }
  connection = g_socket_connection_factory_create_connection (socket);
  stream = gh_tls_stream_new_server (connection, context, NULL);
  if (stream != NULL)
    {
      gh_tls_stream_handshake_async (stream, 2, NULL, on_handshake, &done);
      while (!done)
        g_main_context_iteration (NULL, TRUE);
      g_io_stream_close (G_IO_STREAM (stream), NULL, NULL);
    }

  close (fds[1]);
  return 0;
}
