/* gh-line-diff.h — a unified line diff of two texts (the Audit page's comparison of
 * two configuration versions)
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  GH_LINE_DIFF_SAME,
  GH_LINE_DIFF_REMOVED,   /* only in the old text */
  GH_LINE_DIFF_ADDED,     /* only in the new text */
} GhLineDiffKind;

typedef struct {
  GhLineDiffKind  kind;
  char           *text;   /* the line, without its newline */
} GhLineDiffLine;

/* Every line of both texts in order, each marked same/removed/added: the longest
 * common subsequence of lines (removals before additions where they meet). Texts far
 * too large to compare line by line (more than @max_cells pairs of differing lines,
 * 0 for a default of 16 million) are shown as the old removed and the new added.
 * Returns a GPtrArray of GhLineDiffLine, freed with it. */
GPtrArray *gh_line_diff (const char *old_text,
                         const char *new_text,
                         gsize       max_cells);

/* The diff as text: "-" and "+" and " " before each line, with @context unchanged
 * lines around each change ("@@ … @@" between the hunks); "" when both are equal. */
char      *gh_line_diff_to_unified (GPtrArray *lines,
                                    guint      context);

G_END_DECLS
