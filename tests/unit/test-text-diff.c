/* test-text-diff.c — the line diff: what diff -u prints for the same two texts, and
 * for random texts a diff that rebuilds both sides and is as short as the LCS says
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "config.h"

#include <locale.h>

#include "gh-text-diff.h"

static void
assert_unified (const char *old_text,
                const char *new_text,
                guint       context,
                const char *expected)
{
  g_autofree char *diff = gh_text_diff_unified (old_text, new_text, "old", "new", context);

  g_assert_cmpstr (diff, ==, expected);
}

static void
test_equal (void)
{
  g_autoptr(GPtrArray) hunks = gh_text_diff_hunks ("a\nb\n", "a\nb\n", 3);
  g_autoptr(GPtrArray) none = gh_text_diff_hunks (NULL, "", 3);

  g_assert_cmpuint (hunks->len, ==, 0);
  g_assert_cmpuint (none->len, ==, 0);
  assert_unified ("a\nb\n", "a\nb\n", 3, "");
  assert_unified ("", NULL, 3, "");
}

static void
test_insertion (void)
{
  assert_unified ("a\nb\nc\n", "a\nb\nX\nc\n", 3,
                  "--- old\n+++ new\n"
                  "@@ -1,3 +1,4 @@\n a\n b\n+X\n c\n");
  /* Without context: the side with no lines starts at the line before. */
  assert_unified ("a\nb\nc\n", "a\nb\nX\nc\n", 0,
                  "--- old\n+++ new\n"
                  "@@ -2,0 +3 @@\n+X\n");
  assert_unified ("a\n", "X\na\n", 0,
                  "--- old\n+++ new\n"
                  "@@ -0,0 +1 @@\n+X\n");
}

static void
test_deletion (void)
{
  assert_unified ("a\nb\nc\nd\n", "a\nd\n", 1,
                  "--- old\n+++ new\n"
                  "@@ -1,4 +1,2 @@\n a\n-b\n-c\n d\n");
  assert_unified ("a\nb\nc\n", "a\nb\n", 0,
                  "--- old\n+++ new\n"
                  "@@ -3 +2,0 @@\n-c\n");
}

static void
test_change (void)
{
  g_autoptr(GPtrArray) hunks = gh_text_diff_hunks ("{\n  \"a\": 1,\n  \"b\": 2\n}\n",
                                                   "{\n  \"a\": 1,\n  \"b\": 3\n}\n", 1);
  const GhTextDiffHunk *hunk;
  const GhTextDiffLine *removed, *added;

  /* A changed line: one removal then one addition, with line numbers on each side. */
  g_assert_cmpuint (hunks->len, ==, 1);
  hunk = g_ptr_array_index (hunks, 0);
  g_assert_cmpuint (hunk->lines->len, ==, 4);
  removed = g_ptr_array_index (hunk->lines, 1);
  added = g_ptr_array_index (hunk->lines, 2);
  g_assert_cmpint (removed->kind, ==, GH_TEXT_DIFF_REMOVED);
  g_assert_cmpstr (removed->text, ==, "  \"b\": 2");
  g_assert_cmpuint (removed->old_line, ==, 3);
  g_assert_cmpuint (removed->new_line, ==, 0);
  g_assert_cmpint (added->kind, ==, GH_TEXT_DIFF_ADDED);
  g_assert_cmpstr (added->text, ==, "  \"b\": 3");
  g_assert_cmpuint (added->old_line, ==, 0);
  g_assert_cmpuint (added->new_line, ==, 3);

  assert_unified ("{\n  \"a\": 1,\n  \"b\": 2\n}\n", "{\n  \"a\": 1,\n  \"b\": 3\n}\n", 1,
                  "--- old\n+++ new\n"
                  "@@ -2,3 +2,3 @@\n   \"a\": 1,\n-  \"b\": 2\n+  \"b\": 3\n }\n");
}

static void
test_context_hunks (void)
{
  const char *old_text = "1\n2\n3\n4\n5\n6\n7\n8\n9\n10\n11\n12\n";
  g_autoptr(GPtrArray) apart = NULL;
  g_autoptr(GPtrArray) together = NULL;

  /* Changes at lines 2 and 11: eight lines apart, two hunks with context 3 ... */
  apart = gh_text_diff_hunks (old_text, "1\nB\n3\n4\n5\n6\n7\n8\n9\n10\nK\n12\n", 3);
  g_assert_cmpuint (apart->len, ==, 2);
  assert_unified (old_text, "1\nB\n3\n4\n5\n6\n7\n8\n9\n10\nK\n12\n", 3,
                  "--- old\n+++ new\n"
                  "@@ -1,5 +1,5 @@\n 1\n-2\n+B\n 3\n 4\n 5\n"
                  "@@ -8,5 +8,5 @@\n 8\n 9\n 10\n-11\n+K\n 12\n");

  /* ... and one when no more than two contexts lie between them. */
  together = gh_text_diff_hunks (old_text, "1\nB\n3\n4\n5\n6\n7\n8\nI\n10\n11\n12\n", 3);
  g_assert_cmpuint (together->len, ==, 1);
  assert_unified (old_text, "1\nB\n3\n4\n5\n6\n7\n8\nI\n10\n11\n12\n", 3,
                  "--- old\n+++ new\n"
                  "@@ -1,12 +1,12 @@\n 1\n-2\n+B\n 3\n 4\n 5\n 6\n 7\n 8\n-9\n+I\n 10\n 11\n 12\n");
}

static void
test_empty (void)
{
  assert_unified ("", "a\nb\n", 3,
                  "--- old\n+++ new\n"
                  "@@ -0,0 +1,2 @@\n+a\n+b\n");
  assert_unified ("a\nb\n", NULL, 3,
                  "--- old\n+++ new\n"
                  "@@ -1,2 +0,0 @@\n-a\n-b\n");
}

static void
test_no_trailing_newline (void)
{
  /* The same text but for the line end of the last line: a change, said so. */
  assert_unified ("a\nb", "a\nb\n", 3,
                  "--- old\n+++ new\n"
                  "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+b\n");
  assert_unified ("a\nb", "a\nc", 3,
                  "--- old\n+++ new\n"
                  "@@ -1,2 +1,2 @@\n a\n-b\n\\ No newline at end of file\n+c\n\\ No newline at end of file\n");
}

/* The length of the longest common subsequence of two line arrays. */
static guint
lcs_length (char **a,
            char **b)
{
  guint n = g_strv_length (a), m = g_strv_length (b);
  g_autofree guint *table = g_new0 (guint, (n + 1) * (m + 1));

  for (guint i = n; i-- > 0;)
    for (guint j = m; j-- > 0;)
      table[i * (m + 1) + j] = g_str_equal (a[i], b[j]) ? table[(i + 1) * (m + 1) + j + 1] + 1
                                                        : MAX (table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1]);
  return table[0];
}

static char **
random_lines (GRand *rand,
              guint  count)
{
  GStrvBuilder *builder = g_strv_builder_new ();
  char **lines;

  for (guint i = 0; i < count; i++)
    g_strv_builder_take (builder, g_strdup_printf ("%c", 'a' + g_rand_int_range (rand, 0, 4)));
  lines = g_strv_builder_end (builder);
  g_strv_builder_unref (builder);

  return lines;
}

static void
test_random (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (16);

  for (guint round = 0; round < 500; round++)
    {
      g_auto(GStrv) old_lines = random_lines (rand, g_rand_int_range (rand, 0, 30));
      g_auto(GStrv) new_lines = random_lines (rand, g_rand_int_range (rand, 0, 30));
      g_autofree char *old_joined = g_strjoinv ("\n", old_lines);
      g_autofree char *new_joined = g_strjoinv ("\n", new_lines);
      g_autofree char *old_text = old_lines[0] ? g_strconcat (old_joined, "\n", NULL) : g_strdup ("");
      g_autofree char *new_text = new_lines[0] ? g_strconcat (new_joined, "\n", NULL) : g_strdup ("");
      guint context = g_rand_int_range (rand, 0, 4);
      g_autoptr(GPtrArray) hunks = gh_text_diff_hunks (old_text, new_text, context);
      g_autoptr(GString) rebuilt_old = g_string_new (NULL);
      g_autoptr(GString) rebuilt_new = g_string_new (NULL);
      guint old_at = 0, new_at = 0, changes = 0;

      /* Lines between hunks are the same on both sides; rebuild both texts. */
      for (guint i = 0; i < hunks->len; i++)
        {
          const GhTextDiffHunk *hunk = g_ptr_array_index (hunks, i);
          guint old_first = hunk->old_count > 0 ? hunk->old_start - 1 : hunk->old_start;

          for (; old_at < old_first; old_at++, new_at++)
            {
              g_string_append_printf (rebuilt_old, "%s\n", old_lines[old_at]);
              g_string_append_printf (rebuilt_new, "%s\n", new_lines[new_at]);
            }
          g_assert_cmpuint (new_at, ==, hunk->new_count > 0 ? hunk->new_start - 1 : hunk->new_start);
          for (guint j = 0; j < hunk->lines->len; j++)
            {
              const GhTextDiffLine *line = g_ptr_array_index (hunk->lines, j);

              if (line->kind != GH_TEXT_DIFF_ADDED)
                {
                  g_assert_cmpuint (line->old_line, ==, ++old_at);
                  g_string_append_printf (rebuilt_old, "%s\n", line->text);
                }
              if (line->kind != GH_TEXT_DIFF_REMOVED)
                {
                  g_assert_cmpuint (line->new_line, ==, ++new_at);
                  g_string_append_printf (rebuilt_new, "%s\n", line->text);
                }
              changes += line->kind != GH_TEXT_DIFF_SAME;
            }
        }
      for (; old_lines[old_at] != NULL; old_at++, new_at++)
        {
          g_string_append_printf (rebuilt_old, "%s\n", old_lines[old_at]);
          g_string_append_printf (rebuilt_new, "%s\n", new_lines[new_at]);
        }

      g_assert_cmpstr (rebuilt_old->str, ==, old_text);
      g_assert_cmpstr (rebuilt_new->str, ==, new_text);
      /* Shortest: every line not in the LCS, and no more. */
      g_assert_cmpuint (changes, ==, g_strv_length (old_lines) + g_strv_length (new_lines) -
                                     2 * lcs_length (old_lines, new_lines));
    }
}

static void
test_many_changes (void)
{
  g_autoptr(GString) old_text = g_string_new (NULL);
  g_autoptr(GString) new_text = g_string_new (NULL);
  g_autoptr(GPtrArray) hunks = NULL;
  const GhTextDiffHunk *hunk;

  /* More differences than the walk keeps: still a correct diff of everything. */
  for (guint i = 0; i < 5000; i++)
    {
      g_string_append_printf (old_text, "old %u\n", i);
      g_string_append_printf (new_text, "new %u\n", i);
    }
  hunks = gh_text_diff_hunks (old_text->str, new_text->str, 3);
  g_assert_cmpuint (hunks->len, ==, 1);
  hunk = g_ptr_array_index (hunks, 0);
  g_assert_cmpuint (hunk->old_count, ==, 5000);
  g_assert_cmpuint (hunk->new_count, ==, 5000);
  g_assert_cmpuint (hunk->lines->len, ==, 10000);
}

int
main (int   argc,
      char *argv[])
{
  setlocale (LC_ALL, "");
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/text-diff/equal", test_equal);
  g_test_add_func ("/text-diff/insertion", test_insertion);
  g_test_add_func ("/text-diff/deletion", test_deletion);
  g_test_add_func ("/text-diff/change", test_change);
  g_test_add_func ("/text-diff/context-hunks", test_context_hunks);
  g_test_add_func ("/text-diff/empty", test_empty);
  g_test_add_func ("/text-diff/no-trailing-newline", test_no_trailing_newline);
  g_test_add_func ("/text-diff/random", test_random);
  g_test_add_func ("/text-diff/many-changes", test_many_changes);

  return g_test_run ();
}
