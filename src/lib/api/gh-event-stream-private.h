/* gh-event-stream-private.h — GhEventStream's message handling, for tests and fuzzing
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "gh-event-stream.h"

G_BEGIN_DECLS

/* One text frame of the stream, applied to the models. FALSE (GH_API_ERROR_PROTOCOL)
 * when it is not an envelope of the contract or skips a seq: the caller reconnects. */
gboolean _gh_event_stream_handle_text (GhEventStream  *self,
                                       const char     *text,
                                       gsize           length,
                                       GError        **error);

G_END_DECLS
