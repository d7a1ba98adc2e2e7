/* ws-load — a WSS load generator for tests/bench/bench-gateway.sh. Not a test.
 *
 *   ws-load --mode echo  --url wss://H:P/PATH --ca CA.pem --sessions N --size S --duration D
 *   ws-load --mode idle  --url wss://H:P/PATH --ca CA.pem --sessions N --hold D
 *   ws-load --mode handshake --host H --port P --server-name NAME --ca CA.pem --concurrency C --duration D
 *   ws-load --mode churn --url wss://H:P/PATH --ca CA.pem --concurrency C --duration D
 *
 * echo: opens N sessions (SoupSession, verified against CA) and checks one echo on each,
 * then each session sends a binary message of S bytes, waits for its echo, checks it
 * byte for byte, and sends the next one, for D seconds. Prints one JSON line: messages/s, latency percentiles,
 * errors, and this process's CPU time next to the wall time.
 *
 * idle: opens N sessions, checks one echo on each, prints "ready N" on stderr, holds
 * them open for D seconds (or until SIGTERM/SIGINT), then closes them and prints the JSON
 * line. SIGUSR1 while holding: every session starts echo's ping-pong (messages counted
 * in the JSON line's "messages"); SIGUSR2: back to idle.
 *
 * --connect-window W (echo, idle): at most W sessions opening at once (from the start of
 * the WebSocket handshake to the first echo). Without
 * it every session is started at once, and the client's cost per session grows with the
 * number pending in libsoup: fine for 1,000 sessions (10 CPU s), 2,000 did not all open
 * within a minute on the build machine; with a window of 64, 1,000 took 2 CPU s.
 *
 * churn: C loops of open a WSS session + close it (normal closure, 1000) for D seconds,
 * each loop starting its next session once the last one is closed. Prints sessions opened,
 * closed and failed, and sessions/s: what the gateway saw open and close.
 *
 * handshake: C loops of connect + full TLS handshake (no session resumption) + close
 * for D seconds, with GSocketClient and GTlsClientConnection. Prints handshakes/s.
 *
 * --cpu-pid PID (repeatable; echo, handshake): the CPU time (user + system, all threads,
 * from /proc/PID/stat) other processes spent in the measured window, sampled when it
 * opens and when it closes: the front end's and the back-end's CPU per message without
 * the handshakes of opening the sessions. Printed as "cpu_pid_window_s", in the order
 * given. Echo also prints each session's messages in the window as their minimum, median
 * and maximum ("session_min", …): a session that starves shows as a low minimum.
 * tests/bench/ws-load.js (Node.js ws) takes the same options and prints the same line.
 */
#include <gio/gio.h>
#include <glib-unix.h>
#include <libsoup/soup.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>
#include <unistd.h>

typedef struct {
  char *mode;
  char *url;
  char *ca;
  char *host;
  char *server_name;
  int port;
  int sessions;
  int size;
  int concurrency;
  double duration;
  double hold;
  double connect_timeout;
  int connect_window;
  char **cpu_pids;
} Options;

static Options opt = { .sessions = 100, .size = 128, .concurrency = 8, .duration = 5, .hold = 5,
                       .connect_timeout = 60, .port = 0 };

typedef struct {
  int index;
  SoupWebsocketConnection *ws;
  GBytes *payload;       /* the message in flight */
  gint64 sent_at;
  guint64 counter;
  guint64 in_window;     /* messages echoed in the measured window */
  gboolean ready;        /* its first echo came back, or it failed to open */
  gboolean closed;
} Session;

static GMainLoop *loop;
static SoupSession *soup;
static GTlsDatabase *database;
static Session *sessions;
static int n_open, n_connect_failed, n_mismatch, n_unexpected_close, n_closed_done;
static int n_finished_connecting;
static gboolean measuring, stopping;
static gint64 measure_start, measure_end;
static guint64 n_messages;
static GArray *latencies;  /* guint32 microseconds, measured window only */
static char *first_error;
static double cpu_at_measure_start, cpu_window;
static int next_to_connect;
static gboolean idle_echoing;  /* idle mode, after SIGUSR1 */
static double *pid_cpu_start, *pid_cpu_window;  /* one per --cpu-pid; < 0: unreadable */

static void on_connected (GObject *source, GAsyncResult *result, gpointer user_data);

/* Starts the next session's WebSocket handshake, if any is left. */
static void
connect_next (void)
{
  g_autoptr(SoupMessage) msg = NULL;
  Session *s;

  if (next_to_connect >= opt.sessions || stopping)
    return;
  s = &sessions[next_to_connect];
  s->index = next_to_connect++;
  msg = soup_message_new ("GET", opt.url);
  soup_session_websocket_connect_async (soup, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_connected, s);
}

static double
now_s (void)
{
  return g_get_monotonic_time () / 1e6;
}

static double
cpu_seconds (void)
{
  struct rusage ru;
  getrusage (RUSAGE_SELF, &ru);
  return ru.ru_utime.tv_sec + ru.ru_utime.tv_usec / 1e6 + ru.ru_stime.tv_sec + ru.ru_stime.tv_usec / 1e6;
}

/* User + system seconds of process @pid, all its threads; -1 when it cannot be read. */
static double
pid_cpu_seconds (const char *pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%s/stat", pid);
  g_autofree char *text = NULL;
  g_auto(GStrv) fields = NULL;
  const char *end;

  if (!g_file_get_contents (path, &text, NULL, NULL) || (end = strrchr (text, ')')) == NULL)
    return -1;
  fields = g_strsplit (end + 2, " ", 0);  /* from field 3, the state */
  if (g_strv_length (fields) < 13)
    return -1;
  return (g_ascii_strtod (fields[11], NULL) + g_ascii_strtod (fields[12], NULL)) / sysconf (_SC_CLK_TCK);
}

/* Samples every --cpu-pid: @start TRUE at the window's open, FALSE at its close. */
static void
sample_pids (gboolean start)
{
  guint n = opt.cpu_pids ? g_strv_length (opt.cpu_pids) : 0;

  if (pid_cpu_start == NULL)
    {
      pid_cpu_start = g_new0 (double, n + 1);
      pid_cpu_window = g_new0 (double, n + 1);
    }
  for (guint i = 0; i < n; i++)
    {
      double now = pid_cpu_seconds (opt.cpu_pids[i]);
      if (start)
        pid_cpu_start[i] = now;
      else
        pid_cpu_window[i] = now < 0 || pid_cpu_start[i] < 0 ? -1 : now - pid_cpu_start[i];
    }
}

/* The JSON members "cpu_pid":[…],"cpu_pid_window_s":[…] (null for an unreadable one). */
static char *
pids_json (void)
{
  g_autoptr(GString) pids = g_string_new ("\"cpu_pid\":[");
  g_autoptr(GString) cpu = g_string_new ("\"cpu_pid_window_s\":[");

  for (guint i = 0; opt.cpu_pids && opt.cpu_pids[i]; i++)
    {
      char number[G_ASCII_DTOSTR_BUF_SIZE];
      g_string_append_printf (pids, "%s%d", i ? "," : "", atoi (opt.cpu_pids[i]));
      if (pid_cpu_window[i] < 0)
        g_string_append_printf (cpu, "%snull", i ? "," : "");
      else
        g_string_append_printf (cpu, "%s%s", i ? "," : "",
                                g_ascii_formatd (number, sizeof number, "%.3f", pid_cpu_window[i]));
    }
  return g_strdup_printf ("%s],%s]", pids->str, cpu->str);
}

static void
note_error (const char *what, const GError *error)
{
  if (first_error == NULL)
    first_error = g_strdup_printf ("%s: %s", what, error ? error->message : "");
}

static GBytes *
make_payload (Session *s)
{
  guint8 *data = g_malloc (opt.size);
  guint64 seed = ((guint64) s->index << 32) ^ (s->counter++ * 0x9E3779B97F4A7C15ull) ^ 0x1234567;
  for (int i = 0; i < opt.size; i++)
    {
      seed ^= seed << 13; seed ^= seed >> 7; seed ^= seed << 17;
      data[i] = (guint8) seed;
    }
  return g_bytes_new_take (data, opt.size);
}

static void
send_next (Session *s)
{
  g_clear_pointer (&s->payload, g_bytes_unref);
  if (stopping || s->closed)
    return;
  s->payload = make_payload (s);
  s->sent_at = g_get_monotonic_time ();
  soup_websocket_connection_send_message (s->ws, SOUP_WEBSOCKET_DATA_BINARY, s->payload);
}

static void maybe_quit (void);

/* @s got its first echo, or failed to open: the next one may start. The
 * --connect-window counts sessions until their first echo, not until the WebSocket
 * handshake: gatehoused answers the handshake before it has connected to the back-end,
 * and a window closed at the answer let its back-end connections pile up unbounded. */
static void
session_ready (Session *s)
{
  if (s->ready)
    return;
  s->ready = TRUE;
  n_finished_connecting++;
  if (opt.connect_window > 0)
    connect_next ();
  maybe_quit ();
}

static void
on_message (SoupWebsocketConnection *ws, gint type, GBytes *message, gpointer user_data)
{
  Session *s = user_data;
  gint64 now = g_get_monotonic_time ();

  if (s->payload == NULL)
    {
      n_mismatch++;
      note_error ("unexpected message", NULL);
      return;
    }
  if (type != SOUP_WEBSOCKET_DATA_BINARY || !g_bytes_equal (message, s->payload))
    {
      n_mismatch++;
      note_error ("echo differs from what was sent", NULL);
    }
  if (measuring && s->sent_at >= measure_start && now <= measure_end)
    {
      guint32 us = (guint32) MIN (now - s->sent_at, G_MAXUINT32);
      g_array_append_val (latencies, us);
      n_messages++;
      s->in_window++;
    }
  if (g_strcmp0 (opt.mode, "idle") == 0)
    {
      if (idle_echoing)
        {
          n_messages++;
          send_next (s);
          return;
        }
      g_clear_pointer (&s->payload, g_bytes_unref);
      if (!measuring)
        session_ready (s);
      return;
    }
  if (!measuring)
    {
      /* The first echo came back: the session works end to end. */
      g_clear_pointer (&s->payload, g_bytes_unref);
      session_ready (s);
      return;
    }
  send_next (s);
}

static void
on_closed (SoupWebsocketConnection *ws, gpointer user_data)
{
  Session *s = user_data;
  if (!s->closed && !stopping)
    {
      n_unexpected_close++;
      note_error ("session closed by the peer", NULL);
      g_printerr ("ws-load: session %d closed by peer: code %u reason %s\n", s->index,
                  soup_websocket_connection_get_close_code (ws),
                  soup_websocket_connection_get_close_data (ws));
    }
  s->closed = TRUE;
  n_closed_done++;
  if (!stopping)
    session_ready (s);  /* closed before its first echo: it will not come */
  maybe_quit ();
}

static void
on_ws_error (SoupWebsocketConnection *ws, GError *error, gpointer user_data)
{
  note_error ("websocket error", error);
}

static void
start_measuring (void)
{
  measuring = TRUE;
  cpu_at_measure_start = cpu_seconds ();
  sample_pids (TRUE);
  measure_start = g_get_monotonic_time ();
  measure_end = measure_start + (gint64) (opt.duration * 1e6);
  for (int i = 0; i < opt.sessions; i++)
    if (sessions[i].ws && !sessions[i].closed)
      send_next (&sessions[i]);
}

static void
maybe_quit (void)
{
  if (stopping && n_closed_done >= n_open)
    g_main_loop_quit (loop);
  else if (!stopping && !measuring && n_finished_connecting >= opt.sessions)
    {
      if (g_strcmp0 (opt.mode, "echo") == 0)
        {
          start_measuring ();
          g_main_loop_quit (loop);  /* run_websocket() runs the measured window */
        }
      else if (g_strcmp0 (opt.mode, "idle") == 0)
        {
          measuring = TRUE;
          g_printerr ("ready %d\n", n_open);
          g_main_loop_quit (loop);  /* main() holds, then closes */
        }
    }
}

static void
on_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Session *s = user_data;
  g_autoptr(GError) error = NULL;

  s->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (s->ws == NULL)
    {
      n_connect_failed++;
      note_error ("connect", error);
      session_ready (s);
      return;
    }
  n_open++;
  soup_websocket_connection_set_max_incoming_payload_size (s->ws, MAX (opt.size * 2, 131072));
  g_signal_connect (s->ws, "message", G_CALLBACK (on_message), s);
  g_signal_connect (s->ws, "closed", G_CALLBACK (on_closed), s);
  g_signal_connect (s->ws, "error", G_CALLBACK (on_ws_error), s);
  /* One checked echo before the session counts as open: a gateway may answer the
   * WebSocket handshake before its back-end is connected (gatehoused does; HAProxy and
   * nginx wait for the back-end's answer), and the measured window must not time that. */
  send_next (s);
}

static gboolean
on_deadline (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_REMOVE;
}

static void
close_all (void)
{
  stopping = TRUE;
  for (int i = 0; i < opt.sessions; i++)
    {
      Session *s = &sessions[i];
      if (s->ws && !s->closed && soup_websocket_connection_get_state (s->ws) == SOUP_WEBSOCKET_STATE_OPEN)
        soup_websocket_connection_close (s->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
      else if (s->ws && !s->closed && soup_websocket_connection_get_state (s->ws) == SOUP_WEBSOCKET_STATE_CLOSED)
        {
          s->closed = TRUE;
          n_closed_done++;
        }
    }
  if (n_closed_done < n_open)
    {
      guint id = g_timeout_add_seconds (10, on_deadline, NULL);
      g_main_loop_run (loop);
      if (n_closed_done < n_open)
        note_error ("sessions still closing after 10 s", NULL);
      else
        g_source_remove (id);
    }
}

static int
cmp_u32 (gconstpointer a, gconstpointer b)
{
  guint32 x = *(const guint32 *) a, y = *(const guint32 *) b;
  return x < y ? -1 : x > y;
}

static int
cmp_u64 (gconstpointer a, gconstpointer b)
{
  guint64 x = *(const guint64 *) a, y = *(const guint64 *) b;
  return x < y ? -1 : x > y;
}

/* The sessions' message counts in the window (open sessions only): min, median, max. */
static void
session_spread (double *min, double *median, double *max)
{
  g_autoptr(GArray) counts = g_array_new (FALSE, FALSE, sizeof (guint64));
  guint n;

  for (int i = 0; i < opt.sessions; i++)
    if (sessions[i].ws)
      g_array_append_val (counts, sessions[i].in_window);
  *min = *median = *max = 0;
  n = counts->len;
  if (n == 0 || g_strcmp0 (opt.mode, "echo") != 0)
    return;
  g_array_sort (counts, cmp_u64);
  *min = g_array_index (counts, guint64, 0);
  *max = g_array_index (counts, guint64, n - 1);
  *median = n % 2 ? g_array_index (counts, guint64, n / 2)
                  : (g_array_index (counts, guint64, n / 2 - 1) + g_array_index (counts, guint64, n / 2)) / 2.0;
}

static double
percentile_ms (double p)
{
  guint i;
  if (latencies->len == 0)
    return 0;
  i = (guint) (p * (latencies->len - 1) + 0.5);
  return g_array_index (latencies, guint32, i) / 1000.0;
}

static gboolean
on_usr1 (gpointer data)
{
  if (idle_echoing || !measuring || stopping)
    return G_SOURCE_CONTINUE;
  idle_echoing = TRUE;
  for (int i = 0; i < opt.sessions; i++)
    if (sessions[i].ws && !sessions[i].closed && sessions[i].payload == NULL)
      send_next (&sessions[i]);
  return G_SOURCE_CONTINUE;
}

static gboolean
on_usr2 (gpointer data)
{
  idle_echoing = FALSE;  /* each session stops after the echo in flight */
  return G_SOURCE_CONTINUE;
}

static gboolean
on_term (gpointer data)
{
  g_main_loop_quit (loop);
  return G_SOURCE_CONTINUE;
}

static int
run_websocket (double wall_start, double cpu_start)
{
  guint guard;
  double connected_at, measured, wall, cpu, min, median, max;
  g_autofree char *err_json = NULL;
  g_autofree char *pids = NULL;

  latencies = g_array_sized_new (FALSE, FALSE, sizeof (guint32), 1 << 16);
  soup = soup_session_new_with_options ("tls-database", database,
                                        "max-conns", 1000000, "max-conns-per-host", 1000000,
                                        "timeout", (guint) opt.connect_timeout,
                                        "idle-timeout", 0,
                                        NULL);
  sessions = g_new0 (Session, opt.sessions);
  {
    g_autoptr(SoupMessage) probe = soup_message_new ("GET", opt.url);
    if (probe == NULL)
      {
        g_printerr ("ws-load: bad URL %s\n", opt.url);
        return 2;
      }
  }
  for (int i = 0; i < (opt.connect_window > 0 ? MIN (opt.connect_window, opt.sessions) : opt.sessions); i++)
    connect_next ();

  /* Connect (bounded), then measure for the duration (or hold, for idle). */
  guard = g_timeout_add ((guint) (opt.connect_timeout * 1000), on_deadline, NULL);
  g_main_loop_run (loop);
  connected_at = now_s ();
  if (!measuring)
    note_error ("not every session connected in time", NULL);
  else
    g_source_remove (guard);

  if (g_strcmp0 (opt.mode, "echo") == 0 && measuring)
    {
      gint64 left_ms = MAX (0, (measure_end - g_get_monotonic_time ()) / 1000);
      g_timeout_add ((guint) left_ms, on_deadline, NULL);
      g_main_loop_run (loop);
      measure_end = MIN (measure_end, g_get_monotonic_time ());
      cpu_window = cpu_seconds () - cpu_at_measure_start;
      sample_pids (FALSE);
    }
  else if (g_strcmp0 (opt.mode, "idle") == 0 && measuring)
    {
      g_unix_signal_add (SIGUSR1, on_usr1, NULL);
      g_unix_signal_add (SIGUSR2, on_usr2, NULL);
      g_unix_signal_add (SIGTERM, on_term, NULL);
      g_unix_signal_add (SIGINT, on_term, NULL);
      g_timeout_add ((guint) (opt.hold * 1000), on_deadline, NULL);
      g_main_loop_run (loop);
      idle_echoing = FALSE;
    }
  measured = (measure_end - measure_start) / 1e6;
  close_all ();

  g_array_sort (latencies, cmp_u32);
  session_spread (&min, &median, &max);
  if (pid_cpu_start == NULL)
    sample_pids (TRUE);  /* no window: nulls */
  pids = pids_json ();
  wall = now_s () - wall_start;
  cpu = cpu_seconds () - cpu_start;
  err_json = first_error ? g_strescape (first_error, NULL) : NULL;
  g_print ("{\"mode\":\"%s\",\"generator\":\"soup\",\"url\":\"%s\",\"sessions\":%d,\"open\":%d,\"size\":%d,"
           "\"duration_s\":%.3f,\"messages\":%" G_GUINT64_FORMAT ",\"messages_per_s\":%.1f,"
           "\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
           "\"session_min\":%.0f,\"session_median\":%.1f,\"session_max\":%.0f,"
           "\"connect_s\":%.3f,\"connect_failed\":%d,\"mismatches\":%d,\"unexpected_closes\":%d,"
           "\"errors\":%d,\"first_error\":%s%s%s,\"cpu_window_s\":%.3f,%s,\"cpu_s\":%.3f,\"wall_s\":%.3f}\n",
           opt.mode, opt.url, opt.sessions, n_open, opt.size,
           g_strcmp0 (opt.mode, "echo") == 0 ? measured : opt.hold, n_messages,
           g_strcmp0 (opt.mode, "echo") == 0 && measured > 0 ? n_messages / measured : 0.0,
           percentile_ms (0.50), percentile_ms (0.90), percentile_ms (0.99), percentile_ms (1.0),
           min, median, max,
           connected_at - wall_start, n_connect_failed, n_mismatch, n_unexpected_close,
           n_connect_failed + n_mismatch + n_unexpected_close,
           err_json ? "\"" : "null", err_json ? err_json : "", err_json ? "\"" : "",
           cpu_window, pids, cpu, wall);
  return 0;
}

/* ---- handshake mode ---- */

typedef struct {
  GSocketClient *client;
  GTlsConnection *tls;
  GSocketConnection *tcp;
  gint64 started;
} Looper;

static guint64 n_handshakes, n_handshake_failed;
static gint64 hs_deadline;
static int n_loopers_done;
static char *negotiated;
static GSocketConnectable *identity;

static void looper_next (Looper *l);

static void
on_tls_closed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Looper *l = user_data;
  g_io_stream_close_finish (G_IO_STREAM (source), result, NULL);
  g_clear_object (&l->tls);
  g_clear_object (&l->tcp);
  looper_next (l);
}

static void
on_handshake (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Looper *l = user_data;
  g_autoptr(GError) error = NULL;

  if (g_tls_connection_handshake_finish (G_TLS_CONNECTION (source), result, &error))
    {
      n_handshakes++;
      if (negotiated == NULL)
        negotiated = g_strdup_printf ("%s %s",
                                      g_tls_connection_get_protocol_version (l->tls) == G_TLS_PROTOCOL_VERSION_TLS_1_3 ? "TLSv1.3" :
                                      g_tls_connection_get_protocol_version (l->tls) == G_TLS_PROTOCOL_VERSION_TLS_1_2 ? "TLSv1.2" : "other",
                                      g_tls_connection_get_ciphersuite_name (l->tls));
      g_io_stream_close_async (G_IO_STREAM (l->tls), G_PRIORITY_DEFAULT, NULL, on_tls_closed, l);
      return;
    }
  n_handshake_failed++;
  note_error ("handshake", error);
  g_clear_object (&l->tls);
  g_clear_object (&l->tcp);
  looper_next (l);
}

static void
on_tcp (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Looper *l = user_data;
  g_autoptr(GError) error = NULL;
  GIOStream *tls;

  l->tcp = g_socket_client_connect_to_host_finish (G_SOCKET_CLIENT (source), result, &error);
  if (l->tcp == NULL)
    {
      n_handshake_failed++;
      note_error ("connect", error);
      looper_next (l);
      return;
    }
  tls = g_tls_client_connection_new (G_IO_STREAM (l->tcp), identity, &error);
  if (tls == NULL)
    g_error ("%s", error->message);
  g_tls_connection_set_database (G_TLS_CONNECTION (tls), database);
  /* Full handshakes: no resumption from earlier connections. */
  g_object_set (tls, "session-resumption-enabled", FALSE, NULL);
  l->tls = G_TLS_CONNECTION (tls);
  g_tls_connection_handshake_async (l->tls, G_PRIORITY_DEFAULT, NULL, on_handshake, l);
}

static void
looper_next (Looper *l)
{
  if (g_get_monotonic_time () >= hs_deadline || n_handshake_failed > 1000)
    {
      if (++n_loopers_done == opt.concurrency)
        g_main_loop_quit (loop);
      return;
    }
  g_socket_client_connect_to_host_async (l->client, opt.host, opt.port, NULL, on_tcp, l);
}

static int
run_handshakes (double wall_start, double cpu_start)
{
  Looper *loopers = g_new0 (Looper, opt.concurrency);
  gint64 start;
  double elapsed, cpu;
  g_autofree char *err_json = NULL;
  g_autofree char *pids = NULL;

  identity = g_network_address_new (opt.server_name ? opt.server_name : opt.host, opt.port);
  sample_pids (TRUE);
  start = g_get_monotonic_time ();
  hs_deadline = start + (gint64) (opt.duration * 1e6);
  for (int i = 0; i < opt.concurrency; i++)
    {
      loopers[i].client = g_socket_client_new ();
      looper_next (&loopers[i]);
    }
  g_main_loop_run (loop);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  sample_pids (FALSE);
  pids = pids_json ();
  cpu = cpu_seconds () - cpu_start;
  err_json = first_error ? g_strescape (first_error, NULL) : NULL;
  g_print ("{\"mode\":\"handshake\",\"generator\":\"soup\",\"host\":\"%s\",\"port\":%d,\"concurrency\":%d,\"duration_s\":%.3f,"
           "\"handshakes\":%" G_GUINT64_FORMAT ",\"handshakes_per_s\":%.1f,\"failed\":%" G_GUINT64_FORMAT ","
           "\"negotiated\":\"%s\",\"first_error\":%s%s%s,%s,\"cpu_window_s\":%.3f,\"cpu_s\":%.3f,\"wall_s\":%.3f}\n",
           opt.host, opt.port, opt.concurrency, elapsed, n_handshakes, n_handshakes / elapsed,
           n_handshake_failed, negotiated ? negotiated : "",
           err_json ? "\"" : "null", err_json ? err_json : "", err_json ? "\"" : "",
           pids, cpu, cpu, now_s () - wall_start);
  return 0;
}

/* ---- churn mode ---- */

typedef struct {
  int index;
  SoupWebsocketConnection *ws;
} Churner;

static guint64 n_churn_opened, n_churn_closed, n_churn_failed, n_churn_peer_closed;
static gint64 churn_deadline;
static int n_churners_done;

static void churner_next (Churner *c);

static void
on_churn_closed (SoupWebsocketConnection *ws, gpointer user_data)
{
  Churner *c = user_data;

  n_churn_closed++;
  if (soup_websocket_connection_get_close_code (ws) != SOUP_WEBSOCKET_CLOSE_NORMAL)
    {
      n_churn_peer_closed++;
      if (first_error == NULL)
        first_error = g_strdup_printf ("session closed with code %u", soup_websocket_connection_get_close_code (ws));
    }
  g_signal_handlers_disconnect_by_data (ws, c);
  g_clear_object (&c->ws);
  churner_next (c);
}

static void
on_churn_connected (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Churner *c = user_data;
  g_autoptr(GError) error = NULL;

  c->ws = soup_session_websocket_connect_finish (SOUP_SESSION (source), result, &error);
  if (c->ws == NULL)
    {
      n_churn_failed++;
      note_error ("connect", error);
      churner_next (c);
      return;
    }
  n_churn_opened++;
  g_signal_connect (c->ws, "closed", G_CALLBACK (on_churn_closed), c);
  g_signal_connect (c->ws, "error", G_CALLBACK (on_ws_error), c);
  soup_websocket_connection_close (c->ws, SOUP_WEBSOCKET_CLOSE_NORMAL, NULL);
}

static void
churner_next (Churner *c)
{
  g_autoptr(SoupMessage) msg = NULL;

  if (g_get_monotonic_time () >= churn_deadline || n_churn_failed > 1000)
    {
      if (++n_churners_done == opt.concurrency)
        g_main_loop_quit (loop);
      return;
    }
  msg = soup_message_new ("GET", opt.url);
  soup_session_websocket_connect_async (soup, msg, NULL, NULL, G_PRIORITY_DEFAULT, NULL,
                                        on_churn_connected, c);
}

static int
run_churn (double wall_start, double cpu_start)
{
  Churner *churners = g_new0 (Churner, opt.concurrency);
  g_autoptr(SoupMessage) probe = soup_message_new ("GET", opt.url);
  g_autofree char *err_json = NULL;
  gint64 start;
  double elapsed;

  if (probe == NULL)
    {
      g_printerr ("ws-load: bad URL %s\n", opt.url);
      return 2;
    }
  soup = soup_session_new_with_options ("tls-database", database,
                                        "max-conns", 1000000, "max-conns-per-host", 1000000,
                                        "timeout", (guint) opt.connect_timeout,
                                        "idle-timeout", 0,
                                        NULL);
  start = g_get_monotonic_time ();
  churn_deadline = start + (gint64) (opt.duration * 1e6);
  for (int i = 0; i < opt.concurrency; i++)
    {
      churners[i].index = i;
      churner_next (&churners[i]);
    }
  g_main_loop_run (loop);
  elapsed = (g_get_monotonic_time () - start) / 1e6;
  err_json = first_error ? g_strescape (first_error, NULL) : NULL;
  g_print ("{\"mode\":\"churn\",\"url\":\"%s\",\"concurrency\":%d,\"duration_s\":%.3f,"
           "\"opened\":%" G_GUINT64_FORMAT ",\"closed\":%" G_GUINT64_FORMAT ",\"failed\":%" G_GUINT64_FORMAT ","
           "\"abnormal_closes\":%" G_GUINT64_FORMAT ",\"sessions_per_s\":%.1f,"
           "\"first_error\":%s%s%s,\"cpu_s\":%.3f,\"wall_s\":%.3f}\n",
           opt.url, opt.concurrency, elapsed, n_churn_opened, n_churn_closed, n_churn_failed,
           n_churn_peer_closed, n_churn_opened / elapsed,
           err_json ? "\"" : "null", err_json ? err_json : "", err_json ? "\"" : "",
           cpu_seconds () - cpu_start, now_s () - wall_start);
  return 0;
}

int
main (int argc, char **argv)
{
  g_autoptr(GError) error = NULL;
  GOptionEntry entries[] = {
    { "mode", 0, 0, G_OPTION_ARG_STRING, &opt.mode, "echo, idle, churn or handshake", "MODE" },
    { "url", 0, 0, G_OPTION_ARG_STRING, &opt.url, "wss:// URL (echo, idle)", "URL" },
    { "ca", 0, 0, G_OPTION_ARG_FILENAME, &opt.ca, "PEM file of the CA to trust", "FILE" },
    { "host", 0, 0, G_OPTION_ARG_STRING, &opt.host, "host (handshake)", "HOST" },
    { "port", 0, 0, G_OPTION_ARG_INT, &opt.port, "port (handshake)", "PORT" },
    { "server-name", 0, 0, G_OPTION_ARG_STRING, &opt.server_name, "name to verify (handshake)", "NAME" },
    { "sessions", 0, 0, G_OPTION_ARG_INT, &opt.sessions, "WebSocket sessions", "N" },
    { "size", 0, 0, G_OPTION_ARG_INT, &opt.size, "message size in bytes", "S" },
    { "concurrency", 0, 0, G_OPTION_ARG_INT, &opt.concurrency, "parallel handshake loops", "C" },
    { "duration", 0, 0, G_OPTION_ARG_DOUBLE, &opt.duration, "seconds of measurement", "D" },
    { "hold", 0, 0, G_OPTION_ARG_DOUBLE, &opt.hold, "seconds to hold idle sessions", "D" },
    { "connect-timeout", 0, 0, G_OPTION_ARG_DOUBLE, &opt.connect_timeout, "seconds to open every session", "D" },
    { "connect-window", 0, 0, G_OPTION_ARG_INT, &opt.connect_window, "at most W handshakes in flight (echo, idle; default all at once)", "W" },
    { "cpu-pid", 0, 0, G_OPTION_ARG_STRING_ARRAY, &opt.cpu_pids, "a process whose CPU time in the window to report (repeatable)", "PID" },
    { NULL }
  };
  double wall_start, cpu_start;
  g_autoptr(GOptionContext) context = g_option_context_new ("— WSS load generator for the gateway benchmark");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || opt.mode == NULL || opt.ca == NULL ||
      opt.sessions < 1 || opt.size < 1 || opt.concurrency < 1 || opt.duration <= 0)
    {
      g_printerr ("ws-load: %s\n", error ? error->message : "--mode and --ca are required; see --help");
      return 2;
    }
  database = g_tls_file_database_new (opt.ca, &error);
  if (database == NULL)
    {
      g_printerr ("ws-load: %s\n", error->message);
      return 1;
    }
  loop = g_main_loop_new (NULL, FALSE);
  wall_start = now_s ();
  cpu_start = cpu_seconds ();

  if (g_strcmp0 (opt.mode, "handshake") == 0)
    {
      if (opt.host == NULL || opt.port <= 0)
        {
          g_printerr ("ws-load: handshake needs --host and --port\n");
          return 2;
        }
      return run_handshakes (wall_start, cpu_start);
    }
  if (g_strcmp0 (opt.mode, "churn") == 0 && opt.url)
    return run_churn (wall_start, cpu_start);
  if ((g_strcmp0 (opt.mode, "echo") == 0 || g_strcmp0 (opt.mode, "idle") == 0) && opt.url)
    return run_websocket (wall_start, cpu_start);
  g_printerr ("ws-load: unknown mode or missing --url\n");
  return 2;
}
