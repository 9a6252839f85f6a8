/* test_clue.c: problem clue records (domain/clue.c) and the "clue"
** need-to-know hooks: the code tables and input checks first, then the
** database operations on SQLite and PostgreSQL (clue_fixture.h).  The
** ledger is test_clue_ledger.c's. */
#include "clue_fixture.h"

/* ---- code tables ---- */

/* The SQL list of terminal states (stmts.def) is written out for the
** planner; it must name exactly the states clue.c's table marks terminal. */
#define STMT(name, sql)
#include "store/stmts.def"
#undef STMT

static void test_terminal_list_matches_table(void **state) {
  (void)state;
  for (size_t i = 0; i < n_clue_states; i++) {
    char quoted[48];
    snprintf(quoted, sizeof quoted, "'%s'", clue_states[i].code);
    assert_int_equal(strstr(CLUE_TERMINAL_STATES, quoted) != NULL,
                     clue_states[i].terminal);
  }
}

static void test_tables(void **state) {
  (void)state;
  /* Codes are unique within each table. */
  for (size_t i = 0; i < n_clue_states; i++)
    for (size_t k = i + 1; k < n_clue_states; k++)
      assert_false(str_eq(clue_states[i].code, clue_states[k].code));
  for (size_t i = 0; i < n_clue_measures; i++) {
    for (size_t k = i + 1; k < n_clue_measures; k++)
      assert_false(str_eq(clue_measures[i].code, clue_measures[k].code));
    const ClueMeasure *m = &clue_measures[i];
    assert_true(m->form >= 1 && m->form <= 4);
    /* Every measure's kind is a sanction kind; only 党纪 and 政务
     * sanctions carry the announcement deadlines. */
    assert_string_not_equal(
        clue_code_label(clue_sanction_kinds, n_clue_sanction_kinds, m->kind),
        m->kind);
    assert_int_equal(m->announce,
                     str_eq(m->kind, "party") || str_eq(m->kind, "gov"));
  }
  assert_int_equal(n_clue_states, 21);
  assert_string_equal(clue_state("talk")->label, "谈话函询");
  assert_int_equal(clue_state("concluded")->terminal, 1);
  assert_int_equal(clue_state("parked")->terminal, 0);
  assert_string_equal(clue_state("external")->side, "external");
  assert_null(clue_state("nope"));
  assert_null(clue_state(NULL));
  assert_int_equal(clue_measure("party_expel")->form, 3);
  assert_int_equal(clue_measure("gov_demotion")->form, 2);
  assert_int_equal(clue_measure("gov_dismissal")->form, 3);
  assert_int_equal(clue_measure("ff_remind")->form, 1);
  assert_int_equal(clue_measure("procuratorate")->form, 4);
  assert_string_equal(clue_measure("org_demote")->label, "降职");
  assert_null(clue_measure("x"));
  assert_string_equal(
      clue_code_label(clue_sources, n_clue_sources, "interview"), "个别谈话");
  assert_string_equal(
      clue_code_label(clue_categories, n_clue_categories, "integrity"),
      "违反廉洁纪律");
  assert_string_equal(
      clue_code_label(clue_destinations, n_clue_destinations, "organisation"),
      "组织部");
  assert_string_equal(clue_code_label(clue_disposals, n_clue_disposals, "x"),
                      "x");
  assert_int_equal(clue_http_status(CLUE_ENOTFOUND), 404);
  assert_int_equal(clue_http_status(CLUE_EFORBIDDEN), 403);
  assert_int_equal(clue_http_status(CLUE_ECONFLICT), 409);
  assert_int_equal(clue_http_status(CLUE_EINVALID), 400);
  assert_true(clue_fig_known("persons_detained"));
  assert_true(clue_fig_known("filing_rate"));
  assert_false(clue_fig_known("everything"));
  assert_false(clue_fig_known(NULL));
  assert_string_equal(clue_err_notfound, "问题线索不存在或无权查看");
  assert_string_equal(ntk_type_label("clue"), "问题线索");
}

static void expect_invalid(const ClueIn *in, const char *field) {
  Buf err = BUF_INIT;
  const char *f = NULL;
  assert_int_equal(clue_check(in, &err, &f), -1);
  assert_non_null(f);
  assert_string_equal(f, field);
  assert_true(err.len > 0);
  buf_release(&err);
}

static void test_check(void **state) {
  (void)state;
  clock_set(T0);
  Buf err = BUF_INIT;
  const char *f = "x";
  ClueIn in = valid_in();
  assert_int_equal(clue_check(&in, &err, &f), 0);
  assert_null(f);
  in.kind = "other";
  expect_invalid(&in, "kind");
  in = valid_in();
  in.team_id = 0;
  expect_invalid(&in, "team_id");
  in = valid_in();
  in.category = "bad";
  expect_invalid(&in, "category");
  in = valid_in();
  in.source = NULL;
  expect_invalid(&in, "source");
  in = valid_in();
  in.summary = "";
  expect_invalid(&in, "summary");
  in.summary = "两行\n摘要";
  expect_invalid(&in, "summary");
  char long_summary[3 * (CLUE_SUMMARY_MAX + 1) + 1] = "";
  for (int i = 0; i <= CLUE_SUMMARY_MAX; i++)
    memcpy(long_summary + 3 * i, "字", 4);
  in.summary = long_summary;
  expect_invalid(&in, "summary");
  in = valid_in();
  in.facts = "bad\001";
  expect_invalid(&in, "facts");
  in = valid_in();
  in.found_on = "2026-02-30";
  expect_invalid(&in, "found_on");
  in.found_on = "2026-06-16"; /* tomorrow in 北京时间 */
  expect_invalid(&in, "found_on");
  in.found_on = "2026-06-15";
  assert_int_equal(clue_check(&in, &err, &f), 0);
  in.cond_evidence = 2;
  expect_invalid(&in, "cond_nature");
  in = valid_in();
  CluePersonIn bad[] = {{0, "", "", 0, 0}};
  in.persons = bad;
  in.n_persons = 1;
  expect_invalid(&in, "persons");
  CluePersonIn dup[] = {{7, NULL, NULL, 0, 0}, {7, NULL, NULL, 0, 0}};
  in.persons = dup;
  in.n_persons = 2;
  expect_invalid(&in, "persons");
  in.n_persons = CLUE_MAX_PERSONS + 1;
  expect_invalid(&in, "persons");
  in.n_persons = 0; /* a clue about an organisation names nobody */
  assert_int_equal(clue_check(&in, &err, &f), 0);
  clock_set(0);
  buf_release(&err);
}

static void test_db_create(void **state) {
  Fx *fx = fx_get(state);
  ClueIn in = valid_in();
  /* Refusals: not a member of the team; the team of another round; a unit
   * the team does not cover; a round outside the user's jurisdiction; a
   * registry person from another jurisdiction. */
  assert_int_equal(create_err(fx, fx->other, &in, NULL), CLUE_EFORBIDDEN);
  assert_int_equal(create_err(fx, fx->outsider, &in, NULL), CLUE_EFORBIDDEN);
  in.team_id = 3;
  assert_int_equal(create_err(fx, fx->member, &in, "team_id"), CLUE_EINVALID);
  in = valid_in();
  in.unit_id = 2;
  assert_int_equal(create_err(fx, fx->member, &in, "unit_id"), CLUE_EINVALID);
  in = valid_in();
  in.round_id = 99;
  assert_int_equal(create_err(fx, fx->member, &in, "round_id"),
                   CLUE_EINVALID);
  in = valid_in();
  in.summary = "";
  assert_int_equal(create_err(fx, fx->member, &in, "summary"), CLUE_EINVALID);
  in = valid_in();
  CluePersonIn nobody[] = {{999, NULL, NULL, 0, 0}};
  in.persons = nobody;
  in.n_persons = 1;
  assert_int_equal(create_err(fx, fx->member, &in, "persons"), CLUE_EINVALID);
  /* The county round is inside a city member's jurisdiction, but they
   * are not on its team; a city round is outside the county user's. */
  in = valid_in();
  in.round_id = 2;
  in.team_id = 3;
  in.unit_id = 3;
  in.n_persons = 0;
  assert_int_equal(create_err(fx, fx->member, &in, NULL), CLUE_EFORBIDDEN);
  /* A county clue may name registry persons of its own subtree only:
   * not 南山区's, nor the city's. */
  CluePersonIn far[] = {{3, NULL, NULL, 0, 0}};
  in.persons = far;
  in.n_persons = 1;
  assert_int_equal(create_err(fx, fx->county, &in, "persons"), CLUE_EINVALID);
  far[0].person_id = 1;
  assert_int_equal(create_err(fx, fx->county, &in, "persons"), CLUE_EINVALID);
  far[0].person_id = 2;
  int64_t bl = create_ok(fx, fx->county, &in);
  in = valid_in();
  assert_int_equal(create_err(fx, fx->county, &in, "round_id"),
                   CLUE_EINVALID);
  /* Nothing was left behind by the refusals: the county clue is the only
   * one, numbered in its own jurisdiction. */
  assert_int_equal(count_id(fx, "SELECT COUNT(*) FROM clue WHERE id > ?", 0),
                   1);

  /* A clue by a member with a registry person and a typed one. */
  CluePersonIn mixed[] = {{1, "ignored", "ignored", 0, 0},
                          {0, "孙某", "出纳", 0, 0}};
  in = valid_in();
  in.persons = mixed;
  in.n_persons = 2;
  int64_t id = create_ok(fx, fx->member, &in);
  ClueViewer v = viewer(fx, fx->member, "xcz_member");
  Clue c;
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  assert_string_equal(c.code, "ML-2026-0001");
  assert_string_equal(c.state, "draft");
  assert_string_equal(c.kind, "clue");
  assert_string_equal(c.jurisdiction_code, "ML");
  assert_string_equal(c.round_title, "五届市委第二轮巡察");
  assert_string_equal(c.team_name, "第一巡察组");
  assert_string_equal(c.unit_name, "明澜市住建局");
  assert_string_equal(c.summary, "违规收受礼金");
  assert_string_equal(c.facts, "第一行\n第二行");
  assert_string_equal(c.found_on, "2026-06-01");
  assert_string_equal(c.created_by_name, "member");
  assert_int_equal(c.full, 1);
  assert_int_equal(c.n_persons, 2);
  assert_int_equal(c.n_persons_loaded, 2);
  assert_string_equal(c.persons_text, "王某、孙某");
  /* The registry person's name, post and flags are copied. */
  assert_int_equal(c.persons[0].person_id, 1);
  assert_string_equal(c.persons[0].name, "王某");
  assert_string_equal(c.persons[0].post, "局长");
  assert_int_equal(c.persons[0].party_member, 1);
  assert_int_equal(c.persons[0].supervisory_object, 1);
  assert_int_equal(c.persons[1].person_id, 0);
  assert_string_equal(c.persons[1].post, "出纳");
  clue_clear(&c);
  /* The next is numbered on; the county's has its own counter. */
  int64_t id2 = create_ok(fx, fx->member, &in);
  assert_int_equal(clue_get(fx->db, &v, id2, &c), CLUE_OK);
  assert_string_equal(c.code, "ML-2026-0002");
  clue_clear(&c);
  ClueViewer vc = viewer(fx, fx->county, "xcz_leader");
  assert_int_equal(clue_get(fx->db, &vc, bl, &c), CLUE_OK);
  assert_string_equal(c.code, "ML.BL-2026-0001");
  clue_clear(&c);

  /* The access list: the creator and the team's leader. */
  NtkGrant *g;
  size_t n;
  assert_int_equal(ntk_list(fx->db, "clue", id, &g, &n), DB_OK);
  assert_int_equal(n, 2);
  assert_int_equal(g[0].user_id, fx->member);
  assert_string_equal(g[0].reason, "登记人");
  assert_int_equal(g[1].user_id, fx->leader);
  assert_string_equal(g[1].reason, "巡察组组长");
  ntk_grants_free(g, n);
  /* The leader recording lands once on the list. */
  int64_t id3 = create_ok(fx, fx->leader, &in);
  assert_int_equal(ntk_list(fx->db, "clue", id3, &g, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(g[0].user_id, fx->leader);
  ntk_grants_free(g, n);
  /* One event row: create, '' → draft, dated today (北京时间). */
  assert_int_equal(
      count_id(fx,
               "SELECT COUNT(*) FROM clue_event WHERE clue_id = ? AND "
               "action = 'create' AND from_state = '' AND to_state = 'draft' "
               "AND acted_on = '2026-06-15'",
               id),
      1);
  /* A suggestion is recorded the same way. */
  in.kind = "suggestion";
  int64_t sid = create_ok(fx, fx->member, &in);
  assert_int_equal(clue_get(fx->db, &v, sid, &c), CLUE_OK);
  assert_string_equal(c.kind, "suggestion");
  clue_clear(&c);
}

static void test_db_visibility(void **state) {
  Fx *fx = fx_get(state);
  ClueIn in = valid_in();
  int64_t id = create_ok(fx, fx->member, &in);
  Clue c;
  /* Not on the list: no such clue, whatever the role. */
  ClueViewer vo = viewer(fx, fx->other, "xcz_member");
  assert_int_equal(clue_get(fx->db, &vo, id, &c), CLUE_ENOTFOUND);
  ClueViewer va = viewer(fx, fx->ags, "ags");
  assert_int_equal(clue_get(fx->db, &va, id, &c), CLUE_ENOTFOUND);
  assert_int_equal(clue_get(fx->db, &va, id + 1000, &c), CLUE_ENOTFOUND);
  /* An office grant opens the content to the office's users. */
  grant_office(fx, "clue", id, "ML.AGS");
  assert_int_equal(clue_get(fx->db, &va, id, &c), CLUE_OK);
  assert_int_equal(c.full, 1);
  assert_int_equal(c.n_persons_loaded, 2);
  clue_clear(&c);
  /* A status grant shows state and outcome, not the content. */
  grant_office(fx, "clue_status", id, "ML.XCB");
  ClueViewer vx = viewer(fx, fx->xcb, "xcb");
  assert_int_equal(clue_get(fx->db, &vx, id, &c), CLUE_OK);
  assert_int_equal(c.full, 0);
  assert_string_equal(c.state, "draft");
  assert_string_equal(c.code, "ML-2026-0001");
  assert_string_equal(c.summary, "");
  assert_string_equal(c.facts, "");
  assert_string_equal(c.persons_text, "");
  assert_int_equal(c.n_persons_loaded, 0);
  assert_null(c.persons);
  clue_clear(&c);
  /* A grant outside the user's jurisdiction shows nothing; a revoked or
   * expired one neither. */
  grant_user(fx, "clue", id, fx->county);
  ClueViewer vc = viewer(fx, fx->county, "xcz_leader");
  assert_int_equal(clue_get(fx->db, &vc, id, &c), CLUE_ENOTFOUND);
  int64_t gid;
  assert_int_equal(ntk_grant_initial(fx->db, "clue", id, fx->outsider, NULL,
                                     "测试", fx->ags, &gid),
                   0);
  ClueViewer vs = viewer(fx, fx->outsider, "lxs");
  assert_int_equal(clue_get(fx->db, &vs, id, &c), CLUE_OK);
  clue_clear(&c);
  exec_id(fx, "UPDATE record_access SET revoked_at = 1 WHERE id = ?", gid);
  assert_int_equal(clue_get(fx->db, &vs, id, &c), CLUE_ENOTFOUND);
  /* Nobody logged in sees nothing. */
  ClueViewer none;
  assert_int_equal(clue_viewer_load(fx->db, 0, "ags", &none), -1);
  assert_int_equal(clue_get(fx->db, &none, id, &c), CLUE_ENOTFOUND);
}

static ClueResult update(Fx *fx, int64_t user, int64_t id, const ClueIn *in,
                         const char **field) {
  ClueViewer v = viewer(fx, user, "xcz_member");
  Buf err = BUF_INIT;
  *field = NULL;
  ClueResult r = clue_update(fx->db, &v, id, in, field, &err);
  assert_true(r == CLUE_OK || err.len > 0);
  buf_release(&err);
  return r;
}

static void test_db_update(void **state) {
  Fx *fx = fx_get(state);
  ClueIn in = valid_in();
  int64_t id = create_ok(fx, fx->member, &in);
  const char *field;
  /* Not visible: 404; visible but neither creator nor leader: 403. */
  assert_int_equal(update(fx, fx->other, id, &in, &field), CLUE_ENOTFOUND);
  grant_user(fx, "clue", id, fx->other);
  assert_int_equal(update(fx, fx->other, id, &in, &field), CLUE_EFORBIDDEN);
  grant_office(fx, "clue_status", id, "ML.XCB");
  assert_int_equal(update(fx, fx->xcb, id, &in, &field), CLUE_EFORBIDDEN);
  /* The creator edits: new summary, one person instead of two. */
  CluePersonIn one[] = {{1, NULL, NULL, 0, 0}};
  ClueIn e = valid_in();
  e.round_id = 0; /* 0: keep */
  e.team_id = 0;
  e.summary = "虚报冒领补贴";
  e.persons = one;
  e.n_persons = 1;
  e.cond_nature = 1;
  assert_int_equal(update(fx, fx->member, id, &e, &field), CLUE_OK);
  ClueViewer v = viewer(fx, fx->member, "xcz_member");
  Clue c;
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  assert_string_equal(c.summary, "虚报冒领补贴");
  assert_int_equal(c.cond_nature, 1);
  assert_int_equal(c.n_persons, 1);
  assert_int_equal(c.n_persons_loaded, 1);
  assert_string_equal(c.persons_text, "王某");
  assert_string_equal(c.code, "ML-2026-0001"); /* the number stays */
  clue_clear(&c);
  assert_int_equal(
      count_id(fx,
               "SELECT COUNT(*) FROM clue_event WHERE clue_id = ? AND "
               "action = 'edit' AND from_state = 'draft' AND "
               "to_state = 'draft'",
               id),
      1);
  /* The leader may too; bad input and a moved team are refused. */
  e.summary = "";
  assert_int_equal(update(fx, fx->leader, id, &e, &field), CLUE_EINVALID);
  assert_string_equal(field, "summary");
  e.summary = "组长修改";
  e.team_id = 2;
  assert_int_equal(update(fx, fx->leader, id, &e, &field), CLUE_EINVALID);
  assert_string_equal(field, "team_id");
  e.team_id = 1;
  e.unit_id = 2; /* not the team's unit */
  assert_int_equal(update(fx, fx->leader, id, &e, &field), CLUE_EINVALID);
  assert_string_equal(field, "unit_id");
  e.unit_id = 1;
  assert_int_equal(update(fx, fx->leader, id, &e, &field), CLUE_OK);
  /* Reviewed is still editable; after it leaves the team it is not. */
  exec_id(fx, "UPDATE clue SET state = 'reviewed' WHERE id = ?", id);
  assert_int_equal(update(fx, fx->member, id, &e, &field), CLUE_OK);
  exec_id(fx, "UPDATE clue SET state = 'pending' WHERE id = ?", id);
  assert_int_equal(update(fx, fx->member, id, &e, &field), CLUE_ECONFLICT);
  exec_id(fx, "UPDATE clue SET state = 'transferred' WHERE id = ?", id);
  assert_int_equal(update(fx, fx->leader, id, &e, &field), CLUE_ECONFLICT);
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  assert_string_equal(c.summary, "组长修改");
  clue_clear(&c);
}

static void test_db_refresh(void **state) {
  Fx *fx = fx_get(state);
  ClueIn in = valid_in();
  CluePersonIn three[] = {{0, "甲某", "", 0, 0},
                          {0, "乙某", "", 0, 0},
                          {0, "丙某", "", 0, 0}};
  in.persons = three;
  in.n_persons = 3;
  int64_t id = create_ok(fx, fx->member, &in);
  ClueViewer v = viewer(fx, fx->member, "xcz_member");
  Clue c;
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  int64_t p1 = c.persons[0].id, p2 = c.persons[1].id, p3 = c.persons[2].id;
  assert_int_equal(c.n_filed + c.n_sanctioned + c.n_detained, 0);
  clue_clear(&c);
  /* 甲 filed (纪), 乙 filed (监); 甲 has two sanctions, 乙 only
   * 移送检察机关, 丙 a first-form measure; 甲 detained (ended), 乙 detained
   * (open). */
  exec_id(fx, "UPDATE clue_person SET filed_party_on = '2026-05-01' "
              "WHERE id = ?", p1);
  exec_id(fx, "UPDATE clue_person SET filed_super_on = '2026-05-02' "
              "WHERE id = ?", p2);
  static const char *const sanction =
      "INSERT INTO clue_sanction(clue_id, clue_person_id, kind, measure, "
      "form, decided_on, created_by, created_at) SELECT clue_id, id, "
      "CAST(? AS TEXT), CAST(? AS TEXT), CAST(? AS BIGINT), '2026-06-01', 0, "
      "0 FROM clue_person WHERE id = ?";
  const struct {
    const char *kind, *measure;
    int form;
    int64_t *person;
  } sanctions[] = {{"party", "party_warning", 2, &p1},
                   {"gov", "gov_demerit", 2, &p1},
                   {"procuratorate", "procuratorate", 4, &p2},
                   {"first_form", "ff_remind", 1, &p3}};
  for (size_t i = 0; i < JX_COUNT(sanctions); i++) {
    Stmt *st = db_prepare(fx->db, sanction);
    db_bind_text(st, 1, sanctions[i].kind);
    db_bind_text(st, 2, sanctions[i].measure);
    db_bind_int64(st, 3, sanctions[i].form);
    db_bind_int64(st, 4, *sanctions[i].person);
    assert_int_equal(db_step(st), DB_DONE);
    db_finalize(st);
  }
  exec_id(fx,
          "INSERT INTO clue_measure(clue_id, clue_person_id, start_on, "
          "limit_on, ended_on, created_by, created_at) SELECT clue_id, id, "
          "'2026-01-01', '2026-04-01', '2026-03-01', 0, 0 FROM clue_person "
          "WHERE id = ?",
          p1);
  exec_id(fx,
          "INSERT INTO clue_measure(clue_id, clue_person_id, start_on, "
          "limit_on, created_by, created_at) SELECT clue_id, id, "
          "'2026-05-01', '2026-08-01', 0, 0 FROM clue_person WHERE id = ?",
          p2);
  assert_int_equal(clue_refresh(fx->db, id), DB_OK);
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  assert_int_equal(c.n_persons, 3);
  assert_int_equal(c.n_filed, 2);
  assert_int_equal(c.n_sanctioned, 2); /* 甲 and 丙: not 移送 alone */
  assert_int_equal(c.n_procuratorate, 1);
  assert_int_equal(c.n_detained, 1);
  assert_string_equal(c.persons_text, "甲某、乙某、丙某");
  clue_clear(&c);
}

static void test_db_seq_and_hooks(void **state) {
  Fx *fx = fx_get(state);
  int64_t n;
  assert_int_equal(clue_next_seq(fx->db, "ML", "transfer", 2026, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(clue_next_seq(fx->db, "ML", "transfer", 2026, &n), DB_OK);
  assert_int_equal(n, 2);
  assert_int_equal(clue_next_seq(fx->db, "ML", "transfer", 2027, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(clue_next_seq(fx->db, "ML", "register", 2026, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(clue_next_seq(fx->db, "ML.BL", "transfer", 2026, &n),
                   DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(clue_next_seq(fx->db, "ML", "transfer", 2026, &n), DB_OK);
  assert_int_equal(n, 3);

  ClueIn in = valid_in();
  int64_t id = create_ok(fx, fx->member, &in);
  assert_int_equal(ntk_object_exists(fx->db, "clue", id), 1);
  assert_int_equal(ntk_object_exists(fx->db, "clue", id + 1000), 0);
  NtkSubject leader, member, ags, ags_bl;
  ntk_subject_load(fx->db, fx->leader, "xcz_leader", &leader);
  ntk_subject_load(fx->db, fx->member, "xcz_member", &member);
  ntk_subject_load(fx->db, fx->ags, "ags", &ags);
  ntk_subject_load(fx->db, fx->ags_bl, "ags", &ags_bl);
  /* With the team: its leader decides, not a member nor 案管室. */
  assert_int_equal(clue_may_approve(fx->db, &leader, id), 1);
  assert_int_equal(clue_may_approve(fx->db, &member, id), 0);
  assert_int_equal(clue_may_approve(fx->db, &ags, id), 0);
  exec_id(fx, "UPDATE clue SET state = 'pending' WHERE id = ?", id);
  assert_int_equal(clue_may_approve(fx->db, &leader, id), 1);
  /* Transferred to the commission: the 案管室 of the clue's
   * jurisdiction; to the organisation department: not the 案管室. */
  exec_id(fx, "UPDATE clue SET state = 'external', destination = "
              "'organisation' WHERE id = ?", id);
  assert_int_equal(clue_may_approve(fx->db, &ags, id), 0);
  exec_id(fx, "UPDATE clue SET state = 'registered', destination = "
              "'commission' WHERE id = ?", id);
  assert_int_equal(clue_may_approve(fx->db, &leader, id), 0);
  assert_int_equal(clue_may_approve(fx->db, &ags, id), 1);
  assert_int_equal(clue_may_approve(fx->db, &ags_bl, id), 0);
  assert_int_equal(clue_may_approve(fx->db, &ags, id + 1000), 0);
}

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_tables),
      cmocka_unit_test(test_terminal_list_matches_table),
      cmocka_unit_test(test_check),
      BOTH(test_db_create),
      BOTH(test_db_visibility),
      BOTH(test_db_update),
      BOTH(test_db_refresh),
      BOTH(test_db_seq_and_hooks),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
