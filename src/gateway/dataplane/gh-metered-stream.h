/* gh-metered-stream.h — a WebSocket's stream, its frames metered and its reading held
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define GH_TYPE_METERED_STREAM (gh_metered_stream_get_type ())

G_DECLARE_FINAL_TYPE (GhMeteredStream, gh_metered_stream, GH, METERED_STREAM, GIOStream)

GhMeteredStream *gh_metered_stream_new               (GIOStream       *base);
GIOStream       *gh_metered_stream_get_base          (GhMeteredStream *self);
void             gh_metered_stream_start_frames      (GhMeteredStream *self,
                                                      guint64          max_message);
/* Bytes the base stream took for sending, since the stream was made. */
guint64          gh_metered_stream_get_bytes_written (GhMeteredStream *self);
void             gh_metered_stream_set_input_paused  (GhMeteredStream *self,
                                                      gboolean         paused);
/* After a frame error: the reader sees the end of its input. */
void             gh_metered_stream_end_input         (GhMeteredStream *self);

G_END_DECLS
