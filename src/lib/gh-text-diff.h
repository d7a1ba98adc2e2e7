/* gh-text-diff.h — a line diff of two texts, as unified-diff hunks with context
 *
 * One diff for every part of Gatehouse that compares two texts (configuration
 * versions in gatehousectl and on the Audit page): the hunks are data, so a widget
 * can colour them and the command line can print them as diff -u does.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum {
  GH_TEXT_DIFF_SAME,     /* a context line, in both texts */
  GH_TEXT_DIFF_REMOVED,  /* only in the old text ('-') */
  GH_TEXT_DIFF_ADDED,    /* only in the new text ('+') */
} GhTextDiffKind;

typedef struct {
  GhTextDiffKind  kind;
  guint           old_line;         /* 1-based line number in the old text; 0 when added */
  guint           new_line;         /* 1-based line number in the new text; 0 when removed */
  char           *text;             /* the line without its line end */
  gboolean        missing_newline;  /* the text's last line, with no "\n" after it */
} GhTextDiffLine;

typedef struct {
  guint       old_start;  /* as in "@@ -old_start,old_count +new_start,new_count @@" */
  guint       old_count;
  guint       new_start;
  guint       new_count;
  GPtrArray  *lines;      /* of GhTextDiffLine, in order */
} GhTextDiffHunk;

void        gh_text_diff_hunk_free    (GhTextDiffHunk *hunk);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (GhTextDiffHunk, gh_text_diff_hunk_free)

/* The hunks that turn @old_text into @new_text (either may be NULL: empty), each
 * with up to @context unchanged lines around its changes, hunks closer than that
 * merged; an empty array when the texts are equal. A shortest edit script
 * (Myers), so a changed line shows as one removal and one addition. */
GPtrArray  *gh_text_diff_hunks        (const char           *old_text,
                                       const char           *new_text,
                                       guint                 context);

/* ' ', '-' or '+': how a unified diff starts a line of @kind. */
char        gh_text_diff_kind_to_char (GhTextDiffKind        kind);

/* "@@ -3,7 +3,8 @@" (a count of 1 left out, as diff -u does). */
char       *gh_text_diff_hunk_header  (const GhTextDiffHunk *hunk);

/* The unified diff, "--- @old_label\n+++ @new_label\n" and the hunks, each line
 * prefixed with ' ', '-' or '+' and "\ No newline at end of file" where diff -u
 * writes it; "" when the texts are equal. */
char       *gh_text_diff_unified      (const char           *old_text,
                                       const char           *new_text,
                                       const char           *old_label,
                                       const char           *new_label,
                                       guint                 context);

G_END_DECLS
