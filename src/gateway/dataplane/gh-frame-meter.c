/* gh-frame-meter.c — follows the WebSocket frames a peer sends, to bound its messages
 *
 * libsoup assembles a fragmented message until its last fragment, and its own limit
 * is per frame: a peer that sends fragments of one message for ever fills the
 * gateway's memory. The meter reads the same bytes as libsoup, just before it (see
 * gh-metered-stream.c), but only the frame headers: a payload is skipped, never
 * copied. It adds up a message's fragments and says when the message passes the
 * service's limit (1009), or when the frames break RFC 6455 in a way that would let
 * the count go wrong (1002): a length with its top bit set, a continuation outside a
 * message, a new message inside one, an unknown opcode, a fragmented or long control
 * frame. What libsoup checks on its own (masks, reserved bits, UTF-8) is left to it.
 *
 * Toward a client, the meter starts in HTTP: it watches for the end of each request
 * head, so that when the upgrade is done it knows whether the client sent anything
 * after its upgrade request. A client must wait for the 101 (RFC 6455, 4.1); one
 * that did not would have frames the meter never saw, so that is a protocol error.
 *
 * A plain struct with no GLib object around it, fed from any chunking: the fuzz
 * target (tests/fuzz/fuzz-websocket-frames.c) checks that the chunking changes no
 * verdict.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-frame-meter"

#include "config.h"

#include "gh-frame-meter.h"

#define MAX_CONTROL_PAYLOAD 125

void
gh_frame_meter_init (GhFrameMeter *meter,
                     guint64       max_message,
                     gboolean      frames)
{
  g_return_if_fail (meter != NULL);

  *meter = (GhFrameMeter) { .max_message = max_message, .frames = frames };
}

static GhFrameMeterVerdict
judge (GhFrameMeter        *meter,
       GhFrameMeterVerdict  verdict,
       const char          *why)
{
  meter->verdict = verdict;
  meter->why = why;
  return verdict;
}

/**
 * gh_frame_meter_start_frames:
 * @meter: a meter that watched an HTTP request
 *
 * The upgrade is done: what follows the last request head is frames.
 *
 * Returns: the verdict: a protocol error when bytes came after that head already
 */
GhFrameMeterVerdict
gh_frame_meter_start_frames (GhFrameMeter *meter)
{
  g_return_val_if_fail (meter != NULL, GH_FRAME_METER_PROTOCOL_ERROR);

  if (meter->frames || meter->verdict != GH_FRAME_METER_OK)
    return meter->verdict;

  meter->frames = TRUE;
  meter->frame_start = meter->head_end;
  if (meter->offset != meter->head_end)
    return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "data before the upgrade’s response");
  return GH_FRAME_METER_OK;
}

/* Where a frame's length ends, and its header, from its first two bytes. */
static guint
length_end (const guint8 *header)
{
  guint8 length = header[1] & 0x7f;

  return 2 + (length == 126 ? 2 : length == 127 ? 8 : 0);
}

static guint
header_size (const guint8 *header)
{
  return length_end (header) + ((header[1] & 0x80) ? 4 : 0);
}

static guint64
payload_length (const guint8 *header)
{
  guint8 length = header[1] & 0x7f;
  guint64 value = 0;
  guint n = length == 126 ? 2 : length == 127 ? 8 : 0;

  if (n == 0)
    return length;
  for (guint i = 0; i < n; i++)
    value = (value << 8) | header[2 + i];
  return value;
}

/* A frame's header is in: counts its payload toward its message. */
static GhFrameMeterVerdict
frame_begins (GhFrameMeter *meter)
{
  gboolean fin = (meter->header[0] & 0x80) != 0;
  guint opcode = meter->header[0] & 0x0f;
  guint64 length = payload_length (meter->header);

  if (length >> 63)
    return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "a payload length with its top bit set");
  meter->payload_left = length;

  if (opcode >= 0x8)
    {
      if (opcode > 0xa)
        return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "an unknown control opcode");
      if (!fin)
        return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "a fragmented control frame");
      if (length > MAX_CONTROL_PAYLOAD)
        return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "a control frame over 125 bytes");
      return GH_FRAME_METER_OK;
    }

  if (opcode == 0x0)
    {
      if (!meter->in_message)
        return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "a continuation frame outside a message");
      meter->message_size += length;
    }
  else if (opcode <= 0x2)
    {
      if (meter->in_message)
        return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "a new message inside a fragmented one");
      meter->in_message = TRUE;
      meter->message_size = length;
    }
  else
    {
      return judge (meter, GH_FRAME_METER_PROTOCOL_ERROR, "an unknown data opcode");
    }

  /* length < 2^63 and message_size was at most max_message: no overflow */
  if (meter->message_size > meter->max_message)
    return judge (meter, GH_FRAME_METER_TOO_BIG, "a message over the service’s limits.max-message-bytes");
  if (fin)
    meter->in_message = FALSE;
  return GH_FRAME_METER_OK;
}

static void
watch_heads (GhFrameMeter *meter,
             const guint8 *data,
             gsize         length)
{
  static const char end[] = "\r\n\r\n";

  for (gsize i = 0; i < length; i++)
    {
      if (data[i] == (guint8) end[meter->head_match])
        meter->head_match++;
      else
        meter->head_match = data[i] == '\r' ? 1 : 0;

      if (meter->head_match == 4)
        {
          meter->head_end = meter->offset + i + 1;
          meter->head_match = 0;
        }
    }
}

/**
 * gh_frame_meter_feed:
 * @meter: a meter
 * @data: (array length=length): the next bytes the peer sent
 * @length: their number
 *
 * After a verdict, the frame it is about starts at @meter's frame_start: what came
 * before it was sound.
 *
 * Returns: the verdict so far (once it is not OK, it stays)
 */
GhFrameMeterVerdict
gh_frame_meter_feed (GhFrameMeter *meter,
                     const guint8 *data,
                     gsize         length)
{
  gsize i = 0;

  g_return_val_if_fail (meter != NULL, GH_FRAME_METER_PROTOCOL_ERROR);
  g_return_val_if_fail (data != NULL || length == 0, GH_FRAME_METER_PROTOCOL_ERROR);

  if (meter->verdict != GH_FRAME_METER_OK)
    return meter->verdict;

  if (!meter->frames)
    {
      watch_heads (meter, data, length);
      meter->offset += length;
      return GH_FRAME_METER_OK;
    }

  while (i < length)
    {
      if (meter->header_length == 0 && meter->payload_left > 0)
        {
          guint64 skip = MIN (meter->payload_left, (guint64) (length - i));

          meter->payload_left -= skip;
          i += skip;
          continue;
        }

      if (meter->header_length == 0)
        meter->frame_start = meter->offset + i;
      meter->header[meter->header_length++] = data[i++];
      if (meter->header_length < 2)
        continue;

      /* Judged once the length is in, before the mask: a reader may judge that early too. */
      if (meter->header_length == length_end (meter->header) && frame_begins (meter) != GH_FRAME_METER_OK)
        break;
      if (meter->header_length == header_size (meter->header))
        meter->header_length = 0;
    }

  meter->offset += i;
  return meter->verdict;
}
