/* fuzz-websocket-frames.c — the data port's WebSocket frame meter against arbitrary bytes
 *
 * GhFrameMeter (src/gateway/dataplane/gh-frame-meter.c) reads every byte a WebSocket
 * peer sends before libsoup does, and decides when a message is too big or the frames
 * break the protocol. Each input is: a flags byte (bit 0: an HTTP request head comes
 * first, as from a client), two bytes of message limit (times 16, plus 1), then what
 * the peer sends. The same bytes go to two meters, one all at once and one in chunks
 * whose sizes come from the input: the verdict, where its frame starts and the state
 * the meter ends in must not depend on how the bytes were cut. A meter with no verdict
 * never holds a message over its limit.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "fuzz-common.h"
#include "gh-frame-meter.h"

int
LLVMFuzzerInitialize (int    *argc,
                      char ***argv)
{
  fuzz_init ();
  return 0;
}

/* Feeds @data to @meter, all at once or in chunks of 1 to 17 bytes chosen by @cuts. */
static void
feed (GhFrameMeter  *meter,
      const guint8  *data,
      gsize          size,
      const guint8  *cuts,
      gsize          n_cuts)
{
  gsize done = 0;

  if (cuts == NULL)
    {
      gh_frame_meter_feed (meter, data, size);
      return;
    }
  for (gsize i = 0; done < size; i++)
    {
      gsize chunk = MIN ((gsize) (n_cuts > 0 ? cuts[i % n_cuts] % 17 : 0) + 1, size - done);

      gh_frame_meter_feed (meter, data + done, chunk);
      done += chunk;
    }
}

/* The HTTP head (up to its "\r\n\r\n"), then the upgrade, then the frames. */
static void
run (GhFrameMeter *meter,
     gboolean      http,
     guint64       max_message,
     const guint8 *data,
     gsize         size,
     const guint8 *cuts,
     gsize         n_cuts)
{
  gsize head = 0;

  gh_frame_meter_init (meter, max_message, !http);
  if (http)
    {
      const guint8 *end = memmem (data, size, "\r\n\r\n", 4);

      head = end != NULL ? (gsize) (end - data) + 4 : size;
      feed (meter, data, head, cuts, n_cuts);
      gh_frame_meter_start_frames (meter);
    }
  feed (meter, data + head, size - head, cuts, n_cuts);
}

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  GhFrameMeter whole;
  GhFrameMeter cut;
  gboolean http;
  guint64 max_message;

  if (size < 3)
    return 0;

  http = data[0] & 1;
  max_message = ((guint64) data[1] << 8 | data[2]) * 16 + 1;
  data += 3;
  size -= 3;

  run (&whole, http, max_message, data, size, NULL, 0);
  run (&cut, http, max_message, data, size, data, MIN (size, 64));

  g_assert_cmpint (whole.verdict, ==, cut.verdict);
  g_assert_true (whole.why == cut.why);
  if (whole.verdict != GH_FRAME_METER_OK)
    {
      g_assert_nonnull (whole.why);
      g_assert_cmpuint (whole.frame_start, ==, cut.frame_start);
      g_assert_cmpuint (whole.frame_start, <=, whole.offset);
      return 0;
    }

  /* Without a verdict, every byte was looked at. */
  g_assert_cmpuint (whole.offset, ==, size);
  g_assert_cmpuint (cut.offset, ==, size);
  g_assert_cmpint (whole.in_message, ==, cut.in_message);
  g_assert_cmpuint (whole.message_size, ==, cut.message_size);
  g_assert_cmpuint (whole.payload_left, ==, cut.payload_left);
  g_assert_cmpuint (whole.header_length, ==, cut.header_length);
  g_assert_cmpuint (whole.message_size, <=, max_message);
  return 0;
}
