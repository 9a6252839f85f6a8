/* test_clue_ledger.c: the ledger (台账) of clues (domain/clue_ledger.c):
** need-to-know, filters, paging, sort orders and each figure's
** click-through, on SQLite and PostgreSQL, in both page forms (from the
** grants and in index order). */
#include "clue_fixture.h"

/* ---- the ledger ---- */

/* A ledger of clues with known facts (set directly, as the flow would). */
typedef struct LedgerFx {
  int64_t a, b, c, d, e, s; /* clue ids */
} LedgerFx;

static void set_text(Fx *fx, int64_t id, const char *sql) {
  exec_id(fx, sql, id);
}

static LedgerFx ledger_setup(Fx *fx) {
  LedgerFx l;
  ClueIn in = valid_in();
  l.a = create_ok(fx, fx->member, &in); /* ML-2026-0001 */
  in.summary = "工程招投标围标串标";
  CluePersonIn one[] = {{0, "周某", "处长", 1, 1}};
  in.persons = one;
  in.n_persons = 1;
  l.b = create_ok(fx, fx->leader, &in); /* 0002 */
  in.summary = "违规发放津补贴";
  l.c = create_ok(fx, fx->member, &in); /* 0003 */
  in.summary = "公车私用";
  in.team_id = 2;
  in.unit_id = 2;
  l.d = create_ok(fx, fx->other, &in); /* 0004, team 2 */
  in.summary = "食堂管理混乱";
  l.e = create_ok(fx, fx->other, &in); /* 0005 */
  in.kind = "suggestion";
  in.summary = "制度不健全";
  l.s = create_ok(fx, fx->other, &in); /* 0006 */
  /* a: transferred to the commission, received, filed, sanctioned,
   *    concluded.  b: transferred to the commission, registered, one
   *    person detained, overdue deadline.  c: transferred to the
   *    organisation department, parked.  d: draft.  e: transferred,
   *    assigned to ML.JJ1, procuratorate.  s: a suggestion marked as
   *    transferred (it must not count in any figure). */
  set_text(fx, l.a,
           "UPDATE clue SET state = 'concluded', outcome = 'concluded', "
           "destination = 'commission', transferred_on = '2026-03-01', "
           "received_on = '2026-03-05', concluded_on = '2026-06-01', "
           "n_filed = 1, n_sanctioned = 1, updated_at = 10 WHERE id = ?");
  set_text(fx, l.b,
           "UPDATE clue SET state = 'registered', destination = "
           "'commission', transferred_on = '2026-04-01', received_on = "
           "'2026-04-03', n_detained = 1, next_due_on = '2026-06-01', "
           "next_due_kind = 'disposal', updated_at = 30 WHERE id = ?");
  set_text(fx, l.c,
           "UPDATE clue SET state = 'parked', destination = 'organisation', "
           "transferred_on = '2026-05-01', next_due_on = '2026-12-01', "
           "updated_at = 20 WHERE id = ?");
  set_text(fx, l.e,
           "UPDATE clue SET state = 'assigned', destination = 'commission', "
           "transferred_on = '2026-02-01', received_on = '2026-02-02', "
           "handling_office = 'ML.JJ1', n_procuratorate = 1, n_filed = 1, "
           "updated_at = 40 WHERE id = ?");
  set_text(fx, l.s,
           "UPDATE clue SET state = 'suggestion', transferred_on = "
           "'2026-01-01', received_on = '2026-01-02', n_filed = 1, "
           "updated_at = 50 WHERE id = ?");
  /* 案管室 sees a, b, e fully; 巡察办 has a status view of all six. */
  grant_office(fx, "clue", l.a, "ML.AGS");
  grant_office(fx, "clue", l.b, "ML.AGS");
  grant_office(fx, "clue", l.e, "ML.AGS");
  int64_t all[] = {l.a, l.b, l.c, l.d, l.e, l.s};
  for (size_t i = 0; i < JX_COUNT(all); i++)
    grant_office(fx, "clue_status", all[i], "ML.XCB");
  return l;
}

/* The ledger's ids for v and f (page limit/offset), as "id,id,…" mapped
** to letters through l, and *total. */
static void ledger_ids(Fx *fx, const ClueViewer *v, const ClueFilter *f,
                       const LedgerFx *l, int64_t limit, int64_t offset,
                       char *out, int64_t *total) {
  ClueRow *rows;
  size_t n;
  ClueResult r =
      clue_ledger(fx->db, v, f, limit, offset, &rows, &n, total);
  if (r != CLUE_OK) fail_msg("clue_ledger: %d", r);
  out[0] = 0;
  for (size_t i = 0; i < n; i++) {
    int64_t id = rows[i].id;
    char ch = id == l->a ? 'a' : id == l->b ? 'b' : id == l->c ? 'c'
            : id == l->d ? 'd' : id == l->e ? 'e' : id == l->s ? 's' : '?';
    size_t k = strlen(out);
    out[k] = ch;
    out[k + 1] = 0;
  }
  clue_rows_free(rows, n);
}

/* The letters of the ledger for v with f (all on one page). */
#define EXPECT(v, f, want, want_total)                                     \
  do {                                                                     \
    char got[16];                                                          \
    int64_t tot;                                                           \
    ledger_ids(fx, (v), (f), &l, 50, 0, got, &tot);                        \
    assert_string_equal(got, (want));                                      \
    assert_int_equal(tot, (want_total));                                   \
  } while (0)

static void test_db_ledger(void **state) {
  Fx *fx = fx_get(state);
  LedgerFx l = ledger_setup(fx);
  ClueViewer member = viewer(fx, fx->member, "xcz_member");
  ClueViewer other = viewer(fx, fx->other, "xcz_member");
  ClueViewer ags = viewer(fx, fx->ags, "ags");
  ClueViewer xcb = viewer(fx, fx->xcb, "xcb");
  ClueViewer county = viewer(fx, fx->county, "xcz_leader");
  ClueFilter f = {0};
  /* Need-to-know: each sees their own list, newest transfer first,
   * untransferred last. */
  EXPECT(&member, &f, "ca", 2); /* b is only the leader's */
  EXPECT(&ags, &f, "bae", 3);
  EXPECT(&xcb, &f, "cbaesd", 6);
  EXPECT(&other, &f, "esd", 3);
  EXPECT(&county, &f, "", 0);
  ClueViewer nobody;
  clue_viewer_load(fx->db, 0, NULL, &nobody);
  EXPECT(&nobody, &f, "", 0);
  /* Rows carry the full flag and blank content in status-only rows. */
  ClueRow *rows;
  size_t n;
  int64_t total;
  grant_office(fx, "clue", l.c, "ML.XCB"); /* full view of c only */
  assert_int_equal(clue_ledger(fx->db, &xcb, &f, 50, 0, &rows, &n, &total),
                   CLUE_OK);
  assert_int_equal(n, 6);
  assert_int_equal(rows[0].id, l.c);
  assert_int_equal(rows[0].full, 1);
  assert_string_equal(rows[0].summary, "违规发放津补贴");
  assert_string_equal(rows[0].persons_text, "周某");
  assert_string_equal(rows[0].round_title, "五届市委第二轮巡察");
  assert_string_equal(rows[0].unit_name, "明澜市住建局");
  assert_string_equal(rows[0].team_name, "第一巡察组");
  assert_int_equal(rows[1].id, l.b);
  assert_int_equal(rows[1].full, 0);
  assert_string_equal(rows[1].summary, "");
  assert_string_equal(rows[1].persons_text, "");
  assert_string_equal(rows[1].code, "ML-2026-0002");
  assert_string_equal(rows[1].state, "registered");
  assert_int_equal(rows[1].n_persons, 1);
  assert_int_equal(rows[3].id, l.e);
  assert_string_equal(rows[3].handling_office, "ML.JJ1");
  assert_string_equal(rows[3].handling_office_name, "市纪委监委第一监督检查室");
  clue_rows_free(rows, n);

  /* Paging: total counts all, the page is a slice in order. */
  char got[16];
  ledger_ids(fx, &xcb, &f, &l, 2, 0, got, &total);
  assert_string_equal(got, "cb");
  assert_int_equal(total, 6);
  ledger_ids(fx, &xcb, &f, &l, 2, 4, got, &total);
  assert_string_equal(got, "sd");
  ledger_ids(fx, &xcb, &f, &l, 2, 6, got, &total);
  assert_string_equal(got, "");
  assert_int_equal(total, 6);

  /* Filters. */
  f.team_id = 2;
  EXPECT(&xcb, &f, "esd", 3);
  f.team_id = 0;
  f.unit_id = 1;
  EXPECT(&xcb, &f, "cba", 3);
  f.unit_id = 0;
  f.round_id = 2;
  EXPECT(&xcb, &f, "", 0);
  f.round_id = 1;
  EXPECT(&xcb, &f, "cbaesd", 6);
  f.round_id = 0;
  f.jurisdiction = "ML.BL";
  EXPECT(&xcb, &f, "", 0);
  f.jurisdiction = "ML";
  EXPECT(&xcb, &f, "cbaesd", 6);
  f.jurisdiction = NULL;
  f.destination = "commission";
  EXPECT(&xcb, &f, "bae", 3);
  f.destination = NULL;
  f.handling_office = "ML.JJ1";
  EXPECT(&xcb, &f, "e", 1);
  f.handling_office = NULL;
  f.state = "parked";
  EXPECT(&xcb, &f, "c", 1);
  f.state = "terminal";
  EXPECT(&xcb, &f, "as", 2);
  f.state = "open";
  EXPECT(&xcb, &f, "cbed", 4);
  f.state = "bogus";
  assert_int_equal(clue_ledger(fx->db, &xcb, &f, 50, 0, &rows, &n, &total),
                   CLUE_EINVALID);
  f.state = NULL;
  f.overdue = 1; /* today is 2026-06-15 */
  EXPECT(&xcb, &f, "b", 1);
  f.overdue = 0;
  f.from = "2026-03-01";
  EXPECT(&xcb, &f, "cba", 3);
  f.to = "2026-04-30";
  EXPECT(&xcb, &f, "ba", 2);
  f.from = NULL;
  EXPECT(&xcb, &f, "baes", 4);
  f.to = NULL;

  /* q searches code, summary and persons, only where the content is
   * visible: b, c, d and e name 周某; xcb sees only c's content, ags b's
   * and e's. */
  f.q = "周某";
  EXPECT(&xcb, &f, "c", 1);
  EXPECT(&ags, &f, "be", 2);
  f.q = "ML-2026-0002";
  EXPECT(&xcb, &f, "", 0);
  EXPECT(&ags, &f, "b", 1);
  f.q = "ml-2026-0002"; /* case-insensitive on both backends */
  EXPECT(&ags, &f, "b", 1);
  f.q = "收受";
  EXPECT(&ags, &f, "a", 1);
  EXPECT(&xcb, &f, "", 0);
  f.q = "%";
  EXPECT(&ags, &f, "", 0); /* LIKE wildcards are literal */
  /* In every order (each has its own form for a text search). */
  f.q = "周某";
  f.sort = "code";
  EXPECT(&ags, &f, "be", 2);
  EXPECT(&xcb, &f, "c", 1);
  f.desc = 1;
  EXPECT(&ags, &f, "eb", 2);
  static const char *const sorts[] = {"transferred", "due", "updated"};
  for (size_t k = 0; k < JX_COUNT(sorts); k++)
    for (int d = 0; d < 2; d++) {
      char got[16];
      int64_t tot;
      f.sort = sorts[k];
      f.desc = d;
      ledger_ids(fx, &ags, &f, &l, 50, 0, got, &tot);
      assert_int_equal(tot, 2);
      assert_true(str_eq(got, "be") || str_eq(got, "eb"));
      EXPECT(&xcb, &f, "c", 1);
    }
  f.sort = NULL;
  f.desc = 0;
  f.q = NULL;

  /* Sort orders. */
  f.sort = "code";
  EXPECT(&xcb, &f, "abcdes", 6);
  f.desc = 1;
  EXPECT(&xcb, &f, "sedcba", 6);
  f.sort = "updated";
  EXPECT(&xcb, &f, "dsebca", 6); /* d's updated_at is the creation time */
  f.desc = 0;
  f.sort = "transferred";
  EXPECT(&xcb, &f, "dseabc", 6);
  f.sort = "due"; /* earliest first, none last */
  EXPECT(&xcb, &f, "bcades", 6);
  f.desc = 1;
  EXPECT(&xcb, &f, "cbseda", 6);
  f.sort = "size";
  assert_int_equal(clue_ledger(fx->db, &xcb, &f, 50, 0, &rows, &n, &total),
                   CLUE_EINVALID);
  f.sort = NULL;
  f.desc = 0;
  EXPECT(&xcb, &f, "cbaesd", 6); /* the default ignores desc */
}

static void test_db_ledger_figures(void **state) {
  Fx *fx = fx_get(state);
  LedgerFx l = ledger_setup(fx);
  ClueViewer xcb = viewer(fx, fx->xcb, "xcb");
  ClueViewer ags = viewer(fx, fx->ags, "ags");
  ClueFilter f = {0};
  /* Each figure's click-through: kind 'clue' only (s never counts). */
  static const struct {
    const char *fig, *want;
  } figs[] = {
      {"transferred", "cbae"},
      {"received", "bae"},
      {"concluded", "a"},
      {"concluded_rate", "a"},
      {"filed", "ae"},
      {"filing_rate", "ae"},
      {"persons_filed", "ae"},
      {"persons_sanctioned", "a"},
      {"persons_procuratorate", "e"},
      {"persons_detained", "b"},
      {"overdue", "b"},
  };
  for (size_t i = 0; i < JX_COUNT(figs); i++) {
    f.fig = figs[i].fig;
    char got[16];
    int64_t total;
    ledger_ids(fx, &xcb, &f, &l, 50, 0, got, &total);
    if (strcmp(got, figs[i].want) != 0)
      fail_msg("fig %s: got %s, want %s", figs[i].fig, got, figs[i].want);
    assert_int_equal(total, (int64_t)strlen(figs[i].want));
  }
  /* The settings change what two figures count. */
  Buf err = BUF_INIT;
  if (setting_put(fx->db, "clue.concluded_counts_parked", "1", &err) != 0)
    fail_msg("setting_put: %s", buf_str(&err));
  f.fig = "concluded";
  EXPECT(&xcb, &f, "ca", 2);
  /* 成案率 base 1: to the commission; e is filed and to the commission,
   * so moving e to the organisation department drops it from base 1. */
  set_text(fx, l.e, "UPDATE clue SET destination = 'organisation' "
                    "WHERE id = ?");
  f.fig = "filing_rate";
  EXPECT(&xcb, &f, "a", 1);
  if (setting_put(fx->db, "clue.filing_rate_base", "2", &err) != 0)
    fail_msg("setting_put: %s", buf_str(&err));
  EXPECT(&xcb, &f, "ae", 2);
  buf_release(&err);
  /* Figures combine with the other filters and with need-to-know. */
  f.fig = "transferred";
  f.destination = "commission";
  EXPECT(&xcb, &f, "ba", 2);
  EXPECT(&ags, &f, "ba", 2);
  f.destination = NULL;
  f.fig = "nope";
  ClueRow *rows;
  size_t n;
  int64_t total;
  assert_int_equal(clue_ledger(fx->db, &xcb, &f, 50, 0, &rows, &n, &total),
                   CLUE_EINVALID);
}

/* The ledger tests again with every page read in index order (the
** _SCAN statements; the default reads small results from the grants). */
static void test_db_ledger_scan(void **state) {
  clue_ledger_scan_min = 0;
  test_db_ledger(state);
  clue_ledger_scan_min = 3000;
}

static void test_db_ledger_figures_scan(void **state) {
  clue_ledger_scan_min = 0;
  test_db_ledger_figures(state);
  clue_ledger_scan_min = 3000;
}

/* The driven forms (CLUE_LEDGER_DRIVE in stmts.def: walk a filter's
** index, probe each clue's access list), forced on small data. */

/* Set record_access.expires_at or .revoked_at (col) to v on the live
** 'clue_status' grant of clue id to ML.XCB. */
static void xcb_grant_set(Fx *fx, const char *col, int64_t v, int64_t id) {
  const char *sql =
      str_eq(col, "expires_at")
          ? "UPDATE record_access SET expires_at = ? WHERE object_id = ? AND "
            "object_type = 'clue_status' AND office_code = 'ML.XCB'"
          : "UPDATE record_access SET revoked_at = ? WHERE object_id = ? AND "
            "object_type = 'clue_status' AND office_code = 'ML.XCB'";
  assert_true(str_eq(col, "expires_at") || str_eq(col, "revoked_at"));
  Stmt *st = db_prepare(fx->db, sql);
  if (!st) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  db_bind_int64(st, 1, v);
  db_bind_int64(st, 2, id);
  if (db_step(st) != DB_DONE) fail_msg("%s: %s", sql, db_errmsg(fx->db));
  db_finalize(st);
}

/* Set the expiry of user's grants on clue id. */
static void user_grant_expires(Fx *fx, int64_t user, int64_t id, int64_t at) {
  Stmt *st = db_prepare(fx->db, "UPDATE record_access SET expires_at = ? "
                                "WHERE object_id = ? AND user_id = ?");
  if (!st) fail_msg("%s", db_errmsg(fx->db));
  db_bind_int64(st, 1, at);
  db_bind_int64(st, 2, id);
  db_bind_int64(st, 3, user);
  if (db_step(st) != DB_DONE) fail_msg("%s", db_errmsg(fx->db));
  db_finalize(st);
}

static void test_db_ledger_driven(void **state) {
  Fx *fx = fx_get(state);
  LedgerFx l = ledger_setup(fx);
  ClueViewer member = viewer(fx, fx->member, "xcz_member");
  ClueViewer ags = viewer(fx, fx->ags, "ags");
  ClueViewer xcb = viewer(fx, fx->xcb, "xcb");
  ClueViewer county = viewer(fx, fx->county, "xcz_leader");
  ClueFilter f = {0};
  clue_ledger_drive = 1;
  /* Each driving filter, by user grants (member) and office grants. */
  f.state = "parked";
  EXPECT(&member, &f, "c", 1);
  EXPECT(&xcb, &f, "c", 1);
  EXPECT(&ags, &f, "", 0);
  f.state = "registered";
  EXPECT(&member, &f, "", 0); /* b is only the leader's */
  EXPECT(&ags, &f, "b", 1);
  f.state = NULL;
  f.overdue = 1; /* today is 2026-06-15 */
  EXPECT(&xcb, &f, "b", 1);
  EXPECT(&ags, &f, "b", 1);
  EXPECT(&member, &f, "", 0); /* b is only the leader's */
  f.overdue = 0;
  f.round_id = 1;
  EXPECT(&member, &f, "ca", 2);
  EXPECT(&xcb, &f, "cbaesd", 6);
  EXPECT(&county, &f, "", 0);
  f.sort = "transferred"; /* ascending: the driven index's other way */
  EXPECT(&xcb, &f, "dseabc", 6);
  f.sort = "code"; /* an order the driving index does not serve */
  EXPECT(&xcb, &f, "abcdes", 6);
  f.sort = NULL;
  /* Paging. */
  char got[16];
  int64_t total;
  ledger_ids(fx, &xcb, &f, &l, 2, 1, got, &total);
  assert_string_equal(got, "ba");
  assert_int_equal(total, 6);
  f.round_id = 0;
  f.unit_id = 1;
  EXPECT(&xcb, &f, "cba", 3);
  f.unit_id = 0;
  f.team_id = 2;
  EXPECT(&xcb, &f, "esd", 3);
  f.state = "assigned"; /* two drivers: the smaller one drives */
  EXPECT(&xcb, &f, "e", 1);
  f.state = NULL;
  f.team_id = 0;
  f.handling_office = "ML.JJ1";
  EXPECT(&xcb, &f, "e", 1);
  EXPECT(&member, &f, "", 0);
  f.handling_office = NULL;
  /* The other filters and figures still apply. */
  f.round_id = 1;
  f.destination = "commission";
  EXPECT(&xcb, &f, "bae", 3);
  f.destination = NULL;
  f.fig = "filed";
  EXPECT(&xcb, &f, "ae", 2);
  f.fig = NULL;
  /* q is never driven (it reads the rows); same answer. */
  f.q = "周某";
  EXPECT(&xcb, &f, "", 0);
  f.q = NULL;
  /* Grants that expire: live until then, gone after; revoked: gone. */
  xcb_grant_set(fx, "expires_at", xcb.who.now + 3600, l.c);
  EXPECT(&xcb, &f, "cbaesd", 6);
  xcb_grant_set(fx, "expires_at", xcb.who.now - 1, l.c);
  EXPECT(&xcb, &f, "baesd", 5);
  xcb_grant_set(fx, "revoked_at", xcb.who.now, l.b);
  EXPECT(&xcb, &f, "aesd", 4);
  f.state = "registered";
  EXPECT(&xcb, &f, "", 0);
  /* The same for a user's own grant. */
  f.state = NULL;
  user_grant_expires(fx, fx->member, l.c, member.who.now + 3600);
  EXPECT(&member, &f, "ca", 2);
  user_grant_expires(fx, fx->member, l.c, member.who.now - 1);
  EXPECT(&member, &f, "a", 1);
  f.state = "registered";
  /* Chosen by the counts (not forced): the same answers. */
  clue_ledger_drive = 0;
  EXPECT(&xcb, &f, "", 0);
  f.state = NULL;
  EXPECT(&xcb, &f, "aesd", 4);
}

/* The ledger tests again with every filter that can drive driving. */
static void test_db_ledger_drive(void **state) {
  clue_ledger_drive = 1;
  test_db_ledger(state);
  clue_ledger_drive = 0;
}

static void test_db_ledger_figures_drive(void **state) {
  clue_ledger_drive = 1;
  test_db_ledger_figures(state);
  clue_ledger_drive = 0;
}

/* The totals cache: a total is reused for the same viewer and filter
** until clue_data_changed() (the router's call after a web write); other
** viewers, filters and days have their own; the rows are always live. */
static void test_db_ledger_totals_cache(void **state) {
  Fx *fx = fx_get(state);
  LedgerFx l = ledger_setup(fx);
  ClueViewer ags = viewer(fx, fx->ags, "ags");
  ClueViewer xcb = viewer(fx, fx->xcb, "xcb");
  ClueFilter f = {0};
  clue_ledger_cache = 1;
  clue_data_changed();
  EXPECT(&ags, &f, "bae", 3);
  EXPECT(&xcb, &f, "cbaesd", 6); /* not ags's entry */
  /* A grant written behind the cache's back: the rows show it at once,
   * the total only after the change is announced. */
  grant_office(fx, "clue", l.d, "ML.AGS");
  char got[16];
  int64_t tot;
  ledger_ids(fx, &ags, &f, &l, 50, 0, got, &tot);
  assert_int_equal(tot, 3);
  assert_non_null(strchr(got, 'd'));
  clue_data_changed();
  EXPECT(&ags, &f, "baed", 4);
  /* Another filter is another entry. */
  f.state = "registered";
  EXPECT(&ags, &f, "b", 1);
  f.state = NULL;
  clue_ledger_cache = 0;
}

int main(void) {
  /* Every other test reads totals live: they write behind the cache. */
  clue_ledger_cache = 0;
  const struct CMUnitTest tests[] = {
      BOTH(test_db_ledger_totals_cache),
      BOTH(test_db_ledger),
      BOTH(test_db_ledger_figures),
      BOTH(test_db_ledger_scan),
      BOTH(test_db_ledger_figures_scan),
      BOTH(test_db_ledger_driven),
      BOTH(test_db_ledger_drive),
      BOTH(test_db_ledger_figures_drive),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
