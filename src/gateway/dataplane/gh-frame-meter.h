/* gh-frame-meter.h — follows the WebSocket frames a peer sends, to bound its messages
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  GH_FRAME_METER_OK,
  GH_FRAME_METER_PROTOCOL_ERROR,  /* close with 1002 */
  GH_FRAME_METER_TOO_BIG,         /* close with 1009 */
} GhFrameMeterVerdict;

typedef struct {
  guint64             max_message;
  gboolean            frames;          /* past the HTTP head: frames follow */
  guint64             offset;          /* bytes seen */
  guint64             head_end;        /* offset just past the last "\r\n\r\n" */
  guint               head_match;      /* bytes of "\r\n\r\n" matched so far */

  guint64             frame_start;     /* offset of the current frame's header */
  guint8              header[14];
  guint               header_length;   /* bytes of the current frame's header so far */
  guint64             payload_left;    /* of the current frame, once its header is in */
  gboolean            in_message;      /* a fragmented data message is open */
  guint64             message_size;    /* its payload so far */

  GhFrameMeterVerdict verdict;         /* the first; nothing is looked at after it */
  const char         *why;             /* (static) what the verdict is about */
} GhFrameMeter;

void                gh_frame_meter_init         (GhFrameMeter *meter,
                                                 guint64       max_message,
                                                 gboolean      frames);
GhFrameMeterVerdict gh_frame_meter_start_frames (GhFrameMeter *meter);
GhFrameMeterVerdict gh_frame_meter_feed         (GhFrameMeter *meter,
                                                 const guint8 *data,
                                                 gsize         length);

G_END_DECLS
