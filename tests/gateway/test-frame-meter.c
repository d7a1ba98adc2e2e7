/* test-frame-meter.c — GhFrameMeter: what one WebSocket message may hold, and the
 * frames that would let the count go wrong
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include <string.h>

#include "gh-frame-meter.h"

/* A client's frame header (masked; the payload itself is not needed by the meter). */
static gsize
header (guint8   *out,
        gboolean  fin,
        guint     opcode,
        guint64   length)
{
  gsize n = 0;

  out[n++] = (fin ? 0x80 : 0) | opcode;
  if (length < 126)
    out[n++] = 0x80 | length;
  else if (length < 65536)
    {
      out[n++] = 0x80 | 126;
      out[n++] = length >> 8;
      out[n++] = length & 0xff;
    }
  else
    {
      out[n++] = 0x80 | 127;
      for (int shift = 56; shift >= 0; shift -= 8)
        out[n++] = (length >> shift) & 0xff;
    }
  memcpy (out + n, "mask", 4);
  return n + 4;
}

/* Feeds a frame: its header, then @length bytes of payload. */
static GhFrameMeterVerdict
feed_frame (GhFrameMeter *meter,
            gboolean      fin,
            guint         opcode,
            gsize         length)
{
  guint8 head[14];
  g_autofree guint8 *payload = g_malloc0 (length + 1);
  GhFrameMeterVerdict verdict = gh_frame_meter_feed (meter, head, header (head, fin, opcode, length));

  return verdict != GH_FRAME_METER_OK ? verdict : gh_frame_meter_feed (meter, payload, length);
}

static void
test_fragments_count_in_full (void)
{
  GhFrameMeter meter;

  gh_frame_meter_init (&meter, 4096, TRUE);
  g_assert_cmpint (feed_frame (&meter, FALSE, 0x2, 1024), ==, GH_FRAME_METER_OK);
  g_assert_cmpint (feed_frame (&meter, FALSE, 0x0, 1024), ==, GH_FRAME_METER_OK);
  /* A ping between fragments counts for nothing. */
  g_assert_cmpint (feed_frame (&meter, TRUE, 0x9, 125), ==, GH_FRAME_METER_OK);
  g_assert_cmpint (feed_frame (&meter, TRUE, 0x0, 2048), ==, GH_FRAME_METER_OK);
  g_assert_false (meter.in_message);

  /* The next message starts from nothing; its fourth fragment passes the limit. */
  for (guint i = 0; i < 3; i++)
    g_assert_cmpint (feed_frame (&meter, FALSE, i == 0 ? 0x1 : 0x0, 1365), ==, GH_FRAME_METER_OK);
  g_assert_cmpint (feed_frame (&meter, FALSE, 0x0, 2), ==, GH_FRAME_METER_TOO_BIG);
  g_assert_cmpint (gh_frame_meter_feed (&meter, (const guint8 *) "\x81\x80", 2), ==, GH_FRAME_METER_TOO_BIG);
}

static void
test_protocol_errors (void)
{
  struct {
    gboolean fin;
    guint    opcode;
    guint64  length;
    const char *why;
  } cases[] = {
    { TRUE, 0x0, 1, "a continuation frame outside a message" },
    { TRUE, 0x3, 1, "an unknown data opcode" },
    { TRUE, 0xb, 1, "an unknown control opcode" },
    { FALSE, 0x9, 1, "a fragmented control frame" },
    { TRUE, 0x8, 126, "a control frame over 125 bytes" },
    { TRUE, 0x2, G_GUINT64_CONSTANT (1) << 63, "a payload length with its top bit set" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      GhFrameMeter meter;
      guint8 head[14];
      gsize n;

      gh_frame_meter_init (&meter, G_MAXUINT32, TRUE);
      g_assert_cmpint (gh_frame_meter_feed (&meter, (const guint8 *) "\x82\x81mask!", 7), ==, GH_FRAME_METER_OK);
      n = header (head, cases[i].fin, cases[i].opcode, cases[i].length);
      g_assert_cmpint (gh_frame_meter_feed (&meter, head, n), ==, GH_FRAME_METER_PROTOCOL_ERROR);
      g_assert_cmpstr (meter.why, ==, cases[i].why);
      /* The bad frame starts after the good one. */
      g_assert_cmpuint (meter.frame_start, ==, 7);
    }
}

static void
test_new_message_inside_one (void)
{
  GhFrameMeter meter;

  gh_frame_meter_init (&meter, G_MAXUINT32, TRUE);
  g_assert_cmpint (feed_frame (&meter, FALSE, 0x1, 3), ==, GH_FRAME_METER_OK);
  g_assert_cmpint (feed_frame (&meter, TRUE, 0x1, 3), ==, GH_FRAME_METER_PROTOCOL_ERROR);
  g_assert_cmpstr (meter.why, ==, "a new message inside a fragmented one");
}

/* Judged when the length is in, before the mask: libsoup judges a length that early. */
static void
test_judged_before_the_mask (void)
{
  GhFrameMeter meter;
  guint8 head[14];

  gh_frame_meter_init (&meter, 1024, TRUE);
  header (head, TRUE, 0x2, 2048);
  g_assert_cmpint (gh_frame_meter_feed (&meter, head, 4), ==, GH_FRAME_METER_TOO_BIG);
}

static void
test_http_head_first (void)
{
  static const char request[] = "GET /echo HTTP/1.1\r\nHost: localhost\r\nUpgrade: websocket\r\n\r\n";
  GhFrameMeter meter;

  /* A byte at a time, as a slow client sends it */
  gh_frame_meter_init (&meter, 1024, FALSE);
  for (gsize i = 0; i < strlen (request); i++)
    g_assert_cmpint (gh_frame_meter_feed (&meter, (const guint8 *) request + i, 1), ==, GH_FRAME_METER_OK);
  g_assert_cmpint (gh_frame_meter_start_frames (&meter), ==, GH_FRAME_METER_OK);
  g_assert_cmpint (feed_frame (&meter, TRUE, 0x1, 5), ==, GH_FRAME_METER_OK);

  /* A frame sent before the 101: the meter would have missed its start. */
  gh_frame_meter_init (&meter, 1024, FALSE);
  gh_frame_meter_feed (&meter, (const guint8 *) request, strlen (request));
  gh_frame_meter_feed (&meter, (const guint8 *) "\x81\x85", 2);
  g_assert_cmpint (gh_frame_meter_start_frames (&meter), ==, GH_FRAME_METER_PROTOCOL_ERROR);
  g_assert_cmpstr (meter.why, ==, "data before the upgrade’s response");
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/frame-meter/fragments-count-in-full", test_fragments_count_in_full);
  g_test_add_func ("/frame-meter/protocol-errors", test_protocol_errors);
  g_test_add_func ("/frame-meter/new-message-inside-one", test_new_message_inside_one);
  g_test_add_func ("/frame-meter/judged-before-the-mask", test_judged_before_the_mask);
  g_test_add_func ("/frame-meter/http-head-first", test_http_head_first);

  return g_test_run ();
}
