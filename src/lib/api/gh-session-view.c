/* gh-session-view.c — the live sessions, filtered and sorted, changed in place
 *
 * Every session of the source has an Entry: whether it passes the filters, and the
 * value of the sort column it was placed by. The visible entries sit in one array in
 * the view's order; the order is total (ties go by start time, then by id).
 *
 * Changes are gathered, not applied one by one: a session whose update moves it (or
 * lets it in or out of the filter), and a session that opens or closes, is marked
 * pending, and a flush at high idle priority (before GTK lays out and draws) applies
 * them together. An update that moves nothing the view shows is never pending: the
 * row follows the session's own notifications.
 *
 * How a flush tells GTK depends on how much changed, because GtkColumnView's item
 * manager pays for each change differently (measured at 100,000 rows by
 * tests/bench/bench-sessions-ui.c): a small change costs it little, but every change
 * splits its tiles, so 2,000 scattered moves one by one cost it seconds; one range
 * costs it in proportion to the range, 30-90 ms for the whole list. So a few changes
 * (sessions opening and closing, a handful of moves) go at once, a change per run of
 * rows; many (the order of 100,000 busy sessions) go as one range over the part that
 * differs, at most once a second, while the cells keep following their sessions.
 * GtkFilterListModel + GtkSortListModel, which re-filter and re-sort everything, are
 * the baseline the benchmark compares with.
 *
 * The source's own items-changed gives positions, not the objects that left, so the
 * view keeps a mirror of the source's order to know them.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#define G_LOG_DOMAIN "gh-session-view"

#include "config.h"

#include <string.h>

#include "gh-session-view.h"

/* Up to this many rows leaving or arriving, a flush sends a change per run of rows;
 * beyond, one range, at most once per interval (µs). */
#define GH_SESSION_VIEW_SMALL_CHANGE   64
#define GH_SESSION_VIEW_MERGE_INTERVAL (G_USEC_PER_SEC)

G_DEFINE_ENUM_TYPE (GhSessionSortKey, gh_session_sort_key,
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_STARTED, "started"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_SERVICE, "service"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_CLIENT, "client"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_STATE, "state"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_SERVER_NAME, "server-name"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_CLIENT_SUBJECT, "client-subject"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_BACKEND, "backend"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_BYTES_IN, "bytes-in"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_BYTES_OUT, "bytes-out"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_MESSAGES_IN, "messages-in"),
                    G_DEFINE_ENUM_VALUE (GH_SESSION_SORT_MESSAGES_OUT, "messages-out"))

typedef struct {
  GhApiSession *session;       /* owned */
  gulong        changed_id;
  gboolean      visible;
  gint64        started;       /* the tie-breakers, fixed for a session */
  const char   *id;            /* the session's */
  /* The sort value the entry was placed by: a number, or a string (owned). */
  gint64        number;
  char         *text;
  /* The filter's haystack, folded, made when a search first needs it. */
  char         *folded;
  gboolean      pending;       /* to be placed again at the next flush */
  gboolean      gone;          /* left the source: freed at the next flush */
} Entry;

struct _GhSessionView
{
  GObject           parent_instance;

  GListModel       *sessions;
  gulong            items_changed_id;
  GPtrArray        *mirror;     /* of GhApiSession (borrowed from entries): the source's order */
  GHashTable       *entries;    /* GhApiSession → Entry (owned) */
  GPtrArray        *visible;    /* of Entry (borrowed), in the view's order */
  GPtrArray        *pending;    /* of Entry (borrowed; owned when gone) */
  guint             flush_id;
  gint64            last_merge; /* monotonic µs of the last flush as one range */

  char             *service;
  char             *state;
  char             *search;     /* folded, or NULL */
  GhSessionSortKey  sort_key;
  gboolean          descending;
};

enum {
  PROP_0,
  PROP_SESSIONS,
  PROP_SERVICE,
  PROP_STATE,
  PROP_SEARCH,
  PROP_SORT_KEY,
  PROP_DESCENDING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void gh_session_view_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (GhSessionView, gh_session_view, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL, gh_session_view_model_init))

/* Sort values and order */

static gboolean
key_is_text (GhSessionSortKey key)
{
  switch (key)
    {
    case GH_SESSION_SORT_SERVICE:
    case GH_SESSION_SORT_CLIENT:
    case GH_SESSION_SORT_STATE:
    case GH_SESSION_SORT_SERVER_NAME:
    case GH_SESSION_SORT_CLIENT_SUBJECT:
    case GH_SESSION_SORT_BACKEND:
      return TRUE;
    case GH_SESSION_SORT_STARTED:
    case GH_SESSION_SORT_BYTES_IN:
    case GH_SESSION_SORT_BYTES_OUT:
    case GH_SESSION_SORT_MESSAGES_IN:
    case GH_SESSION_SORT_MESSAGES_OUT:
    default:
      return FALSE;
    }
}

static const char *
text_value (GhApiSession     *session,
            GhSessionSortKey  key)
{
  switch (key)
    {
    case GH_SESSION_SORT_SERVICE:        return gh_api_session_get_service (session);
    case GH_SESSION_SORT_CLIENT:         return gh_api_session_get_client (session);
    case GH_SESSION_SORT_STATE:          return gh_api_session_get_state (session);
    case GH_SESSION_SORT_SERVER_NAME:    return gh_api_session_get_tls_server_name (session);
    case GH_SESSION_SORT_CLIENT_SUBJECT: return gh_api_session_get_tls_client_subject (session);
    case GH_SESSION_SORT_BACKEND:        return gh_api_session_get_backend (session);
    case GH_SESSION_SORT_STARTED:
    case GH_SESSION_SORT_BYTES_IN:
    case GH_SESSION_SORT_BYTES_OUT:
    case GH_SESSION_SORT_MESSAGES_IN:
    case GH_SESSION_SORT_MESSAGES_OUT:
    default:
      return NULL;
    }
}

static gint64
number_value (Entry            *entry,
              GhSessionSortKey  key)
{
  switch (key)
    {
    case GH_SESSION_SORT_BYTES_IN:     return gh_api_session_get_bytes_in (entry->session);
    case GH_SESSION_SORT_BYTES_OUT:    return gh_api_session_get_bytes_out (entry->session);
    case GH_SESSION_SORT_MESSAGES_IN:  return gh_api_session_get_messages_in (entry->session);
    case GH_SESSION_SORT_MESSAGES_OUT: return gh_api_session_get_messages_out (entry->session);
    case GH_SESSION_SORT_STARTED:
    case GH_SESSION_SORT_SERVICE:
    case GH_SESSION_SORT_CLIENT:
    case GH_SESSION_SORT_STATE:
    case GH_SESSION_SORT_SERVER_NAME:
    case GH_SESSION_SORT_CLIENT_SUBJECT:
    case GH_SESSION_SORT_BACKEND:
    default:
      return entry->started;
    }
}

/* Whether the entry's placed value is still its value. */
static gboolean
entry_value_is_current (GhSessionView *self,
                        Entry         *entry)
{
  if (key_is_text (self->sort_key))
    return g_strcmp0 (entry->text, text_value (entry->session, self->sort_key)) == 0;
  return entry->number == number_value (entry, self->sort_key);
}

static void
entry_take_value (GhSessionView *self,
                  Entry         *entry)
{
  g_clear_pointer (&entry->text, g_free);
  entry->number = 0;
  if (key_is_text (self->sort_key))
    entry->text = g_strdup (text_value (entry->session, self->sort_key));
  else
    entry->number = number_value (entry, self->sort_key);
}

/* The view's order on placed values: the column (absent text first), then start time
 * and id, so that no two entries are equal. */
static int
entry_compare (const Entry   *a,
               const Entry   *b,
               GhSessionView *self)
{
  int result = 0;

  if (key_is_text (self->sort_key))
    {
      if (a->text == NULL || b->text == NULL)
        result = (a->text != NULL) - (b->text != NULL);
      else
        result = g_utf8_collate (a->text, b->text);
    }
  else if (a->number != b->number)
    {
      result = a->number < b->number ? -1 : 1;
    }

  if (result == 0 && a->started != b->started)
    result = a->started < b->started ? -1 : 1;
  if (result == 0)
    result = strcmp (a->id, b->id);

  return self->descending ? -result : result;
}

static int
entry_compare_indirect (gconstpointer a,
                        gconstpointer b,
                        gpointer      user_data)
{
  return entry_compare (*(Entry * const *) a, *(Entry * const *) b, user_data);
}

/* Filters */

static const char *
entry_haystack (Entry *entry)
{
  if (entry->folded == NULL)
    {
      g_autofree char *joined = g_strjoin ("\n",
                                           gh_api_session_get_client (entry->session) ?: "",
                                           gh_api_session_get_tls_server_name (entry->session) ?: "",
                                           gh_api_session_get_tls_client_subject (entry->session) ?: "",
                                           NULL);

      entry->folded = g_utf8_casefold (joined, -1);
    }
  return entry->folded;
}

static gboolean
entry_matches (GhSessionView *self,
               Entry         *entry)
{
  GhApiSession *session = entry->session;

  if (self->service != NULL && g_strcmp0 (gh_api_session_get_service (session), self->service) != 0)
    return FALSE;
  if (self->state != NULL && g_strcmp0 (gh_api_session_get_state (session), self->state) != 0)
    return FALSE;
  if (self->search != NULL && strstr (entry_haystack (entry), self->search) == NULL)
    return FALSE;
  return TRUE;
}

/* Entries */

static void on_session_changed (GhApiSession *session,
                                gpointer      user_data);

static void
entry_free (gpointer data)
{
  Entry *entry = data;

  g_clear_signal_handler (&entry->changed_id, entry->session);
  g_clear_object (&entry->session);
  g_free (entry->text);
  g_free (entry->folded);
  g_free (entry);
}

static Entry *
entry_new (GhSessionView *self,
           GhApiSession  *session)
{
  Entry *entry = g_new0 (Entry, 1);
  GDateTime *started = gh_api_session_get_started (session);

  entry->session = g_object_ref (session);
  entry->id = gh_api_session_get_id (session) ?: "";
  entry->started = started != NULL ? g_date_time_to_unix_usec (started) : 0;
  entry->changed_id = g_signal_connect (session, "changed", G_CALLBACK (on_session_changed), self);
  /* Not shown, nor placed, until a rebuild or a flush places it. */
  return entry;
}

static void flush (GhSessionView *self);

static gboolean
on_flush (gpointer data)
{
  GhSessionView *self = data;

  self->flush_id = 0;
  flush (self);
  return G_SOURCE_REMOVE;
}

static void
entry_set_pending (GhSessionView *self,
                   Entry         *entry)
{
  if (entry->pending)
    return;
  entry->pending = TRUE;
  g_ptr_array_add (self->pending, entry);
  /* Before GTK's layout and drawing (G_PRIORITY_HIGH_IDLE + 10 and + 20). */
  if (self->flush_id == 0)
    self->flush_id = g_idle_add_full (G_PRIORITY_HIGH_IDLE, on_flush, self, NULL);
}

/* Forgets what is pending: a rebuild looks at everything anyway. */
static void
drop_pending (GhSessionView *self)
{
  for (guint i = 0; i < self->pending->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->pending, i);

      entry->pending = FALSE;
      if (entry->gone)
        entry_free (entry);
    }
  g_ptr_array_set_size (self->pending, 0);
  g_clear_handle_id (&self->flush_id, g_source_remove);
}

/* Everything again, in one change: a new filter, order or source. */
static void
rebuild (GhSessionView *self)
{
  guint removed = self->visible->len;
  GHashTableIter iter;
  gpointer value;

  drop_pending (self);
  g_ptr_array_set_size (self->visible, 0);
  g_hash_table_iter_init (&iter, self->entries);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      Entry *entry = value;

      entry_take_value (self, entry);
      entry->visible = entry_matches (self, entry);
      if (entry->visible)
        g_ptr_array_add (self->visible, entry);
    }
  g_ptr_array_sort_with_data (self->visible, entry_compare_indirect, self);

  if (removed != 0 || self->visible->len != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, removed, self->visible->len);
  if (removed != self->visible->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

/* Where @entry goes in the visible array, by its placed value. */
static guint
insert_position (GhSessionView *self,
                 Entry         *entry)
{
  guint low = 0;
  guint high = self->visible->len;

  while (low < high)
    {
      guint middle = low + (high - low) / 2;

      if (entry_compare (g_ptr_array_index (self->visible, middle), entry, self) < 0)
        low = middle + 1;
      else
        high = middle;
    }
  return low;
}

/* A few changes: each run of rows that leaves, then each run that arrives, as its own
 * items-changed, the array always as the signal says. */
static void
apply_in_place (GhSessionView *self,
                GPtrArray     *entering)
{
  guint i = self->visible->len;

  while (i > 0)
    {
      guint end = i;

      while (i > 0 && ((Entry *) g_ptr_array_index (self->visible, i - 1))->pending)
        i--;
      if (i < end)
        {
          g_ptr_array_remove_range (self->visible, i, end - i);
          g_list_model_items_changed (G_LIST_MODEL (self), i, end - i, 0);
        }
      else
        i--;
    }

  for (i = 0; i < entering->len;)
    {
      guint position = insert_position (self, g_ptr_array_index (entering, i));
      guint run = 1;

      /* The next ones that land right after it go in the same change. */
      while (i + run < entering->len &&
             (position == self->visible->len ||
              entry_compare (g_ptr_array_index (entering, i + run), g_ptr_array_index (self->visible, position), self) < 0))
        run++;
      for (guint k = 0; k < run; k++)
        {
          Entry *entry = g_ptr_array_index (entering, i + k);

          /* Placed before the signal: whoever looks for it then finds it. */
          entry->pending = FALSE;
          entry->visible = TRUE;
          g_ptr_array_insert (self->visible, position + k, entry);
        }
      g_list_model_items_changed (G_LIST_MODEL (self), position, 0, run);
      i += run;
    }
}

/* Many changes: one pass that merges, and one items-changed over the range between
 * the first and the last position where the list differs. */
static void
apply_merged (GhSessionView *self,
              GPtrArray     *entering)
{
  GPtrArray *previous = self->visible;
  GPtrArray *next = g_ptr_array_sized_new (previous->len + entering->len);
  guint prefix = 0;
  guint suffix = 0;
  guint i, j;

  for (i = 0, j = 0; i < previous->len || j < entering->len;)
    {
      Entry *stay = NULL;

      while (i < previous->len && ((Entry *) g_ptr_array_index (previous, i))->pending)
        i++;
      if (i < previous->len)
        stay = g_ptr_array_index (previous, i);
      if (stay != NULL && (j == entering->len || entry_compare (stay, g_ptr_array_index (entering, j), self) < 0))
        {
          g_ptr_array_add (next, stay);
          i++;
        }
      else if (j < entering->len)
        {
          g_ptr_array_add (next, g_ptr_array_index (entering, j));
          j++;
        }
    }

  while (prefix < previous->len && prefix < next->len &&
         g_ptr_array_index (previous, prefix) == g_ptr_array_index (next, prefix))
    prefix++;
  while (suffix < previous->len - prefix && suffix < next->len - prefix &&
         g_ptr_array_index (previous, previous->len - 1 - suffix) == g_ptr_array_index (next, next->len - 1 - suffix))
    suffix++;

  self->visible = next;
  if (previous->len - prefix - suffix != 0 || next->len - prefix - suffix != 0)
    g_list_model_items_changed (G_LIST_MODEL (self), prefix, previous->len - prefix - suffix,
                                next->len - prefix - suffix);
  g_ptr_array_unref (previous);
}

/* Applies every pending change. A few (opening, closing, a handful of moves) go at
 * once, each as a small change. Many (the order of 100,000 busy sessions) go as one
 * range, whose cost to GTK is the range: at most once a second, unless @now, so
 * that the table keeps drawing while counters pour in (the rows' cells follow their
 * sessions meanwhile). */
static void
flush_full (GhSessionView *self,
            gboolean       now)
{
  g_autoptr(GPtrArray) entering = NULL;
  guint before = self->visible->len;
  guint changes = 0;
  guint i;

  g_clear_handle_id (&self->flush_id, g_source_remove);
  if (self->pending->len == 0)
    return;

  for (i = 0; i < self->pending->len; i++)
    changes += ((Entry *) g_ptr_array_index (self->pending, i))->visible;
  /* Those that (still) pass the filters, in order, placed by their new values. */
  entering = g_ptr_array_sized_new (self->pending->len);
  for (i = 0; i < self->pending->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->pending, i);

      if (!entry->gone && entry_matches (self, entry))
        changes++;
    }

  if (changes > GH_SESSION_VIEW_SMALL_CHANGE && !now)
    {
      gint64 wait = self->last_merge + GH_SESSION_VIEW_MERGE_INTERVAL - g_get_monotonic_time ();

      if (wait > 0)
        {
          self->flush_id = g_timeout_add_full (G_PRIORITY_HIGH_IDLE, (guint) (wait / 1000) + 1, on_flush, self, NULL);
          return;
        }
    }

  for (i = 0; i < self->pending->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->pending, i);

      if (entry->gone)
        continue;
      entry_take_value (self, entry);
      if (entry_matches (self, entry))
        g_ptr_array_add (entering, entry);
    }
  g_ptr_array_sort_with_data (entering, entry_compare_indirect, self);

  if (changes > GH_SESSION_VIEW_SMALL_CHANGE)
    {
      apply_merged (self, entering);
      self->last_merge = g_get_monotonic_time ();
    }
  else
    {
      apply_in_place (self, entering);
    }

  for (i = 0; i < self->pending->len; i++)
    {
      Entry *entry = g_ptr_array_index (self->pending, i);

      entry->pending = FALSE;
      entry->visible = FALSE;
      if (entry->gone)
        entry_free (entry);
    }
  for (i = 0; i < entering->len; i++)
    ((Entry *) g_ptr_array_index (entering, i))->visible = TRUE;
  g_ptr_array_set_size (self->pending, 0);

  if (before != self->visible->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static void
flush (GhSessionView *self)
{
  flush_full (self, FALSE);
}

static void
on_session_changed (GhApiSession *session,
                    gpointer      user_data)
{
  GhSessionView *self = user_data;
  Entry *entry = g_hash_table_lookup (self->entries, session);

  if (entry == NULL || entry->pending)
    return;

  /* Nothing the view shows moved: the row follows the session's notifications. */
  if (entry_matches (self, entry) == entry->visible && (!entry->visible || entry_value_is_current (self, entry)))
    return;

  entry_set_pending (self, entry);
}

static void
on_items_changed (GListModel *sessions,
                  guint       position,
                  guint       removed,
                  guint       added,
                  gpointer    user_data)
{
  GhSessionView *self = user_data;

  /* A whole new list (a snapshot after a reconnection): rebuilt at once. */
  if (removed + added > 1024 && removed + added > self->mirror->len / 4)
    {
      drop_pending (self);
      g_ptr_array_set_size (self->mirror, 0);
      g_hash_table_remove_all (self->entries);
      for (guint i = 0; i < g_list_model_get_n_items (sessions); i++)
        {
          g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, i);

          g_ptr_array_add (self->mirror, session);
          g_hash_table_insert (self->entries, session, entry_new (self, session));
        }
      rebuild (self);
      return;
    }

  /* Those that leave stay in the visible array, marked, until the flush. */
  for (guint i = 0; i < removed; i++)
    {
      GhApiSession *session = g_ptr_array_index (self->mirror, position + i);
      Entry *entry = g_hash_table_lookup (self->entries, session);

      if (entry == NULL)
        continue;
      g_hash_table_steal (self->entries, session);
      g_clear_signal_handler (&entry->changed_id, entry->session);
      entry->gone = TRUE;
      if (entry->visible || entry->pending)
        entry_set_pending (self, entry);
      else
        entry_free (entry);
    }
  g_ptr_array_remove_range (self->mirror, position, removed);

  for (guint i = 0; i < added; i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, position + i);
      Entry *entry = entry_new (self, session);

      g_ptr_array_insert (self->mirror, position + i, session);
      g_hash_table_insert (self->entries, session, entry);
      entry_set_pending (self, entry);
    }
}

/* GListModel */

static GType
gh_session_view_get_item_type (GListModel *model)
{
  return GH_TYPE_API_SESSION;
}

static guint
gh_session_view_get_n_items (GListModel *model)
{
  return GH_SESSION_VIEW (model)->visible->len;
}

static gpointer
gh_session_view_get_item (GListModel *model,
                          guint       position)
{
  GhSessionView *self = GH_SESSION_VIEW (model);

  if (position >= self->visible->len)
    return NULL;
  return g_object_ref (((Entry *) g_ptr_array_index (self->visible, position))->session);
}

static void
gh_session_view_model_init (GListModelInterface *iface)
{
  iface->get_item_type = gh_session_view_get_item_type;
  iface->get_n_items = gh_session_view_get_n_items;
  iface->get_item = gh_session_view_get_item;
}

/* GObject */

static void
gh_session_view_dispose (GObject *object)
{
  GhSessionView *self = GH_SESSION_VIEW (object);

  g_clear_signal_handler (&self->items_changed_id, self->sessions);
  g_clear_object (&self->sessions);
  if (self->pending != NULL)
    drop_pending (self);
  if (self->entries != NULL)
    g_hash_table_remove_all (self->entries);

  G_OBJECT_CLASS (gh_session_view_parent_class)->dispose (object);
}

static void
gh_session_view_finalize (GObject *object)
{
  GhSessionView *self = GH_SESSION_VIEW (object);

  g_clear_pointer (&self->visible, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->mirror, g_ptr_array_unref);
  g_clear_pointer (&self->entries, g_hash_table_unref);
  g_free (self->service);
  g_free (self->state);
  g_free (self->search);

  G_OBJECT_CLASS (gh_session_view_parent_class)->finalize (object);
}

static void
gh_session_view_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  GhSessionView *self = GH_SESSION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSIONS:
      g_value_set_object (value, self->sessions);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->service);
      break;
    case PROP_STATE:
      g_value_set_string (value, self->state);
      break;
    case PROP_SEARCH:
      g_value_set_string (value, self->search);
      break;
    case PROP_SORT_KEY:
      g_value_set_enum (value, self->sort_key);
      break;
    case PROP_DESCENDING:
      g_value_set_boolean (value, self->descending);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->visible->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_session_view_set_property (GObject      *object,
                              guint         prop_id,
                              const GValue *value,
                              GParamSpec   *pspec)
{
  GhSessionView *self = GH_SESSION_VIEW (object);

  switch (prop_id)
    {
    case PROP_SESSIONS:
      gh_session_view_set_sessions (self, g_value_get_object (value));
      break;
    case PROP_SERVICE:
      gh_session_view_set_service (self, g_value_get_string (value));
      break;
    case PROP_STATE:
      gh_session_view_set_state (self, g_value_get_string (value));
      break;
    case PROP_SEARCH:
      gh_session_view_set_search (self, g_value_get_string (value));
      break;
    case PROP_SORT_KEY:
      gh_session_view_set_sort (self, g_value_get_enum (value), self->descending);
      break;
    case PROP_DESCENDING:
      gh_session_view_set_sort (self, self->sort_key, g_value_get_boolean (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
gh_session_view_class_init (GhSessionViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gh_session_view_dispose;
  object_class->finalize = gh_session_view_finalize;
  object_class->get_property = gh_session_view_get_property;
  object_class->set_property = gh_session_view_set_property;

  properties[PROP_SESSIONS] =
    g_param_spec_object ("sessions", NULL, NULL, G_TYPE_LIST_MODEL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SERVICE] =
    g_param_spec_string ("service", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_STATE] =
    g_param_spec_string ("state", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SEARCH] =
    g_param_spec_string ("search", NULL, NULL, NULL,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SORT_KEY] =
    g_param_spec_enum ("sort-key", NULL, NULL, GH_TYPE_SESSION_SORT_KEY, GH_SESSION_SORT_STARTED,
                       G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_DESCENDING] =
    g_param_spec_boolean ("descending", NULL, NULL, FALSE,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] =
    g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                       G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
gh_session_view_init (GhSessionView *self)
{
  self->mirror = g_ptr_array_new ();
  self->entries = g_hash_table_new_full (g_direct_hash, g_direct_equal, NULL, entry_free);
  self->visible = g_ptr_array_new ();
  self->pending = g_ptr_array_new ();
}

/**
 * gh_session_view_new:
 * @sessions: (nullable): a #GListModel of #GhApiSession
 *
 * Returns: (transfer full): a view of @sessions, unfiltered, in the order they started
 */
GhSessionView *
gh_session_view_new (GListModel *sessions)
{
  g_return_val_if_fail (sessions == NULL || G_IS_LIST_MODEL (sessions), NULL);

  return g_object_new (GH_TYPE_SESSION_VIEW, "sessions", sessions, NULL);
}

GListModel *
gh_session_view_get_sessions (GhSessionView *self)
{
  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), NULL);

  return self->sessions;
}

/**
 * gh_session_view_set_sessions:
 * @self: a #GhSessionView
 * @sessions: (nullable): a #GListModel of #GhApiSession
 *
 * Shows @sessions (another gateway's, say) with the same filters and order.
 */
void
gh_session_view_set_sessions (GhSessionView *self,
                              GListModel    *sessions)
{
  guint n;

  g_return_if_fail (GH_IS_SESSION_VIEW (self));
  g_return_if_fail (sessions == NULL || G_IS_LIST_MODEL (sessions));

  if (self->sessions == sessions)
    return;

  g_clear_signal_handler (&self->items_changed_id, self->sessions);
  g_set_object (&self->sessions, sessions);
  drop_pending (self);
  g_ptr_array_set_size (self->mirror, 0);
  g_hash_table_remove_all (self->entries);

  n = sessions != NULL ? g_list_model_get_n_items (sessions) : 0;
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(GhApiSession) session = g_list_model_get_item (sessions, i);

      g_ptr_array_add (self->mirror, session);
      g_hash_table_insert (self->entries, session, entry_new (self, session));
    }
  if (sessions != NULL)
    self->items_changed_id = g_signal_connect (sessions, "items-changed", G_CALLBACK (on_items_changed), self);

  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SESSIONS]);
}

const char *
gh_session_view_get_service (GhSessionView *self)
{
  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), NULL);

  return self->service;
}

const char *
gh_session_view_get_state (GhSessionView *self)
{
  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), NULL);

  return self->state;
}

const char *
gh_session_view_get_search (GhSessionView *self)
{
  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), NULL);

  return self->search;
}

/* Sets *@field to @value ("" is NULL); FALSE when nothing changed. */
static gboolean
set_filter (char       **field,
            const char  *value)
{
  if (value != NULL && *value == '\0')
    value = NULL;
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  return TRUE;
}

void
gh_session_view_set_service (GhSessionView *self,
                             const char    *service)
{
  g_return_if_fail (GH_IS_SESSION_VIEW (self));

  if (!set_filter (&self->service, service))
    return;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SERVICE]);
}

void
gh_session_view_set_state (GhSessionView *self,
                           const char    *state)
{
  g_return_if_fail (GH_IS_SESSION_VIEW (self));

  if (!set_filter (&self->state, state))
    return;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_STATE]);
}

void
gh_session_view_set_search (GhSessionView *self,
                            const char    *search)
{
  g_autofree char *folded = NULL;

  g_return_if_fail (GH_IS_SESSION_VIEW (self));

  if (search != NULL)
    {
      g_autofree char *stripped = g_strstrip (g_strdup (search));

      folded = g_utf8_casefold (stripped, -1);
    }
  if (!set_filter (&self->search, folded))
    return;
  rebuild (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SEARCH]);
}

GhSessionSortKey
gh_session_view_get_sort_key (GhSessionView *self)
{
  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), GH_SESSION_SORT_STARTED);

  return self->sort_key;
}

gboolean
gh_session_view_get_descending (GhSessionView *self)
{
  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), FALSE);

  return self->descending;
}

void
gh_session_view_set_sort (GhSessionView    *self,
                          GhSessionSortKey  key,
                          gboolean          descending)
{
  gboolean key_changed;
  gboolean descending_changed;

  g_return_if_fail (GH_IS_SESSION_VIEW (self));

  descending = !!descending;
  key_changed = self->sort_key != key;
  descending_changed = self->descending != descending;
  if (!key_changed && !descending_changed)
    return;

  self->sort_key = key;
  self->descending = descending;
  rebuild (self);
  if (key_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SORT_KEY]);
  if (descending_changed)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DESCENDING]);
}

gboolean
gh_session_view_matches (GhSessionView *self,
                         GhApiSession  *session)
{
  Entry *entry;

  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), FALSE);
  g_return_val_if_fail (GH_IS_API_SESSION (session), FALSE);

  entry = g_hash_table_lookup (self->entries, session);
  if (entry != NULL)
    return entry_matches (self, entry);

  {
    Entry probe = { .session = session };
    gboolean matches = entry_matches (self, &probe);

    g_free (probe.folded);
    return matches;
  }
}

/**
 * gh_session_view_flush:
 * @self: a #GhSessionView
 *
 * Applies the changes gathered since the last flush now, rather than at the next
 * idle moment of the main context (before GTK draws). For callers that need the list
 * current at once, and for tests.
 */
void
gh_session_view_flush (GhSessionView *self)
{
  g_return_if_fail (GH_IS_SESSION_VIEW (self));

  flush_full (self, TRUE);
}

/**
 * gh_session_view_get_position:
 * @self: a #GhSessionView
 * @session: a session of the source
 *
 * Where @session is in the view now, for a selection that follows a session as it
 * moves. O(log n).
 *
 * Returns: its position, or %G_MAXUINT when the view does not show it
 */
guint
gh_session_view_get_position (GhSessionView *self,
                              GhApiSession  *session)
{
  Entry *entry;
  guint position;

  g_return_val_if_fail (GH_IS_SESSION_VIEW (self), G_MAXUINT);
  g_return_val_if_fail (GH_IS_API_SESSION (session), G_MAXUINT);

  entry = g_hash_table_lookup (self->entries, session);
  if (entry == NULL || !entry->visible)
    return G_MAXUINT;
  position = insert_position (self, entry);
  if (position < self->visible->len && g_ptr_array_index (self->visible, position) == entry)
    return position;
  return G_MAXUINT;
}

