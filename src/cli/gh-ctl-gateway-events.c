/* gh-ctl-gateway-events.c — `gatehousectl events`: the gateway's events as they come
 *
 * Follows one GhEventStream connection and prints each event as one line of JSON,
 * until --count events, SIGINT or SIGTERM (exit status 0), or until the connection
 * is lost or refused (its error's exit status): a script sees why it ended, so the
 * stream is not left to reconnect.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-ctl-gateway-events"

#include "config.h"

#include <signal.h>
#include <glib/gi18n.h>
#include <glib-unix.h>

#include "gh-ctl-private.h"
#include "gh-event-stream.h"

typedef struct {
  GhCtlGateway  *gateway;
  GhEventStream *stream;
  GMainLoop     *loop;
  int            remaining;    /* -1: no --count */
  gboolean       done;         /* ended on purpose: --count, SIGINT, SIGTERM */
  GError        *error;
} Follow;

static void
follow_stop (Follow *follow)
{
  follow->done = TRUE;
  g_main_loop_quit (follow->loop);
}

static gboolean
on_signal (gpointer user_data)
{
  follow_stop (user_data);
  return G_SOURCE_CONTINUE;
}

static void
on_event_message (GhEventStream *stream,
                  JsonNode      *envelope,
                  gpointer       user_data)
{
  Follow *follow = user_data;

  if (follow->done)
    return;

  /* One compact line per event, whatever the spacing the gateway used. */
  gh_ctl_print_json_line (envelope);

  if (follow->remaining > 0 && --follow->remaining == 0)
    follow_stop (follow);
}

/* The command follows one connection: when it is lost (or never made), it ends with
 * the reason rather than let the stream reconnect. */
static void
on_event_state (GhEventStream *stream,
                GParamSpec    *pspec,
                gpointer       user_data)
{
  Follow *follow = user_data;
  GhEventStreamState state = gh_event_stream_get_state (stream);
  const GError *last_error = gh_event_stream_get_last_error (stream);

  if (follow->done || (state != GH_EVENT_STREAM_RECONNECTING && state != GH_EVENT_STREAM_DISCONNECTED))
    return;

  if (follow->error == NULL)
    follow->error = last_error != NULL ? g_error_copy (last_error)
                                       : g_error_new_literal (GH_API_ERROR, GH_API_ERROR_UNREACHABLE,
                                                              _("The event stream ended"));
  g_main_loop_quit (follow->loop);
}

gboolean
gh_ctl_events (const GhCommand  *command,
               int               argc,
               char            **argv,
               GError          **error)
{
  g_auto(GhCtlGateway) gateway = { 0 };
  g_autoptr(GhEventStream) stream = NULL;
  g_autoptr(GMainLoop) loop = NULL;
  Follow follow = { 0 };
  guint sigint_id, sigterm_id;

  if (gh_ctl_options.count < 0)
    {
      g_set_error (error, GH_COMMAND_ERROR, GH_COMMAND_ERROR_USAGE,
                   _("--count is a number of events, not %d"), gh_ctl_options.count);
      return FALSE;
    }
  if (!gh_ctl_gateway_open_for (&gateway, NULL, command, argc, argv, 0, error))
    return FALSE;

  stream = gh_event_stream_new (gateway.client);
  loop = g_main_loop_new (NULL, FALSE);
  follow.gateway = &gateway;
  follow.stream = stream;
  follow.loop = loop;
  follow.remaining = gh_ctl_options.count > 0 ? gh_ctl_options.count : -1;

  g_signal_connect (stream, "message", G_CALLBACK (on_event_message), &follow);
  g_signal_connect (stream, "notify::state", G_CALLBACK (on_event_state), &follow);
  sigint_id = g_unix_signal_add (SIGINT, on_signal, &follow);
  sigterm_id = g_unix_signal_add (SIGTERM, on_signal, &follow);

  gh_event_stream_start (stream);
  if (gh_event_stream_get_state (stream) == GH_EVENT_STREAM_CONNECTING)
    g_main_loop_run (loop);
  else
    on_event_state (stream, NULL, &follow);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  g_signal_handlers_disconnect_by_data (stream, &follow);
  gh_event_stream_stop (stream);

  if (follow.done)
    {
      /* Let the close frame go out; the gateway need not answer it. */
      gint64 deadline = g_get_monotonic_time () + G_USEC_PER_SEC / 2;

      while (g_main_context_pending (NULL) && g_get_monotonic_time () < deadline)
        g_main_context_iteration (NULL, FALSE);
      return TRUE;
    }

  return gh_ctl_gateway_fail (&gateway, g_steal_pointer (&follow.error), error);
}
