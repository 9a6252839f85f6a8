/* test_rounds.c: rounds, phases, 回避 and candidate ranking
** (domain/rounds.c, domain/staffing.c, domain/training.c), the pure
** rules first, then the database operations on SQLite and PostgreSQL. */
#include "unit.h"

#include <string.h>

#include "domain/rounds.h"
#include "domain/staffing.h"
#include "auth/ntk.h"
#include "domain/training.h"

/* ---- phases ---- */

static void test_phase_table(void **state) {
  (void)state;
  /* Every phase but the last has exactly one successor, the next one. */
  for (int p = 0; p < PHASE__COUNT; p++) {
    int next = round_phase_next(p);
    assert_int_equal(next, p + 1 < PHASE__COUNT ? p + 1 : -1);
    assert_int_equal(round_phase_from_code(round_phases[p].code), p);
  }
  assert_int_equal(round_phase_from_code("nope"), -1);
  assert_int_equal(round_phase_from_code(NULL), -1);
  assert_string_equal(round_phase_label(PHASE_LEARN), "了解");
  assert_string_equal(round_phases[PHASE_RECTIFY].full, "巡察整改");
  assert_string_equal(round_phases[PHASE_PREP].code, "prepare");
}

static void test_phase_only_forward(void **state) {
  (void)state;
  Buf err = BUF_INIT;
  /* The legal steps, in order. */
  for (int p = 0; p + 1 < PHASE__COUNT; p++) {
    buf_clear(&err);
    assert_int_equal(round_phase_check(p, p + 1, &err), 0);
  }
  assert_int_equal(round_phase_check(-1, PHASE_PREP, &err), 0);
  /* A unit starts at 准备. */
  buf_clear(&err);
  assert_int_equal(round_phase_check(-1, PHASE_LEARN, &err), -1);
  assert_non_null(strstr(buf_str(&err), "准备"));
  /* Skipping is refused and names the phase that comes next. */
  buf_clear(&err);
  assert_int_equal(round_phase_check(PHASE_PREP, PHASE_REPORT, &err), -1);
  assert_string_equal(buf_str(&err),
                      "巡察阶段须依次推进：“准备”之后应为“了解”，不能跳至“报告”");
  buf_clear(&err);
  assert_int_equal(round_phase_check(PHASE_LEARN, PHASE_RECTIFY, &err), -1);
  /* Backward is refused. */
  buf_clear(&err);
  assert_int_equal(round_phase_check(PHASE_REPORT, PHASE_LEARN, &err), -1);
  assert_string_equal(buf_str(&err),
                      "巡察阶段只能向前推进，不能从“报告”退回“了解”");
  /* Standing still and stepping past the end are refused. */
  buf_clear(&err);
  assert_int_equal(round_phase_check(PHASE_FEEDBACK, PHASE_FEEDBACK, &err), -1);
  assert_non_null(strstr(buf_str(&err), "已处于"));
  buf_clear(&err);
  assert_int_equal(round_phase_check(PHASE_RECTIFY, PHASE__COUNT, &err), -1);
  /* Every pair outside the table is refused. */
  for (int a = 0; a < PHASE__COUNT; a++)
    for (int b = 0; b < PHASE__COUNT; b++) {
      buf_clear(&err);
      assert_int_equal(round_phase_check(a, b, &err) == 0, b == a + 1);
    }
  buf_release(&err);
}

static void test_round_names_and_input(void **state) {
  (void)state;
  Buf b = BUF_INIT, err = BUF_INIT;
  round_default_name(&b, 5, 2, "市委");
  assert_string_equal(buf_str(&b), "五届市委第二轮巡察");
  buf_clear(&b);
  round_default_name(&b, 12, 20, "县委");
  assert_string_equal(buf_str(&b), "十二届县委第二十轮巡察");
  buf_clear(&b);
  round_cn_number(&b, 10);
  round_cn_number(&b, 31);
  assert_string_equal(buf_str(&b), "十三十一");
  assert_string_equal(round_kind_label("revisit"), "回头看");
  assert_null(round_kind_label("weekly"));

  const char *field;
  RoundIn in = {.term = 5, .number = 3, .kind = "regular",
                .start_date = "2025-03-03", .end_date = "2025-05-30"};
  assert_int_equal(round_check(&in, &err, &field), 0);
  in.end_date = "2025-03-02";
  assert_int_equal(round_check(&in, &err, &field), -1);
  assert_string_equal(field, "end_date");
  in.end_date = "2025-02-30";
  assert_int_equal(round_check(&in, &err, &field), -1);
  in.end_date = "";
  in.kind = "x";
  assert_int_equal(round_check(&in, &err, &field), -1);
  assert_string_equal(field, "kind");
  in.kind = "special";
  in.term = 0;
  assert_int_equal(round_check(&in, &err, &field), -1);
  assert_string_equal(field, "term");

  char d[11];
  round_years_before("2025-03-03", 5, d);
  assert_string_equal(d, "2020-03-03");
  round_years_before("2024-02-29", 5, d);
  assert_string_equal(d, "2019-02-28");
  round_years_before("2024-02-30", 5, d);
  assert_string_equal(d, "");
  assert_true(round_date_valid("2024-02-29"));
  assert_false(round_date_valid("2023-02-29"));
  assert_false(round_date_valid("2023-2-28"));
  buf_release(&b);
  buf_release(&err);
}

/* ---- 回避 ---- */

static const AvoidUnit units[] = {
    {101, "明澜市住建局", 7, "市纪委监委第三派驻纪检监察组"},
    {102, "明澜市第三中学", 8, "市纪委监委第五派驻纪检监察组"},
};

static void test_avoid_worked(void **state) {
  (void)state;
  StaffPostFact posts[] = {
      {"副局长", "", 101, "明澜市住建局", "2022-03-01", "2024-08-31"},
      {"科员", "", 102, "明澜市第三中学", "2010-01-01", "2019-12-31"},
  };
  StaffFacts s = {.id = 1, .name = "甲", .posts = posts, .n_posts = 2};
  AvoidCtx ctx = {units, 2, "2025-03-03", 5};
  AvoidHit *h = NULL;
  size_t n = avoid_check(&s, &ctx, &h);
  assert_int_equal(n, 1); /* 2019 is more than 5 years before 2025-03 */
  assert_int_equal(h[0].rule->rule, AVOID_WORKED);
  assert_string_equal(h[0].rule->code, "worked_in_unit");
  assert_int_equal(h[0].unit_id, 101);
  assert_string_equal(h[0].fact,
                      "回避：2022-03 至 2024-08 曾在明澜市住建局任职（5 年内）");
  avoid_hits_free(h, n);
  /* A longer setting reaches the older post. */
  ctx.years = 6;
  n = avoid_check(&s, &ctx, &h);
  assert_int_equal(n, 2);
  assert_string_equal(h[1].fact,
                      "回避：2010-01 至 2019-12 曾在明澜市第三中学任职（6 年内）");
  avoid_hits_free(h, n);
  /* A current post (no end date), and a former-employment tie. */
  StaffPostFact now[] = {{"干部", "", 102, "明澜市第三中学", "2023-09-01", ""}};
  StaffTieFact ties[] = {
      {"former", 101, "明澜市住建局", "", "2018-01-01", "2021-06-30"}};
  StaffFacts s2 = {.id = 2, .posts = now, .n_posts = 1, .ties = ties,
                   .n_ties = 1};
  ctx.years = 5;
  n = avoid_check(&s2, &ctx, &h);
  assert_int_equal(n, 2);
  assert_string_equal(h[0].fact,
                      "回避：2018-01 至 2021-06 曾在明澜市住建局任职（5 年内）");
  assert_string_equal(h[1].fact, "回避：2023-09 起在明澜市第三中学任职至今");
  avoid_hits_free(h, n);
  /* The cut-off is exactly N years before the reference date. */
  StaffPostFact edge[] = {{"干部", "", 101, "明澜市住建局", "", "2020-03-02"}};
  StaffFacts s3 = {.id = 3, .posts = edge, .n_posts = 1};
  assert_int_equal(avoid_check(&s3, &ctx, &h), 0);
  assert_null(h);
  edge[0].to_date = "2020-03-03";
  n = avoid_check(&s3, &ctx, &h);
  assert_int_equal(n, 1);
  assert_string_equal(h[0].fact, "回避：曾在明澜市住建局任职至 2020-03（5 年内）");
  avoid_hits_free(h, n);
}

static void test_avoid_relative_and_office(void **state) {
  (void)state;
  StaffTieFact ties[] = {
      {"relative", 102, "明澜市第三中学", "配偶任副校长", "", ""},
      {"relative", 101, "明澜市住建局", "兄长任科长", "", "2024-12-31"},
      {"other", 101, "明澜市住建局", "同学", "", ""},
  };
  StaffFacts s = {.id = 4, .office_id = 7, .office_name = "第三派驻组",
                  .ties = ties, .n_ties = 3};
  AvoidCtx ctx = {units, 2, "2025-03-03", 5};
  AvoidHit *h = NULL;
  size_t n = avoid_check(&s, &ctx, &h);
  /* The brother left before the round; "other" ties are no rule. */
  assert_int_equal(n, 2);
  assert_int_equal(h[0].rule->rule, AVOID_RELATIVE);
  assert_string_equal(h[0].fact, "回避：亲属在明澜市第三中学任职（配偶任副校长）");
  assert_int_equal(h[1].rule->rule, AVOID_SUPERVISED);
  assert_string_equal(h[1].rule->code, "supervised_by_own_office");
  assert_string_equal(h[1].fact,
                      "回避：明澜市住建局由本人所在的市纪委监委第三派驻纪检监察组监督");
  assert_int_equal(h[1].unit_id, 101);
  avoid_hits_free(h, n);
  /* No office, no supervision rule. */
  s.office_id = 0;
  s.n_ties = 0;
  assert_int_equal(avoid_check(&s, &ctx, &h), 0);
  assert_non_null(avoid_rule_by_code("relative_in_unit"));
  assert_null(avoid_rule_by_code("x"));
}

/* ---- ranking ---- */

static void test_ranking(void **state) {
  (void)state;
  const char *posts_need[] = {"县区纪委常务副书记工作经历"};
  const char *exp_need[] = {"财务", "工程"};
  StaffNeed need = {posts_need, 1, exp_need, 2, "2025-03-03", "2025-05-30", 9};

  /* A: the post, both tags, fully available, free → 40+40+30+10 = 120. */
  StaffPostFact pa[] = {{"县区纪委常务副书记", "北岭县纪委监委", 0, "",
                         "2018-01-01", "2021-12-31"}};
  const char *ea[] = {"财务", "工程"};
  StaffWindow wa[] = {{"2025-01-01", "2025-12-31"}};
  StaffFacts a = {.id = 10, .name = "甲", .posts = pa, .n_posts = 1,
                  .expertise = ea, .n_expertise = 2, .windows = wa,
                  .n_windows = 1};
  /* B: no post, one tag, partly available, busy → 0+20+15-50 = -15. */
  const char *eb[] = {"财务审计"};
  StaffWindow wb[] = {{"2025-04-01", "2025-12-31"}};
  StaffBusy bb[] = {{3, "五届市委第二轮巡察", "第一巡察组", "2025-02-01",
                     "2025-04-15"}};
  StaffFacts b = {.id = 11, .name = "乙", .expertise = eb, .n_expertise = 1,
                  .windows = wb, .n_windows = 1, .busy = bb, .n_busy = 1};
  /* C: the post and all tags but under 回避 → ranked last. */
  StaffPostFact pc[] = {{"县区纪委常务副书记", "", 101, "明澜市住建局",
                         "2021-01-01", "2023-12-31"}};
  StaffFacts c = {.id = 12, .name = "丙", .posts = pc, .n_posts = 1,
                  .expertise = ea, .n_expertise = 2, .windows = wa,
                  .n_windows = 1};
  /* D: nothing registered → 0 + 0 + 0 + 10 = 10; busy only on this team. */
  StaffBusy bd[] = {{9, "五届市委第三轮巡察", "第二巡察组", "2025-03-03",
                     "2025-05-30"}};
  StaffFacts d = {.id = 13, .name = "丁", .busy = bd, .n_busy = 1};

  AvoidCtx ctx = {units, 1, "2025-03-03", 5};
  Candidate cs[4];
  staffing_score(&b, &need, &ctx, &cs[0]);
  staffing_score(&c, &need, &ctx, &cs[1]);
  staffing_score(&d, &need, &ctx, &cs[2]);
  staffing_score(&a, &need, &ctx, &cs[3]);
  staffing_rank(cs, 4);
  assert_int_equal(cs[0].staff->id, 10);
  assert_int_equal(cs[0].score, 120);
  assert_int_equal(cs[1].staff->id, 13);
  assert_int_equal(cs[1].score, 10);
  assert_int_equal(cs[2].staff->id, 11);
  assert_int_equal(cs[2].score, -15);
  assert_int_equal(cs[3].staff->id, 12);
  assert_true(cs[3].avoid);
  assert_int_equal(cs[3].score, 120); /* a high score does not lift 回避 */

  /* The reasons, one per component, in Chinese. */
  assert_int_equal(cs[0].n_lines, 4);
  assert_string_equal(cs[0].lines[0].component, "post");
  assert_string_equal(cs[0].lines[0].text,
                      "具有“县区纪委常务副书记工作经历”（县区纪委常务副书记，"
                      "北岭县纪委监委，2018-01 至 2021-12）");
  assert_int_equal(cs[0].lines[0].points, 40);
  assert_string_equal(cs[0].lines[1].text, "专长符合：财务、工程");
  assert_int_equal(cs[0].lines[1].points, 40);
  assert_string_equal(cs[0].lines[2].text,
                      "可用时间 2025-01-01 至 2025-12-31 覆盖巡察期");
  assert_string_equal(cs[0].lines[3].text, "同期未在其他巡察组任职");

  assert_string_equal(cs[2].lines[0].text, "无“县区纪委常务副书记工作经历”");
  assert_int_equal(cs[2].lines[0].points, 0);
  assert_string_equal(cs[2].lines[1].text, "专长符合：财务；缺少专长：工程");
  assert_string_equal(cs[2].lines[2].text,
                      "可用时间 2025-04-01 至 2025-12-31 仅部分覆盖巡察期");
  assert_int_equal(cs[2].lines[2].points, 15);
  assert_string_equal(cs[2].lines[3].text,
                      "已在五届市委第二轮巡察第一巡察组任职（2025-02-01 至 "
                      "2025-04-15），与巡察期重叠");
  assert_int_equal(cs[2].lines[3].points, -50);

  assert_string_equal(cs[1].lines[2].text, "未登记可用时间");

  assert_int_equal(cs[3].n_hits, 1);
  assert_string_equal(cs[3].lines[cs[3].n_lines - 1].text,
                      "回避：2021-01 至 2023-12 曾在明澜市住建局任职（5 年内）"
                      "（任职回避）");
  for (int i = 0; i < 4; i++) candidate_clear(&cs[i]);
}

static void test_post_match_and_split(void **state) {
  (void)state;
  assert_true(staffing_post_matches("县区纪委常务副书记",
                                    "县区纪委常务副书记工作经历"));
  assert_true(staffing_post_matches("派驻纪检监察组组长", "派驻纪检监察组组长"));
  assert_true(staffing_post_matches("市纪委派驻纪检监察组组长",
                                    "派驻纪检监察组组长经历"));
  assert_false(staffing_post_matches("审计局科员", "县区纪委常务副书记"));
  assert_false(staffing_post_matches("", "x"));
  char **v;
  size_t n = staffing_split(" 财务、 工程，审计;;案件查办\n\u3000巡察 ", &v);
  assert_int_equal(n, 5);
  assert_string_equal(v[0], "财务");
  assert_string_equal(v[1], "工程");
  assert_string_equal(v[2], "审计");
  assert_string_equal(v[3], "案件查办");
  assert_string_equal(v[4], "巡察");
  strv_free(v, n);
  assert_int_equal(staffing_split("", &v), 0);
  assert_null(v);
}

/* ---- training ---- */

static void test_training_rules(void **state) {
  (void)state;
  int64_t m;
  Buf err = BUF_INIT;
  assert_int_equal(training_parse_hours("3", &m), 0);
  assert_int_equal(m, 180);
  assert_int_equal(training_parse_hours("1.5", &m), 0);
  assert_int_equal(m, 90);
  assert_int_equal(training_parse_hours("0.25", &m), 0);
  assert_int_equal(m, 15);
  assert_int_equal(training_parse_hours("0", &m), -1);
  assert_int_equal(training_parse_hours("-1", &m), -1);
  assert_int_equal(training_parse_hours("abc", &m), -1);
  assert_int_equal(training_parse_hours("1.234", &m), -1);
  assert_int_equal(training_parse_hours("1000", &m), -1);
  char h[32];
  training_hours_text(90, h);
  assert_string_equal(h, "1.5");
  training_hours_text(180, h);
  assert_string_equal(h, "3");
  assert_string_equal(training_side_label("audit"), "审计");
  assert_null(training_side_label("x"));
  TrainingIn in = {"“纪巡审”干部集中学习培训班", "2025-05-27", "6"};
  const char *field;
  assert_int_equal(training_check(&in, &m, &err, &field), 0);
  assert_int_equal(m, 360);
  in.title = "";
  assert_int_equal(training_check(&in, &m, &err, &field), -1);
  assert_string_equal(field, "title");
  in.title = "x";
  in.date = "2025-13-01";
  assert_int_equal(training_check(&in, &m, &err, &field), -1);
  assert_string_equal(field, "date");
  buf_release(&err);
}

/* ---- the database operations (SQLite and PostgreSQL) ---- */

#include "domain/settings.h"

#define T0 1735689600 /* 2025-01-01T00:00:00Z */

/* The fixture's rows (ids are fixed so tests can name them). */
enum { U_HOUSING = 1, U_S03 = 2, U_BL_EDU = 3, U_S01 = 4 };
enum { S_A = 1, S_B, S_C, S_D, S_E, S_F };
enum { OFF_PZ3 = 1, OFF_JJ1 = 2 };

typedef struct Fx {
  char *dir, *loc;
  Db *db;
  int64_t xcb, ldxz, lxs; /* user ids */
} Fx;

static const char *const fixture_sql[] = {
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML', NULL, '明澜市', 'city', 0)",
    "INSERT INTO jurisdiction(code, parent_code, name, level, created_at) "
    "VALUES ('ML.BL', 'ML', '北岭县', 'county', 0)",
    "INSERT INTO office(id, code, jurisdiction_code, name, kind, created_at) "
    "VALUES (1, 'ML.PZ3', 'ML', '市纪委监委派驻住建局纪检监察组', "
    "'stationed', 0)",
    "INSERT INTO office(id, code, jurisdiction_code, name, kind, created_at) "
    "VALUES (2, 'ML.JJ1', 'ML', '市纪委监委第一监督检查室', 'supervision', 0)",
    "INSERT INTO sector_tag(code, name, created_at) VALUES ('edu', '教育', 0)",
    "INSERT INTO sector_tag(code, name, created_at) VALUES ('housing', '住建', "
    "0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, "
    "supervising_office_id, created_at, updated_at) VALUES (1, "
    "'ML-HOUSING', '明澜市住建局', 'ML', 'city', 1, 0, 0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (2, 'ML-EDU-S03', '明澜市第三中学', 'ML', 'city', 0, "
    "0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (3, 'BL-EDU', '北岭县教育局', 'ML.BL', 'county', 0, "
    "0)",
    "INSERT INTO unit(id, code, name, jurisdiction_code, level, created_at, "
    "updated_at) VALUES (4, 'ML-EDU-S01', '明澜市第一中学', 'ML', 'city', 0, "
    "0)",
    "INSERT INTO unit_sector(unit_id, tag_code) VALUES (1, 'housing')",
    "INSERT INTO unit_sector(unit_id, tag_code) VALUES (2, 'edu')",
    "INSERT INTO unit_sector(unit_id, tag_code) VALUES (3, 'edu')",
    "INSERT INTO unit_sector(unit_id, tag_code) VALUES (4, 'edu')",
    "INSERT INTO staff(id, code, name, office_id, jurisdiction_code, post, "
    "created_at, updated_at) VALUES (1, 'S1', '甲', 2, 'ML', '副主任', 0, 0)",
    "INSERT INTO staff(id, code, name, office_id, jurisdiction_code, "
    "created_at, updated_at) VALUES (2, 'S2', '乙', 2, 'ML', 0, 0)",
    "INSERT INTO staff(id, code, name, office_id, jurisdiction_code, "
    "created_at, updated_at) VALUES (3, 'S3', '丙', 2, 'ML', 0, 0)",
    "INSERT INTO staff(id, code, name, office_id, jurisdiction_code, "
    "created_at, updated_at) VALUES (4, 'S4', '丁', 1, 'ML', 0, 0)",
    "INSERT INTO staff(id, code, name, office_id, jurisdiction_code, "
    "created_at, updated_at) VALUES (5, 'S5', '戊', NULL, 'ML.BL', 0, 0)",
    "INSERT INTO staff(id, code, name, office_id, jurisdiction_code, "
    "created_at, updated_at) VALUES (6, 'S6', '己', 2, 'ML', 0, 0)",
    "INSERT INTO staff_post(staff_id, title, org_name, from_date, to_date) "
    "VALUES (1, '县区纪委常务副书记', '北岭县纪委监委', '2018-01-01', "
    "'2021-12-31')",
    "INSERT INTO staff_post(staff_id, title, unit_id, from_date, to_date) "
    "VALUES (2, '副局长', 1, '2022-03-01', '2024-08-31')",
    "INSERT INTO staff_post(staff_id, title, unit_id, from_date, to_date) "
    "VALUES (6, '科长', 1, '2015-01-01', '2019-06-30')",
    "INSERT INTO staff_tie(staff_id, unit_id, kind, note) VALUES (3, 1, "
    "'relative', '配偶任副局长')",
    "INSERT INTO staff_expertise(staff_id, tag) VALUES (1, '财务')",
    "INSERT INTO staff_expertise(staff_id, tag) VALUES (1, '工程')",
    "INSERT INTO staff_expertise(staff_id, tag) VALUES (6, '财务')",
    "INSERT INTO staff_availability(staff_id, from_date, to_date) VALUES "
    "(1, '2025-01-01', '2025-12-31')",
    "INSERT INTO staff_availability(staff_id, from_date, to_date) VALUES "
    "(6, '2025-04-01', '2025-12-31')",
};

static int64_t add_user(Db *db, const char *login) {
  Stmt *st = db_prepare(db,
                        "INSERT INTO app_user(login, display_name, "
                        "jurisdiction_code, status, password_hash, "
                        "password_changed_at, created_at) VALUES (?, ?, 'ML', "
                        "'active', 'x', 0, 0) RETURNING id");
  assert_non_null(st);
  db_bind_text(st, 1, login);
  db_bind_text(st, 2, login);
  assert_int_equal(db_step(st), DB_ROW);
  int64_t id = db_column_int64(st, 0);
  db_finalize(st);
  return id;
}

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  if (pg) {
    fx->loc = unit_pg_fresh_url();
  } else {
    fx->dir = unit_tmpdir();
    fx->loc = xasprintf("%s/test.db", fx->dir);
  }
  if (db_open(fx->loc, &fx->db, &err) != 0)
    fail_msg("db_open %s: %s", fx->loc, buf_str(&err));
  if (db_migrate(fx->db, &applied, &err) != DB_OK)
    fail_msg("migrate: %s", buf_str(&err));
  buf_release(&err);
  clock_set(T0);
  for (size_t i = 0; i < JX_COUNT(fixture_sql); i++)
    if (db_exec(fx->db, fixture_sql[i]) != DB_OK)
      fail_msg("%s: %s", fixture_sql[i], db_errmsg(fx->db));
  if (pg) {
    /* Explicit ids leave the sequences behind: move them on. */
    static const char *const seqs[] = {
        "SELECT setval(pg_get_serial_sequence('office', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('unit', 'id'), 100)",
        "SELECT setval(pg_get_serial_sequence('staff', 'id'), 100)"};
    for (size_t i = 0; i < JX_COUNT(seqs); i++)
      if (db_exec(fx->db, seqs[i]) != DB_OK)
        fail_msg("%s: %s", seqs[i], db_errmsg(fx->db));
  }
  fx->xcb = add_user(fx->db, "xcb");
  fx->ldxz = add_user(fx->db, "ldxz");
  fx->lxs = add_user(fx->db, "lxs");
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

/* Read round id back (no jurisdiction fence). */
static void load_round(Fx *fx, int64_t id, Round *r) {
  Stmt *st = db_stmt(fx->db, STMT_RND_GET);
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, 1);
  db_bind_null(st, 3);
  db_bind_int64(st, 4, 0);
  db_bind_null(st, 5);
  assert_int_equal(db_step(st), DB_ROW);
  round_read_row(st, r);
  db_reset(st);
}

static void load_team(Fx *fx, int64_t id, Team *t) {
  Stmt *st = db_stmt(fx->db, STMT_RND_TEAM_GET_PLAIN);
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  team_read_row(st, t);
  db_reset(st);
}

static void load_sreq(Fx *fx, int64_t id, StaffingRequest *q) {
  Stmt *st = db_stmt(fx->db, STMT_RND_SREQ_GET_PLAIN);
  db_bind_int64(st, 1, id);
  assert_int_equal(db_step(st), DB_ROW);
  sreq_read_row(st, q);
  db_reset(st);
}

/* A round of ML (sector "" or a code) with units; returns its id. */
static int64_t make_round(Fx *fx, int64_t number, const char *sector,
                          const char *start, const char *end) {
  Buf err = BUF_INIT;
  const char *field;
  int64_t id;
  RoundIn in = {NULL, 5, number, "regular", sector, "ML", start, end};
  if (round_create(fx->db, fx->xcb, &in, &id, &field, &err) != ROUND_OK)
    fail_msg("round_create: %s", buf_str(&err));
  buf_release(&err);
  return id;
}

/* A team of round rid covering unit (0: none); returns its id. */
static int64_t make_team(Fx *fx, int64_t rid, const char *name,
                         int64_t unit) {
  Buf err = BUF_INIT;
  const char *field;
  int64_t id;
  Round r;
  Team t;
  load_round(fx, rid, &r);
  if (unit) {
    RoundResult res = round_add_unit(fx->db, fx->xcb, &r, unit, "", &err);
    if (res != ROUND_OK && res != ROUND_ECONFLICT)
      fail_msg("round_add_unit: %s", buf_str(&err));
    buf_clear(&err);
  }
  assert_int_equal(team_create(fx->db, &r, name, "", &id, &field, &err),
                   ROUND_OK);
  if (unit) {
    load_team(fx, id, &t);
    if (team_add_unit(fx->db, &t, unit, &err) != ROUND_OK)
      fail_msg("team_add_unit: %s", buf_str(&err));
    team_clear(&t);
  }
  round_clear(&r);
  buf_release(&err);
  return id;
}

static void test_db_phases(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  const char *field;
  int64_t id, dup;
  int64_t rid = make_round(fx, 3, "", "2025-03-03", "2025-05-30");
  Round r;
  load_round(fx, rid, &r);
  assert_string_equal(r.title, "五届市委第三轮巡察");
  assert_string_equal(r.jurisdiction_name, "明澜市");
  /* One round per jurisdiction, term and number. */
  RoundIn again = {"重复", 5, 3, "regular", "", "ML", "", ""};
  assert_int_equal(round_create(fx->db, fx->xcb, &again, &dup, &field, &err),
                   ROUND_ECONFLICT);
  assert_string_equal(field, "number");
  buf_clear(&err);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &r, U_HOUSING,
                                  "2025-02-20", &err),
                   ROUND_OK);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &r, U_HOUSING, "", &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  /* Skipping 了解 is refused and changes nothing. */
  int from, to;
  assert_int_equal(round_advance(fx->db, fx->xcb, &r, U_HOUSING, "report",
                                 "2025-03-03", &from, &to, &err),
                   ROUND_ECONFLICT);
  assert_int_equal(from, PHASE_PREP);
  assert_string_equal(buf_str(&err),
                      "巡察阶段须依次推进：“准备”之后应为“了解”，不能跳至“报告”");
  buf_clear(&err);
  /* A date before the current phase began is refused. */
  assert_int_equal(round_advance(fx->db, fx->xcb, &r, U_HOUSING,
                                 "understand", "2025-02-01", NULL, NULL,
                                 &err),
                   ROUND_EINVALID);
  buf_clear(&err);
  assert_int_equal(round_advance(fx->db, fx->xcb, &r, U_HOUSING,
                                 "understand", "2025-03-03", NULL, NULL,
                                 &err),
                   ROUND_OK);
  /* Backward is refused. */
  assert_int_equal(round_advance(fx->db, fx->xcb, &r, U_HOUSING, "prepare", "",
                                 NULL, NULL, &err),
                   ROUND_ECONFLICT);
  assert_string_equal(buf_str(&err),
                      "巡察阶段只能向前推进，不能从“了解”退回“准备”");
  buf_clear(&err);
  RoundUnit *u;
  size_t n;
  assert_int_equal(round_units_load(fx->db, rid, &u, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(u[0].phase, PHASE_LEARN);
  assert_string_equal(u[0].entered_on, "2025-03-03");
  assert_int_equal(u[0].n_steps, 2);
  assert_int_equal(u[0].steps[0].phase, PHASE_PREP);
  assert_string_equal(u[0].steps[0].entered_on, "2025-02-20");
  assert_int_equal(u[0].steps[1].phase, PHASE_LEARN);
  round_units_free(u, n);
  /* A unit past 准备 stays in the round. */
  assert_int_equal(round_remove_unit(fx->db, &r, U_HOUSING, &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  /* A county unit is outside a city round?  No: the subtree includes it.
   * But a county round cannot take a city unit. */
  RoundIn county = {NULL, 2, 1, "regular", "", "ML.BL", "", ""};
  assert_int_equal(round_create(fx->db, fx->xcb, &county, &id, &field, &err),
                   ROUND_OK);
  Round cr;
  load_round(fx, id, &cr);
  assert_string_equal(cr.title, "二届县委第一轮巡察");
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &cr, U_S01, "", &err),
                   ROUND_EINVALID);
  assert_non_null(strstr(buf_str(&err), "不在本轮巡察的辖区"));
  buf_clear(&err);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &cr, U_BL_EDU, "", &err),
                   ROUND_OK);
  assert_int_equal(round_remove_unit(fx->db, &cr, U_BL_EDU, &err), ROUND_OK);
  round_clear(&cr);
  /* 同批次系统巡察: a sector round takes only that sector's units. */
  int64_t eid = make_round(fx, 4, "edu", "", "");
  Round er;
  load_round(fx, eid, &er);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &er, U_HOUSING, "", &err),
                   ROUND_EINVALID);
  assert_string_equal(buf_str(&err),
                      "本轮为“教育”系统同批次巡察，明澜市住建局不属于该系统");
  buf_clear(&err);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &er, U_S03, "", &err),
                   ROUND_OK);
  round_clear(&er);
  round_clear(&r);
  buf_release(&err);
}

static void test_db_avoid(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t rid = make_round(fx, 3, "", "2025-03-03", "2025-05-30");
  int64_t tid = make_team(fx, rid, "第一巡察组", U_HOUSING);
  Team t;
  load_team(fx, tid, &t);
  AvoidHit *h;
  size_t n;
  /* Rule 1: worked there within 5 years. */
  assert_int_equal(team_add_member(fx->db, &t, S_B, "member", 0, &h, &n, &err),
                   ROUND_EAVOID);
  assert_int_equal(n, 1);
  assert_string_equal(h[0].rule->code, "worked_in_unit");
  assert_string_equal(buf_str(&err),
                      "乙须回避，不能加入第一巡察组：回避：2022-03 至 2024-08 "
                      "曾在明澜市住建局任职（5 年内）（任职回避）");
  avoid_hits_free(h, n);
  buf_clear(&err);
  /* Rule 2: a declared relative works there. */
  assert_int_equal(team_add_member(fx->db, &t, S_C, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_EAVOID);
  assert_non_null(strstr(buf_str(&err),
                         "回避：亲属在明澜市住建局任职（配偶任副局长）（亲属回避）"));
  buf_clear(&err);
  /* Rule 3: the unit is supervised by the staff member's own office. */
  assert_int_equal(team_add_member(fx->db, &t, S_D, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_EAVOID);
  assert_non_null(strstr(buf_str(&err),
                         "回避：明澜市住建局由本人所在的市纪委监委派驻住建局纪检"
                         "监察组监督（派驻监督回避）"));
  buf_clear(&err);
  /* The setting moves the window: 己 left in 2019-06, 5 years → clear. */
  assert_int_equal(team_add_member(fx->db, &t, S_F, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  assert_int_equal(team_remove_member(fx->db, &t, S_F, &err), ROUND_OK);
  assert_int_equal(setting_put(fx->db, "org.avoid_years", "6", &err), 0);
  assert_int_equal(team_add_member(fx->db, &t, S_F, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_EAVOID);
  assert_non_null(strstr(buf_str(&err), "（6 年内）"));
  buf_clear(&err);
  /* Nothing was written by the refusals. */
  assert_int_equal(team_avoid_hits(fx->db, &t, S_A, &h, &n), DB_OK);
  assert_int_equal(n, 0);
  assert_int_equal(team_add_member(fx->db, &t, S_A, "leader", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  /* One leader per team; no one twice. */
  assert_int_equal(team_add_member(fx->db, &t, S_E, "leader", 0, NULL, NULL,
                                   &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  assert_int_equal(team_add_member(fx->db, &t, S_A, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  /* A unit a member must avoid cannot be given to the team. */
  int64_t t2 = make_team(fx, rid, "第二巡察组", 0);
  Team tt;
  load_team(fx, t2, &tt);
  assert_int_equal(team_add_member(fx->db, &tt, S_D, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  Round r;
  load_round(fx, rid, &r);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &r, U_S01, "", &err),
                   ROUND_OK);
  assert_int_equal(team_add_unit(fx->db, &tt, U_S01, &err), ROUND_OK);
  /* U_HOUSING already belongs to 第一巡察组. */
  assert_int_equal(team_add_unit(fx->db, &tt, U_HOUSING, &err),
                   ROUND_ECONFLICT);
  assert_non_null(strstr(buf_str(&err), "已由第一巡察组负责"));
  buf_clear(&err);
  int64_t t3 = make_team(fx, rid, "第三巡察组", 0);
  Team t3t;
  load_team(fx, t3, &t3t);
  assert_int_equal(team_add_member(fx->db, &t3t, S_D, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  RoundResult res = team_add_unit(fx->db, &t3t, U_HOUSING, &err);
  assert_int_equal(res, ROUND_ECONFLICT); /* taken comes first */
  buf_clear(&err);
  team_clear(&t3t);
  round_clear(&r);
  team_clear(&tt);
  team_clear(&t);
  buf_release(&err);
}

static void test_db_avoid_unit_add(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t rid = make_round(fx, 3, "", "2025-03-03", "2025-05-30");
  int64_t tid = make_team(fx, rid, "第一巡察组", 0);
  Round r;
  Team t;
  load_round(fx, rid, &r);
  load_team(fx, tid, &t);
  assert_int_equal(team_add_member(fx->db, &t, S_D, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  assert_int_equal(round_add_unit(fx->db, fx->xcb, &r, U_HOUSING, "", &err),
                   ROUND_OK);
  assert_int_equal(team_add_unit(fx->db, &t, U_HOUSING, &err), ROUND_EAVOID);
  assert_string_equal(buf_str(&err),
                      "组员丁须回避明澜市住建局，不能让本组负责该单位：回避："
                      "明澜市住建局由本人所在的市纪委监委派驻住建局纪检监察组"
                      "监督（派驻监督回避）");
  /* Refused before anything was written. */
  Stmt *st = db_stmt(fx->db, STMT_RND_TEAM_UNITS);
  db_bind_int64(st, 1, tid);
  assert_int_equal(db_step(st), DB_DONE);
  db_reset(st);
  round_clear(&r);
  team_clear(&t);
  buf_release(&err);
}

static void test_db_override(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  int64_t rid = make_round(fx, 3, "", "2025-03-03", "2025-05-30");
  int64_t tid = make_team(fx, rid, "第一巡察组", U_HOUSING);
  Team t;
  load_team(fx, tid, &t);
  int64_t oid, other;
  /* No exception for someone the rules let in. */
  assert_int_equal(override_request(fx->db, fx->xcb, &t, S_A, "member", 0,
                                    "熟悉业务", &other, &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  assert_int_equal(override_request(fx->db, fx->xcb, &t, S_B, "member", 0, "",
                                    &other, &err),
                   ROUND_EINVALID);
  buf_clear(&err);
  assert_int_equal(override_request(fx->db, fx->xcb, &t, S_B, "deputy", 0,
                                    "熟悉住建领域，已离任", &oid, &err),
                   ROUND_OK);
  assert_int_equal(override_request(fx->db, fx->xcb, &t, S_B, "deputy", 0,
                                    "再次申请", &other, &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  Stmt *st = db_stmt(fx->db, STMT_RND_OVR_GET);
  db_bind_int64(st, 1, oid);
  ntk_bind_jur(st, 2, &(NtkSubject){.user_id = fx->ldxz}, SCOPE_ALL);
  assert_int_equal(db_step(st), DB_ROW);
  AvoidOverride o;
  override_read_row(st, &o);
  db_reset(st);
  assert_string_equal(o.rule, "worked_in_unit");
  assert_string_equal(o.fact, "回避：2022-03 至 2024-08 曾在明澜市住建局任职"
                              "（5 年内）（任职回避）");
  assert_string_equal(o.status, "pending");
  /* The requester may not approve their own request; a rejection needs a
   * reason. */
  assert_int_equal(override_decide(fx->db, fx->xcb, &o, 1, "", &err),
                   ROUND_EFORBIDDEN);
  buf_clear(&err);
  assert_int_equal(override_decide(fx->db, fx->ldxz, &o, 0, "", &err),
                   ROUND_EINVALID);
  buf_clear(&err);
  assert_int_equal(override_decide(fx->db, fx->ldxz, &o, 1, "同意", &err),
                   ROUND_OK);
  st = db_stmt(fx->db, STMT_RND_TEAM_MEMBERS);
  db_bind_int64(st, 1, tid);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_int64(st, 0), S_B);
  assert_string_equal(db_column_text(st, 4), "deputy");
  assert_int_equal(db_column_int64(st, 6), oid);
  db_reset(st);
  /* Decided once only. */
  assert_int_equal(override_decide(fx->db, fx->ldxz, &o, 1, "", &err),
                   ROUND_ECONFLICT);
  override_clear(&o);
  team_clear(&t);
  buf_release(&err);
}

static void test_db_ranking(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  const char *field;
  int64_t rid = make_round(fx, 3, "", "2025-03-03", "2025-05-30");
  int64_t tid = make_team(fx, rid, "第一巡察组", U_HOUSING);
  Team t;
  load_team(fx, tid, &t);
  StaffingRequestIn in = {"组长人选 1 名，具有县区纪委常务副书记工作经历",
                          "县区纪委常务副书记工作经历", "财务", "1",
                          "leader", "", ""};
  int64_t qid;
  assert_int_equal(sreq_create(fx->db, fx->xcb, &t, &in, &qid, &field, &err),
                   ROUND_OK);
  StaffingRequestIn bad = in;
  bad.count = "0";
  int64_t x;
  assert_int_equal(sreq_create(fx->db, fx->xcb, &t, &bad, &x, &field, &err),
                   ROUND_EINVALID);
  assert_string_equal(field, "count");
  buf_clear(&err);
  StaffingRequest q;
  load_sreq(fx, qid, &q);
  assert_string_equal(sreq_from(&q), "2025-03-03");
  StaffFacts *f;
  Candidate *c;
  size_t n;
  assert_int_equal(sreq_candidates(fx->db, &q, &f, &c, &n), DB_OK);
  assert_int_equal(n, 6); /* 戊 (北岭县) is inside the city's subtree */
  /* 甲: post 40 + 财务 20 + available 30 + free 10. */
  assert_int_equal(c[0].staff->id, S_A);
  assert_int_equal(c[0].score, 100);
  assert_string_equal(c[0].lines[0].text,
                      "具有“县区纪委常务副书记工作经历”（县区纪委常务副书记，"
                      "北岭县纪委监委，2018-01 至 2021-12）");
  /* 己: 财务 20 + partly available 15 + free 10. */
  assert_int_equal(c[1].staff->id, S_F);
  assert_int_equal(c[1].score, 45);
  assert_string_equal(c[1].lines[0].text, "无“县区纪委常务副书记工作经历”");
  /* 戊: free 10 only. */
  assert_int_equal(c[2].staff->id, S_E);
  assert_int_equal(c[2].score, 10);
  /* 乙 丙 丁 must avoid: last, in id order. */
  assert_true(c[3].avoid && c[4].avoid && c[5].avoid);
  assert_int_equal(c[3].staff->id, S_B);
  assert_int_equal(c[4].staff->id, S_C);
  assert_int_equal(c[5].staff->id, S_D);
  candidates_free(f, c, n);
  /* Selecting someone who must avoid is refused with the fact. */
  AvoidHit *h;
  size_t nh;
  assert_int_equal(sreq_answer(fx->db, fx->lxs, &q, S_C, &h, &nh, &err),
                   ROUND_EAVOID);
  assert_int_equal(nh, 1);
  assert_string_equal(h[0].rule->code, "relative_in_unit");
  avoid_hits_free(h, nh);
  buf_clear(&err);
  assert_int_equal(sreq_answer(fx->db, fx->lxs, &q, S_A, NULL, NULL, &err),
                   ROUND_OK);
  sreq_clear(&q);
  load_sreq(fx, qid, &q);
  assert_string_equal(q.status, "answered");
  assert_int_equal(q.n_answers, 1);
  assert_int_equal(sreq_answer(fx->db, fx->lxs, &q, S_E, NULL, NULL, &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  sreq_clear(&q);
  /* In an overlapping round, 甲 is busy: −50 and a reason naming the team. */
  int64_t r2 = make_round(fx, 4, "", "2025-05-01", "2025-07-31");
  int64_t t2 = make_team(fx, r2, "第一巡察组", U_S01);
  Team tt;
  load_team(fx, t2, &tt);
  StaffingRequestIn in2 = {"财务 1 名", "", "财务", "1", "member", "", ""};
  assert_int_equal(sreq_create(fx->db, fx->xcb, &tt, &in2, &qid, &field,
                               &err),
                   ROUND_OK);
  load_sreq(fx, qid, &q);
  assert_int_equal(sreq_candidates(fx->db, &q, &f, &c, &n), DB_OK);
  assert_int_equal(c[0].staff->id, S_F); /* 20 + 30 + 10 */
  assert_int_equal(c[0].score, 60);
  size_t a = 0;
  while (a < n && c[a].staff->id != S_A) a++;
  assert_true(a < n);
  assert_int_equal(c[a].score, 20 + 30 - 50);
  assert_string_equal(c[a].lines[c[a].n_lines - 1].text,
                      "已在五届市委第三轮巡察第一巡察组任职（2025-03-03 至 "
                      "2025-05-30），与巡察期重叠");
  candidates_free(f, c, n);
  sreq_clear(&q);
  team_clear(&tt);
  team_clear(&t);
  buf_release(&err);
}

static void test_db_training(void **state) {
  Fx *fx = fx_get(state);
  Buf err = BUF_INIT;
  const char *field;
  int64_t id, cid;
  TrainingIn in = {"“纪巡审”干部集中学习培训班", "2025-05-27", "6"};
  TrainingLecturerIn lect[] = {{"甄讲一", "commission"},
                               {"甄讲二", "inspection"},
                               {"甄讲三", "audit"}};
  assert_int_equal(training_create(fx->db, fx->xcb, &in, "ML", lect, 0, &id,
                                   &field, &err),
                   ROUND_EINVALID);
  assert_string_equal(field, "lecturers");
  buf_clear(&err);
  TrainingLecturerIn badside[] = {{"甄讲四", "police"}};
  assert_int_equal(training_create(fx->db, fx->xcb, &in, "ML", badside, 1,
                                   &id, &field, &err),
                   ROUND_EINVALID);
  buf_clear(&err);
  assert_int_equal(training_create(fx->db, fx->xcb, &in, "ML", lect, 3, &id,
                                   &field, &err),
                   ROUND_OK);
  assert_int_equal(training_add_attendee(fx->db, id, "ML", S_A, &err),
                   ROUND_OK);
  assert_int_equal(training_add_attendee(fx->db, id, "ML", S_E, &err),
                   ROUND_OK); /* a county cadre at the city's class */
  assert_int_equal(training_add_attendee(fx->db, id, "ML", S_A, &err),
                   ROUND_ECONFLICT);
  buf_clear(&err);
  TrainingIn cin = {"北岭县巡察业务培训", "2025-06-01", "2.5"};
  assert_int_equal(training_create(fx->db, fx->xcb, &cin, "ML.BL", lect, 1,
                                   &cid, &field, &err),
                   ROUND_OK);
  assert_int_equal(training_add_attendee(fx->db, cid, "ML.BL", S_A, &err),
                   ROUND_EINVALID); /* a city cadre is not the county's */
  buf_clear(&err);
  /* The team view's training columns. */
  int64_t rid = make_round(fx, 3, "", "2025-03-03", "2025-05-30");
  int64_t tid = make_team(fx, rid, "第一巡察组", U_S01);
  Team t;
  load_team(fx, tid, &t);
  assert_int_equal(team_add_member(fx->db, &t, S_A, "leader", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  assert_int_equal(team_add_member(fx->db, &t, S_F, "member", 0, NULL, NULL,
                                   &err),
                   ROUND_OK);
  Stmt *st = db_stmt(fx->db, STMT_RND_TEAM_MEMBERS);
  db_bind_int64(st, 1, tid);
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_int64(st, 0), S_A);
  assert_int_equal(db_column_int64(st, 7), 1);
  assert_string_equal(db_column_text(st, 8),
                      "“纪巡审”干部集中学习培训班（2025-05-27）");
  assert_int_equal(db_step(st), DB_ROW);
  assert_int_equal(db_column_int64(st, 0), S_F);
  assert_int_equal(db_column_int64(st, 7), 0);
  db_reset(st);
  team_clear(&t);
  buf_release(&err);
}

#define BOTH(fn)                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown), \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_phase_table),
      cmocka_unit_test(test_phase_only_forward),
      cmocka_unit_test(test_round_names_and_input),
      cmocka_unit_test(test_avoid_worked),
      cmocka_unit_test(test_avoid_relative_and_office),
      cmocka_unit_test(test_ranking),
      cmocka_unit_test(test_post_match_and_split),
      cmocka_unit_test(test_training_rules),
      BOTH(test_db_phases),
      BOTH(test_db_avoid),
      BOTH(test_db_avoid_unit_add),
      BOTH(test_db_override),
      BOTH(test_db_ranking),
      BOTH(test_db_training),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
