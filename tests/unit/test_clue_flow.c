/* test_clue_flow.c: the clue state machine (domain/clue_flow.c) on SQLite
** and PostgreSQL.
**
** The "every action" tests are generated from clue_actions[]: each row is
** taken from each of its states by an allowed role, refused from every
** other state and for every other role — so a new row is covered the
** moment it is in the table (and needs a path to its states and a valid
** input below, or the test fails and says so).  A refused action must
** leave the clue and everything hanging off it unchanged. */
#include "unit.h"

#include <string.h>

#include "auth/ntk.h"
#include "domain/clue.h"
#include "domain/clue_due.h"
#include "domain/clue_flow.h"
#include "domain/settings.h"

#include "clue_flow_fx.h"

/* ---- the table itself ---- */

static void test_table(void **state) {
  (void)state;
  assert_true(n_clue_actions >= 39);
  for (size_t i = 0; i < n_clue_actions; i++) {
    const ClueAction *a = &clue_actions[i];
    assert_ptr_equal(clue_action(a->code), a);
    assert_true(a->label && *a->label && a->help && *a->help && a->roles &&
                *a->roles);
    char st[32][32];
    size_t n = split_states(a->from, st, 32);
    assert_true(n > 0);
    for (size_t k = 0; k < n; k++)
      if (!clue_state(st[k])) fail_msg("%s: unknown state %s", a->code, st[k]);
    n = split_states(a->to, st, 32);
    for (size_t k = 0; k < n; k++)
      if (!clue_state(st[k])) fail_msg("%s: unknown to %s", a->code, st[k]);
    for (size_t k = 0; k < i; k++)
      assert_false(str_eq(clue_actions[k].code, a->code));
  }
  assert_null(clue_action("nope"));
  assert_null(clue_action(NULL));
  /* Every state has a path in this test (a new state needs one). */
  for (size_t i = 0; i < n_clue_states; i++) {
    int found = str_eq(clue_states[i].code, "draft");
    for (size_t k = 0; k < JX_COUNT(paths); k++)
      found |= str_eq(paths[k].state, clue_states[i].code);
    if (!found) fail_msg("no test path to state %s", clue_states[i].code);
  }
}

/* ---- generated from the table ---- */

static const char *expected_to(const ClueAction *a, const char *variant,
                               const char *from) {
  if (!a->to) return from;
  if (str_eq(a->code, "approve_transfer")) return NULL; /* checked apart */
  if (str_eq(a->code, "approve_disposal")) return NULL;
  (void)variant;
  return a->to;
}

static void test_every_action_works(void **state) {
  Fx *fx = fx_get(state);
  for (size_t i = 0; i < n_clue_actions; i++) {
    const ClueAction *a = &clue_actions[i];
    char st[32][32];
    size_t n = split_states(a->from, st, 32);
    for (size_t k = 0; k < n; k++) {
      int64_t id = clue_in(fx, st[k], a->code);
      prepare_for(fx, id, a->code);
      int64_t events = q_int(
          fx, "SELECT COUNT(*) FROM clue_event WHERE clue_id = %lld", id);
      must_act(fx, id, a->code, "");
      assert_int_equal(
          q_int(fx, "SELECT COUNT(*) FROM clue_event WHERE clue_id = %lld", id),
          events + 1);
      char *s = state_of(fx, id);
      const char *want = expected_to(a, "", st[k]);
      if (want && !str_eq(s, want))
        fail_msg("%s from %s: %s, expected %s", a->code, st[k], s, want);
      /* The event records the step. */
      char *ev = q_text(fx,
                        "SELECT action || ':' || from_state || ':' || to_state "
                        "FROM clue_event WHERE clue_id = %lld ORDER BY id DESC "
                        "LIMIT 1",
                        id);
      char *exp = xasprintf("%s:%s:%s", a->code, st[k], s);
      assert_string_equal(ev, exp);
      free(ev);
      free(exp);
      /* Entering a terminal state concludes the clue. */
      const ClueState *cs = clue_state(s);
      if (cs->terminal && !str_eq(s, "suggestion") && !str_eq(s, st[k])) {
        char *o = q_text(fx, "SELECT outcome || ':' || concluded_on FROM clue "
                             "WHERE id = %lld", id);
        char *e = xasprintf("%s:2026-03-01", s);
        assert_string_equal(o, e);
        free(o);
        free(e);
      }
      free(s);
    }
  }
}

/* Put every test user on the clue's access list, so refusals are about
** the state or the role and never about visibility. */
static void grant_all(Fx *fx, int64_t id) {
  assert_int_equal(db_begin(fx->db), DB_OK);
  for (int u = 0; u < N_USERS; u++)
    assert_int_equal(ntk_grant_initial(fx->db, "clue", id, fx->uid[u], NULL,
                                       "测试", fx->uid[AGS], NULL),
                     0);
  assert_int_equal(db_commit(fx->db), DB_OK);
}

static void test_wrong_state_refused(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  for (size_t s = 0; s < n_clue_states; s++) {
    const char *sc = clue_states[s].code;
    int64_t id = clue_in(fx, sc, "");
    grant_all(fx, id);
    for (size_t i = 0; i < n_clue_actions; i++) {
      const ClueAction *a = &clue_actions[i];
      char st[32][32];
      size_t n = split_states(a->from, st, 32);
      int allowed = 0;
      for (size_t k = 0; k < n; k++) allowed |= str_eq(st[k], sc);
      if (allowed) continue;
      char *before = snapshot(fx, id);
      Input x;
      input_for(fx, id, a->code, "", &x);
      /* approve_transfer's actor comes from the pending step. */
      if (!strchr(a->roles, '@')) {
        int u = 0;
        while (u < N_USERS && !strstr(a->roles, user_defs[u].role)) u++;
        x.actor = u;
      } else {
        x.actor = LEADER;
      }
      buf_clear(&err);
      ClueResult r = act_as(fx, x.actor, id, a->code, &x.in, &err);
      if (r != CLUE_ECONFLICT)
        fail_msg("%s from %s: %d %s", a->code, sc, r, buf_str(&err));
      char *want = xasprintf("当前状态（%s）不能执行「%s」",
                             clue_states[s].label, a->label);
      assert_string_equal(buf_str(&err), want);
      free(want);
      char *after = snapshot(fx, id);
      assert_string_equal(before, after);
      free(before);
      free(after);
    }
  }
  buf_release(&err);
}

/* Would user u pass the role test of a? (the table's own rule) */
static int role_fits(Fx *fx, int64_t id, const ClueAction *a, int u) {
  const char *role = user_defs[u].role;
  if (str_eq(a->roles, "@chain")) {
    int c = chain_actor(fx, id);
    return str_eq(user_defs[c].role, role);
  }
  if (str_eq(a->roles, "@assist")) return u == LXS;
  char *d = q_text(fx, "SELECT destination FROM clue WHERE id = %lld", id);
  int commission = str_eq(d, "commission");
  free(d);
  if (str_eq(a->code, "feedback") && commission)
    return str_eq(role, "cbbm") || str_eq(role, "ags");
  char pat[40];
  snprintf(pat, sizeof pat, ",%s,", role);
  char *roles = xasprintf(",%s,", a->roles);
  int fits = strstr(roles, pat) != NULL;
  free(roles);
  return fits;
}

static void test_wrong_role_refused(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  for (size_t i = 0; i < n_clue_actions; i++) {
    const ClueAction *a = &clue_actions[i];
    char st[32][32];
    split_states(a->from, st, 32);
    int64_t id = clue_in(fx, st[0], a->code);
    prepare_for(fx, id, a->code);
    grant_all(fx, id);
    int refused = 0;
    for (int u = 0; u < N_USERS; u++) {
      if (u == XCB2 || role_fits(fx, id, a, u)) continue;
      char *before = snapshot(fx, id);
      Input x;
      input_for(fx, id, a->code, "", &x);
      buf_clear(&err);
      ClueResult r = act_as(fx, u, id, a->code, &x.in, &err);
      if (r != CLUE_EFORBIDDEN)
        fail_msg("%s as %s: %d %s", a->code, user_defs[u].login, r,
                 buf_str(&err));
      char *want = xasprintf("您的角色不能执行「%s」", a->label);
      assert_string_equal(buf_str(&err), want);
      free(want);
      char *after = snapshot(fx, id);
      assert_string_equal(before, after);
      free(before);
      free(after);
      refused++;
    }
    assert_true(refused > 0);
  }
  buf_release(&err);
}

/* ---- the walk, the chain, numbers and grants ---- */

static int can_see(Fx *fx, int u, const char *type, int64_t id) {
  ClueViewer v;
  viewer(fx, u, &v);
  return ntk_can_see(fx->db, &v.who, type, id);
}

static void test_full_walk(void **state) {
  Fx *fx = fx_get(state);
  int64_t id = new_clue(fx);
  Buf err = BUF_INIT;
  /* Before transfer the commission sees nothing. */
  assert_false(can_see(fx, AGS, "clue", id));
  reach_state(fx, id, "pending");
  /* Step 1: the team leader; then 巡察办 is listed, 领导小组 not yet. */
  assert_false(can_see(fx, XCB, "clue", id));
  must_act(fx, id, "approve_transfer", "");
  assert_true(can_see(fx, XCB, "clue", id));
  assert_false(can_see(fx, LDXZ, "clue", id));
  assert_int_equal(q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id), 2);
  must_act(fx, id, "approve_transfer", "");
  assert_true(can_see(fx, LDXZ, "clue", id));
  must_act(fx, id, "approve_transfer", "");
  char *s = q_text(fx,
                   "SELECT state || ' ' || transfer_no || ' ' || "
                   "transferred_on || ' ' || destination_office || ' ' || "
                   "destination_name FROM clue WHERE id = %lld",
                   id);
  assert_string_equal(s, "transferred 明纪巡移〔2026〕1号 2026-03-01 ML.AGS 明澜市纪委监委");
  free(s);
  assert_int_equal(q_int(fx, "SELECT COUNT(*) FROM clue_approval WHERE "
                             "clue_id = %lld AND decision = 'approve'", id),
                   3);
  /* The 案管室 sees it all; the inspection office only its status. */
  assert_true(can_see(fx, AGS, "clue", id));
  execf(fx->db, "UPDATE app_user SET status = 'active' WHERE id = %lld",
        (long long)fx->uid[XCB2]);
  assert_false(can_see(fx, XCB2, "clue", id));
  assert_true(can_see(fx, XCB2, "clue_status", id));
  ClueViewer v;
  viewer(fx, XCB2, &v);
  Clue c;
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  assert_int_equal(c.full, 0);
  const ClueAction *av[64];
  /* 巡察办 cannot report for the commission. */
  assert_int_equal(clue_actions_available(fx->db, &v, &c, av, 64), 0);
  clue_clear(&c);
  ClueActIn fb = {.text = "进展"};
  assert_int_equal(act_as(fx, XCB2, id, "feedback", &fb, &err), CLUE_EFORBIDDEN);
  buf_clear(&err);
  /* The handling office is not listed before 分办. */
  assert_false(can_see(fx, CBBM, "clue", id));
  must_act(fx, id, "register", "");
  s = q_text(fx, "SELECT register_no || ' ' || received_on FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "明纪案登〔2026〕1号 2026-03-01");
  free(s);
  /* 分办 to an office that cannot handle clues is refused. */
  ClueActIn as = {.handling_office = "ML.SJ", .approver = "张某"};
  assert_int_equal(act_as(fx, AGS, id, "assign", &as, &err), CLUE_EINVALID);
  buf_clear(&err);
  as.handling_office = "ML.AGS";
  assert_int_equal(act_as(fx, AGS, id, "assign", &as, &err), CLUE_EINVALID);
  buf_clear(&err);
  as.handling_office = "ML.NOPE";
  assert_int_equal(act_as(fx, AGS, id, "assign", &as, &err), CLUE_EINVALID);
  buf_clear(&err);
  must_act(fx, id, "assign", "");
  assert_true(can_see(fx, CBBM, "clue", id));
  assert_false(can_see(fx, CBBM2, "clue", id));
  assert_false(can_see(fx, LXS, "clue", id));
  /* The cbbm of another office does not even see the clue. */
  ClueActIn pr = {.disposal = "verify", .opinion = "建议初核", .meeting = "室务会"};
  assert_int_equal(act_as(fx, CBBM2, id, "propose", &pr, &err), CLUE_ENOTFOUND);
  assert_string_equal(buf_str(&err), "问题线索不存在或无权查看");
  buf_clear(&err);
  /* A returned proposal clears it; the second one is approved. */
  must_act(fx, id, "propose", "talk");
  must_act(fx, id, "return_disposal", "");
  s = q_text(fx, "SELECT state || ':' || disposal || ':' || disposal_on FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "assigned::");
  free(s);
  must_act(fx, id, "propose", "verify");
  must_act(fx, id, "approve_disposal", "");
  must_act(fx, id, "file_case", "");
  must_act(fx, id, "file_more", "");
  s = q_text(fx, "SELECT filed_on || ' ' || n_filed FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "2026-03-01 2");
  free(s);
  must_act(fx, id, "detain", "");
  s = q_text(fx, "SELECT limit_on FROM clue_measure WHERE clue_id = %lld", id);
  assert_string_equal(s, "2026-06-01");
  free(s);
  must_act(fx, id, "detain_extend", "");
  s = q_text(fx, "SELECT limit_on || ' ' || extensions FROM clue_measure WHERE clue_id = %lld", id);
  assert_string_equal(s, "2026-09-01 1");
  free(s);
  /* One extension by default. */
  Input x;
  input_for(fx, id, "detain_extend", "", &x);
  assert_int_equal(act_as(fx, CBBM, id, "detain_extend", &x.in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "留置期限最多延长1次");
  buf_clear(&err);
  /* Only one detention at a time per person. */
  input_for(fx, id, "detain", "", &x);
  assert_int_equal(act_as(fx, CBBM, id, "detain", &x.in, &err), CLUE_EINVALID);
  buf_clear(&err);
  must_act(fx, id, "detain_end", "");
  must_act(fx, id, "to_trial", "");
  must_act(fx, id, "trial_return", "");
  must_act(fx, id, "to_trial", "");
  must_act(fx, id, "sanction", "");
  /* Not every person has a result yet. */
  assert_int_equal(act_as(fx, CBBM, id, "decide", &(ClueActIn){0}, &err), CLUE_EINVALID);
  assert_non_null(strstr(buf_str(&err), "每名被反映人均须有处理结果"));
  buf_clear(&err);
  /* A result without a sanction: the outcome note. */
  input_for(fx, id, "sanction", "p2", &x);
  x.in.measure = "";
  x.in.note = "免予处分";
  assert_int_equal(act_as(fx, CBBM, id, "sanction", &x.in, &err), CLUE_OK);
  must_act(fx, id, "decide", "");
  must_act(fx, id, "announce", "");
  input_for(fx, id, "announce", "", &x);
  assert_int_equal(act_as(fx, CBBM, id, "announce", &x.in, &err), CLUE_EINVALID);
  buf_clear(&err);
  must_act(fx, id, "conclude", "");
  must_act(fx, id, "execute", "");
  must_act(fx, id, "feedback", "");
  s = q_text(fx, "SELECT state || ' ' || outcome || ' ' || concluded_on || ' ' "
                 "|| decided_on FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "concluded concluded 2026-03-01 2026-03-01");
  free(s);
  assert_int_equal(q_int(fx, "SELECT final FROM clue_feedback WHERE clue_id = %lld", id), 1);
  /* The history, oldest first, for a full viewer and a status viewer. */
  ClueEvent *ev;
  size_t n;
  viewer(fx, AGS, &v);
  assert_int_equal(clue_events(fx->db, &v, id, &ev, &n), CLUE_OK);
  assert_true(n > 20);
  assert_string_equal(ev[0].action, "create");
  assert_string_equal(ev[n - 1].action, "feedback");
  int found_opinion = 0;
  for (size_t i = 0; i < n; i++) found_opinion |= *ev[i].opinion != 0;
  assert_true(found_opinion);
  clue_events_free(ev, n);
  viewer(fx, XCB2, &v);
  assert_int_equal(clue_events(fx->db, &v, id, &ev, &n), CLUE_OK);
  for (size_t i = 0; i < n; i++) {
    assert_string_equal(ev[i].opinion, "");
    assert_string_equal(ev[i].detail, "");
  }
  clue_events_free(ev, n);
  viewer(fx, CBBM2, &v);
  assert_int_equal(clue_events(fx->db, &v, id, &ev, &n), CLUE_ENOTFOUND);
  buf_release(&err);
}

static void test_chain_settings(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  const char *roles[5];
  assert_int_equal(clue_transfer_chain(fx->db, roles), 3);
  assert_string_equal(roles[1], "xcb");
  assert_string_equal(roles[2], "ldxz");
  static const struct {
    const char *value;
    size_t steps;
    int second;
  } variants[] = {{"2", 2, LDXZ}, {"3", 2, XCB}, {"1", 3, XCB}};
  for (size_t k = 0; k < JX_COUNT(variants); k++) {
    assert_int_equal(setting_put(fx->db, "clue.transfer_chain",
                                 variants[k].value, &err),
                     0);
    assert_int_equal(clue_transfer_chain(fx->db, roles), variants[k].steps);
    int64_t id = new_clue(fx);
    reach_state(fx, id, "pending");
    must_act(fx, id, "approve_transfer", "");
    assert_int_equal(chain_actor(fx, id), variants[k].second);
    assert_true(can_see(fx, variants[k].second, "clue", id));
    size_t approvals = 1;
    while (q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id)) {
      must_act(fx, id, "approve_transfer", "");
      approvals++;
    }
    assert_int_equal(approvals, variants[k].steps);
    char *s = state_of(fx, id);
    assert_string_equal(s, "transferred");
    free(s);
  }
  buf_release(&err);
}

static void test_return_and_resubmit(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = new_clue(fx);
  reach_state(fx, id, "pending");
  must_act(fx, id, "approve_transfer", "");
  /* 巡察办 returns it without a reason: refused; with one: back to the team. */
  ClueActIn in = {0};
  assert_int_equal(act_as(fx, XCB, id, "return_transfer", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  /* The team leader cannot decide step 2. */
  in.opinion = "证据不足";
  assert_int_equal(act_as(fx, LEADER, id, "return_transfer", &in, &err), CLUE_EFORBIDDEN);
  buf_clear(&err);
  assert_int_equal(act_as(fx, XCB, id, "return_transfer", &in, &err), CLUE_OK);
  char *s = q_text(fx, "SELECT state || ':' || transfer_step FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "reviewed:0");
  free(s);
  s = q_text(fx, "SELECT decision || ':' || step || ':' || role_code || ':' || attempt "
                 "FROM clue_approval WHERE clue_id = %lld ORDER BY id DESC LIMIT 1", id);
  assert_string_equal(s, "return:2:xcb:1");
  free(s);
  must_act(fx, id, "submit", "");
  must_act(fx, id, "approve_transfer", "");
  s = q_text(fx, "SELECT decision || ':' || step || ':' || attempt FROM "
                 "clue_approval WHERE clue_id = %lld ORDER BY id DESC LIMIT 1", id);
  assert_string_equal(s, "approve:1:2");
  free(s);
  buf_release(&err);
}

static void test_transfer_numbers(void **state) {
  Fx *fx = fx_get(state);
  int64_t a = clue_in(fx, "transferred", "");
  int64_t b = clue_in(fx, "transferred", "");
  char *s = q_text(fx, "SELECT transfer_no FROM clue WHERE id = %lld", a);
  assert_string_equal(s, "明纪巡移〔2026〕1号");
  free(s);
  s = q_text(fx, "SELECT transfer_no FROM clue WHERE id = %lld", b);
  assert_string_equal(s, "明纪巡移〔2026〕2号");
  free(s);
  /* A new year starts again at 1, in the format of the setting. */
  Buf err = BUF_INIT;
  assert_int_equal(setting_put(fx->db, "clue.transfer_no_format",
                               "{jur}巡移字〔{year}〕第{seq}号", &err),
                   0);
  clock_set(T1);
  int64_t c = clue_in(fx, "transferred", "");
  s = q_text(fx, "SELECT transfer_no FROM clue WHERE id = %lld", c);
  assert_string_equal(s, "明巡移字〔2027〕第1号");
  free(s);
  buf_release(&err);
}

/* 纪委立案 needs a party member, 监委立案 a 监察对象: named persons must fit,
** "every person" files each by the kinds that fit them. */
static void test_filing_kinds(void **state) {
  Fx *fx = fx_get(state);
  int64_t id = clue_in(fx, "verify", "");
  int64_t p1 = q_int(fx, "SELECT MIN(id) FROM clue_person WHERE clue_id = %lld", id);
  int64_t p2 = q_int(fx, "SELECT MAX(id) FROM clue_person WHERE clue_id = %lld", id);
  execf(fx->db, "UPDATE clue_person SET party_member = 0 WHERE id = %lld", (long long)p1);
  execf(fx->db, "UPDATE clue_person SET supervisory_object = 0 WHERE id = %lld", (long long)p2);
  char *before = snapshot(fx, id);
  Buf err = BUF_INIT;
  ClueActIn in = {.approver = "分管副书记", .meeting = "专题会", .filing = "party",
                  .person_id = p1};
  assert_int_equal(act_as(fx, CBBM, id, "file_case", &in, &err), CLUE_EINVALID);
  assert_non_null(strstr(buf_str(&err), "不是中共党员"));
  buf_clear(&err);
  in.filing = "super";
  in.person_id = p2;
  assert_int_equal(act_as(fx, CBBM, id, "file_case", &in, &err), CLUE_EINVALID);
  assert_non_null(strstr(buf_str(&err), "不是监察对象"));
  char *after = snapshot(fx, id);
  assert_string_equal(before, after); /* refused: nothing written */
  free(after);
  free(before);
  /* Everyone, both kinds: p1 by 监委 only, p2 by 纪委 only. */
  buf_clear(&err);
  in.filing = "both";
  in.person_id = 0;
  assert_int_equal(act_as(fx, CBBM, id, "file_case", &in, &err), CLUE_OK);
  char *s = q_text(fx, "SELECT filed_party_on || '|' || filed_super_on FROM "
                       "clue_person WHERE id = %lld", p1);
  assert_string_equal(s, "|2026-03-01");
  free(s);
  s = q_text(fx, "SELECT filed_party_on || '|' || filed_super_on FROM "
                 "clue_person WHERE id = %lld", p2);
  assert_string_equal(s, "2026-03-01|");
  free(s);
  buf_release(&err);
}

static void test_next_approver_choice(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  execf(fx->db, "UPDATE app_user SET status = 'active' WHERE id = %lld",
        (long long)fx->uid[XCB2]);
  int64_t id = new_clue(fx);
  reach_state(fx, id, "pending");
  ClueViewer v;
  viewer(fx, LEADER, &v);
  Clue c;
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  int64_t *ids;
  char **names;
  size_t n;
  assert_int_equal(clue_step_candidates(fx->db, &c, 1, &ids, &names, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(ids[0], fx->uid[LEADER]);
  free(names[0]);
  free(names);
  free(ids);
  assert_int_equal(clue_step_candidates(fx->db, &c, 2, &ids, &names, &n), DB_OK);
  assert_int_equal(n, 2);
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(ids);
  const ClueAction *av[64];
  size_t na = clue_actions_available(fx->db, &v, &c, av, 64);
  int has = 0;
  for (size_t i = 0; i < na; i++) has |= str_eq(av[i]->code, "approve_transfer");
  assert_true(has);
  clue_clear(&c);
  /* Two 巡察办 users: the next approver must be chosen, and be one. */
  ClueActIn in = {0};
  assert_int_equal(act_as(fx, LEADER, id, "approve_transfer", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "请选择下一步审批人");
  buf_clear(&err);
  in.next_approver_id = fx->uid[LDXZ];
  assert_int_equal(act_as(fx, LEADER, id, "approve_transfer", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  in.next_approver_id = fx->uid[XCB2];
  assert_int_equal(act_as(fx, LEADER, id, "approve_transfer", &in, &err), CLUE_OK);
  assert_true(can_see(fx, XCB2, "clue", id));
  assert_false(can_see(fx, XCB, "clue", id));
  /* The other 巡察办 user holds the role but is not listed: not visible. */
  assert_int_equal(act_as(fx, XCB, id, "approve_transfer", &in, &err), CLUE_ENOTFOUND);
  buf_clear(&err);
  /* Listed for another reason, with the step's role, but not the one
   * chosen: refused, offered nothing, the clue unchanged. */
  assert_int_equal(ntk_grant_initial(fx->db, "clue", id, fx->uid[XCB], NULL,
                                     "测试", fx->uid[AGS], NULL),
                   0);
  assert_true(can_see(fx, XCB, "clue", id));
  char *before = snapshot(fx, id);
  assert_int_equal(act_as(fx, XCB, id, "approve_transfer", &in, &err),
                   CLUE_EFORBIDDEN);
  assert_string_equal(buf_str(&err), "您的角色不能执行「审批同意移交」");
  buf_clear(&err);
  assert_int_equal(act_as(fx, XCB, id, "return_transfer", &in, &err),
                   CLUE_EFORBIDDEN);
  buf_clear(&err);
  char *after = snapshot(fx, id);
  assert_string_equal(after, before);
  free(after);
  free(before);
  char *turn = q_text(fx, "SELECT state || '|' || transfer_step || '|' || "
                          "transfer_approver_id FROM clue WHERE id = %lld", id);
  char *want = xasprintf("pending|2|%lld", (long long)fx->uid[XCB2]);
  assert_string_equal(turn, want);
  free(turn);
  free(want);
  viewer(fx, XCB, &v);
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  na = clue_actions_available(fx->db, &v, &c, av, 64);
  for (size_t i = 0; i < na; i++)
    assert_false(str_eq(av[i]->code, "approve_transfer"));
  clue_clear(&c);
  in.next_approver_id = 0;
  assert_int_equal(act_as(fx, XCB2, id, "approve_transfer", &in, &err), CLUE_OK);
  buf_release(&err);
}

static void test_submit_rules(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = new_clue(fx);
  reach_state(fx, id, "reviewed");
  char *before = snapshot(fx, id);
  /* Still preparing the round: no transfer. */
  execf(fx->db, "UPDATE round_unit SET phase = 'prepare'");
  ClueActIn in = {.destination = "commission"};
  assert_int_equal(act_as(fx, MEMBER, id, "submit", &in, &err), CLUE_ECONFLICT);
  assert_string_equal(buf_str(&err), "巡前准备阶段不能移交线索");
  buf_clear(&err);
  execf(fx->db, "UPDATE round_unit SET phase = 'rectify'");
  /* The three conditions. */
  execf(fx->db, "UPDATE clue SET cond_evidence = 0 WHERE id = %lld", (long long)id);
  assert_int_equal(act_as(fx, MEMBER, id, "submit", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "移交须同时满足问题性质、证据充分、事实清晰");
  buf_clear(&err);
  execf(fx->db, "UPDATE clue SET cond_evidence = 1 WHERE id = %lld", (long long)id);
  /* Destination: required, known, named when other. */
  in.destination = "";
  assert_int_equal(act_as(fx, MEMBER, id, "submit", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  in.destination = "court";
  assert_int_equal(act_as(fx, MEMBER, id, "submit", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  in.destination = "other";
  assert_int_equal(act_as(fx, MEMBER, id, "submit", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  char *after = snapshot(fx, id);
  assert_string_equal(before, after);
  free(before);
  free(after);
  /* To the organisation department: its office receives the clue. */
  in.destination = "organisation";
  assert_int_equal(act_as(fx, MEMBER, id, "submit", &in, &err), CLUE_OK);
  while (q_int(fx, "SELECT transfer_step FROM clue WHERE id = %lld", id))
    must_act(fx, id, "approve_transfer", "");
  char *s = q_text(fx, "SELECT destination_office || ' ' || destination_name FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "ML.ZZB 市委组织部");
  free(s);
  /* Not the commission's to register. */
  assert_int_equal(act_as(fx, AGS, id, "register", &(ClueActIn){0}, &err), CLUE_ENOTFOUND);
  buf_clear(&err);
  grant_all(fx, id);
  assert_int_equal(act_as(fx, AGS, id, "register", &(ClueActIn){0}, &err), CLUE_ECONFLICT);
  buf_clear(&err);
  /* A suggestion is never transferred. */
  int64_t sid = new_clue(fx);
  must_act(fx, sid, "to_suggestion", "");
  s = q_text(fx, "SELECT kind || ' ' || state || ' ' || concluded_on FROM clue WHERE id = %lld", sid);
  assert_string_equal(s, "suggestion suggestion ");
  free(s);
  buf_release(&err);
}

static void test_requirements(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = new_clue(fx);
  reach_state(fx, id, "talk");
  char *before = snapshot(fx, id);
  ClueActIn in = {.approver = "张某", .opinion = "反映不实"};
  in.date = "2026-03-02";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "「了结澄清」的日期不能晚于今天");
  buf_clear(&err);
  in.date = "2026-01-09";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  in.date = "2026-02-30";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  in.date = "2026-02-01";
  in.approver = "";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  buf_clear(&err);
  in.approver = "张某";
  Buf big = BUF_INIT;
  for (int i = 0; i < 501; i++) buf_puts(&big, "字");
  in.opinion = buf_str(&big);
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "意见不能超过 500 个字");
  buf_clear(&err);
  /* One check for every free text: control characters refused too. */
  in.opinion = "反映\x01不实";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "意见不能含有控制字符");
  buf_clear(&err);
  in.opinion = "   ";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "请填写意见");
  buf_clear(&err);
  assert_int_equal(act_as(fx, CBBM, id, "nope", &in, &err), CLUE_EINVALID);
  assert_string_equal(buf_str(&err), "未知的办理事项");
  buf_clear(&err);
  assert_int_equal(act_as(fx, CBBM, id + 1000, "talk_clear", &in, &err), CLUE_ENOTFOUND);
  buf_clear(&err);
  char *after = snapshot(fx, id);
  assert_string_equal(before, after);
  free(after);
  free(before);
  in.opinion = "反映不实";
  assert_int_equal(act_as(fx, CBBM, id, "talk_clear", &in, &err), CLUE_OK);
  char *s = q_text(fx, "SELECT concluded_on FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "2026-02-01");
  free(s);
  buf_release(&big);
  buf_release(&err);
}

/* Is action code among those the page offers user u on clue id? */
static int offered(Fx *fx, int u, int64_t id, const char *code) {
  ClueViewer v;
  viewer(fx, u, &v);
  Clue c;
  if (clue_get(fx->db, &v, id, &c) != CLUE_OK) return 0;
  const ClueAction *av[64];
  size_t n = clue_actions_available(fx->db, &v, &c, av, 64);
  int has = 0;
  for (size_t i = 0; i < n; i++) has |= str_eq(av[i]->code, code);
  clue_clear(&c);
  return has;
}

static void test_assist(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = new_clue(fx);
  /* Nothing to assign before a request. */
  grant_all(fx, id);
  Input x;
  input_for(fx, id, "assist_assign", "", &x);
  assert_int_equal(act_as(fx, AGS, id, "assist_assign", &x.in, &err), CLUE_ECONFLICT);
  assert_string_equal(buf_str(&err), "没有进行中的提前介入申请");
  buf_clear(&err);
  /* …and what cannot succeed is not offered. */
  assert_true(offered(fx, LEADER, id, "assist_request"));
  assert_false(offered(fx, LEADER, id, "assist_close"));
  assert_false(offered(fx, AGS, id, "assist_assign"));
  int64_t id2 = new_clue(fx);
  must_act(fx, id2, "assist_request", "");
  /* One open request at a time. */
  input_for(fx, id2, "assist_request", "", &x);
  assert_int_equal(act_as(fx, LEADER, id2, "assist_request", &x.in, &err), CLUE_ECONFLICT);
  assert_string_equal(buf_str(&err), "已有尚未结束的提前介入申请");
  buf_clear(&err);
  assert_false(offered(fx, LEADER, id2, "assist_request"));
  assert_true(offered(fx, LEADER, id2, "assist_close"));
  assert_true(can_see(fx, AGS, "clue", id2));
  assert_false(can_see(fx, LXS, "clue", id2));
  must_act(fx, id2, "assist_assign", "");
  assert_true(can_see(fx, LXS, "clue", id2));
  must_act(fx, id2, "assist_step", "");
  input_for(fx, id2, "assist_step", "", &x);
  x.in.stage = "guess";
  assert_int_equal(act_as(fx, LXS, id2, "assist_step", &x.in, &err), CLUE_EINVALID);
  buf_clear(&err);
  /* Closed: no more steps (the assigned staff keep their grant, the
   * record stays); a new request may be filed. */
  must_act(fx, id2, "assist_close", "");
  input_for(fx, id2, "assist_step", "", &x);
  assert_int_equal(act_as(fx, LXS, id2, "assist_step", &x.in, &err), CLUE_EFORBIDDEN);
  buf_clear(&err);
  input_for(fx, id2, "assist_close", "", &x);
  assert_int_equal(act_as(fx, LEADER, id2, "assist_close", &x.in, &err), CLUE_ECONFLICT);
  buf_clear(&err);
  assert_int_equal(q_int(fx, "SELECT COUNT(*) FROM clue_assist WHERE clue_id = %lld "
                             "AND status = 'closed'", id2), 1);
  must_act(fx, id2, "assist_request", "");
  buf_release(&err);
}

/* 巡察办 keeps the record of clues sent to other bodies with nothing but
** its office's "clue_status" grant. */
static void test_status_view(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t id = clue_in(fx, "transferred", "receive_external");
  char *s = q_text(fx, "SELECT destination_office || ':' || destination_name "
                       "FROM clue WHERE id = %lld", id);
  assert_string_equal(s, ":市国资委");
  free(s);
  execf(fx->db, "UPDATE app_user SET status = 'active' WHERE id = %lld",
        (long long)fx->uid[XCB2]);
  assert_false(can_see(fx, XCB2, "clue", id));
  assert_true(can_see(fx, XCB2, "clue_status", id));
  /* Nobody at the commission was given it. */
  assert_false(can_see(fx, AGS, "clue", id));
  ClueViewer v;
  viewer(fx, XCB2, &v);
  Clue c;
  assert_int_equal(clue_get(fx->db, &v, id, &c), CLUE_OK);
  const ClueAction *av[64];
  size_t n = clue_actions_available(fx->db, &v, &c, av, 64);
  clue_clear(&c);
  int recv = 0, fb = 0;
  for (size_t i = 0; i < n; i++) {
    assert_true(av[i]->requires & CR_STATUS_VIEW);
    recv |= str_eq(av[i]->code, "receive_external");
    fb |= str_eq(av[i]->code, "feedback");
  }
  assert_true(recv && fb);
  ClueActIn in = {.date = "2026-02-20"};
  assert_int_equal(act_as(fx, XCB2, id, "receive_external", &in, &err), CLUE_OK);
  in.text = "组织部已接收并开展核查";
  in.date = "";
  assert_int_equal(act_as(fx, XCB2, id, "feedback", &in, &err), CLUE_OK);
  in.opinion = "已作组织处理";
  assert_int_equal(act_as(fx, XCB2, id, "conclude_external", &in, &err), CLUE_OK);
  s = q_text(fx, "SELECT state || ' ' || received_on || ' ' || outcome || ' ' "
                 "|| concluded_on FROM clue WHERE id = %lld", id);
  assert_string_equal(s, "concluded 2026-02-20 concluded 2026-03-01");
  free(s);
  buf_release(&err);
}

#define DB_TESTS(fn)                                                   \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown),         \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_table),
      DB_TESTS(test_full_walk),
      DB_TESTS(test_chain_settings),
      DB_TESTS(test_return_and_resubmit),
      DB_TESTS(test_transfer_numbers),
      DB_TESTS(test_filing_kinds),
      DB_TESTS(test_next_approver_choice),
      DB_TESTS(test_submit_rules),
      DB_TESTS(test_requirements),
      DB_TESTS(test_assist),
      DB_TESTS(test_status_view),
      DB_TESTS(test_every_action_works),
      DB_TESTS(test_wrong_state_refused),
      DB_TESTS(test_wrong_role_refused),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
