/* clue.c: problem clue records — the code tables, recording and editing a
** clue with its persons, the denormalised counts, numbering and the
** need-to-know hooks (see clue.h).  The ledger query is in clue_ledger.c;
** the state machine in clue_flow.c; deadlines in clue_due.c. */
#include "domain/clue.h"

#include <stdlib.h>
#include <string.h>

#include "domain/clue_due.h"
#include "domain/org.h"
#include "domain/rounds.h"

const char *const clue_err_notfound = "问题线索不存在或无权查看";

int clue_http_status(ClueResult r) {
  switch (r) {
  case CLUE_OK: return 200;
  case CLUE_EINVALID: return 400;
  case CLUE_ENOTFOUND: return 404;
  case CLUE_EFORBIDDEN: return 403;
  case CLUE_ECONFLICT: return 409;
  case CLUE_EDB: break;
  }
  return 500;
}

/* ---- code tables ---- */

/* suggestion is terminal for the team (no action leads out of it), but
** it is not 办结: the flow writes no concluded_on for it. */
const ClueState clue_states[] = {
    {"draft", "待研判", "team", 0},
    {"reviewed", "已研判", "team", 0},
    {"pending", "移交审批中", "transfer", 0},
    {"suggestion", "已转整改建议", "team", 1},
    {"transferred", "已移交待接收", "transfer", 0},
    {"registered", "已登记", "commission", 0},
    {"assigned", "已分办", "commission", 0},
    {"proposed", "已拟处置意见", "commission", 0},
    {"talk", "谈话函询", "commission", 0},
    {"verify", "初步核实", "commission", 0},
    {"parked", "暂存待查", "commission", 0},
    {"investigating", "立案审查调查", "commission", 0},
    {"trial", "审理", "commission", 0},
    {"decided", "已作出处理决定", "commission", 0},
    {"external", "其他单位办理中", "external", 0},
    {"closed_direct", "直接了结", "commission", 1},
    {"closed_cleared", "查否了结", "commission", 1},
    {"first_form", "第一种形态处理", "commission", 1},
    {"to_party", "移送有关党组织", "commission", 1},
    {"withdrawn", "撤销案件", "commission", 1},
    {"concluded", "已办结", "commission", 1},
};
const size_t n_clue_states = JX_COUNT(clue_states);

const ClueState *clue_state(const char *code) {
  for (size_t i = 0; code && i < n_clue_states; i++)
    if (str_eq(clue_states[i].code, code)) return &clue_states[i];
  return NULL;
}

const ClueCode clue_categories[] = {
    {"political", "违反政治纪律"},
    {"organisational", "违反组织纪律"},
    {"integrity", "违反廉洁纪律"},
    {"mass", "违反群众纪律"},
    {"work", "违反工作纪律"},
    {"life", "违反生活纪律"},
    {"duty_illegal", "职务违法"},
    {"duty_crime", "职务犯罪"},
    {"appointment", "选人用人问题"},
    {"formalism", "形式主义官僚主义"},
    {"other", "其他问题"},
};
const size_t n_clue_categories = JX_COUNT(clue_categories);

const ClueCode clue_sources[] = {
    {"interview", "个别谈话"},
    {"documents", "查阅资料"},
    {"petition", "信访件"},
    {"visit", "实地走访"},
    {"questionnaire", "问卷调查"},
    {"hotline", "来电来信"},
    {"other", "其他"},
};
const size_t n_clue_sources = JX_COUNT(clue_sources);

/* 条例 2015 第28条 (DOMAIN §5.9). */
const ClueCode clue_destinations[] = {
    {"commission", "纪委监委"},
    {"organisation", "组织部"},
    {"other", "其他单位"},
};
const size_t n_clue_destinations = JX_COUNT(clue_destinations);

/* 规则 第21条 (DOMAIN §3.3). */
const ClueCode clue_disposals[] = {
    {"talk", "谈话函询"},
    {"verify", "初步核实"},
    {"park", "暂存待查"},
    {"close", "予以了结"},
};
const size_t n_clue_disposals = JX_COUNT(clue_disposals);

const ClueCode clue_sanction_kinds[] = {
    {"party", "党纪处分"},
    {"gov", "政务处分"},
    {"org", "组织处理"},
    {"account", "问责"},
    {"first_form", "第一种形态"},
    {"procuratorate", "移送检察机关"},
};
const size_t n_clue_sanction_kinds = JX_COUNT(clue_sanction_kinds);

/* Forms follow DOMAIN §5.6: 党纪轻处分 and 组织调整 are the second form,
** 党纪重处分 and 重大职务调整 the third.  Choices where the sources leave
** room: 政务处分 警告–降级 are second form, 撤职 and 开除 third (the
** weight of the matching 党纪 sanctions); 免职 is second form (it is on
** the statistics system's second-form list), 降职 third (a 重大职务调整);
** 问责 通报 and 诫勉 are first form (both on the first-form list).
** Only 党纪 and 政务 sanctions are announced and their execution
** reported (CCDI 审理室), so only they carry the deadlines. */
const ClueMeasure clue_measures[] = {
    {"party", "party_warning", "警告", 2, 1},
    {"party", "party_serious_warning", "严重警告", 2, 1},
    {"party", "party_remove_post", "撤销党内职务", 3, 1},
    {"party", "party_probation", "留党察看", 3, 1},
    {"party", "party_expel", "开除党籍", 3, 1},
    {"gov", "gov_warning", "警告", 2, 1},
    {"gov", "gov_demerit", "记过", 2, 1},
    {"gov", "gov_major_demerit", "记大过", 2, 1},
    {"gov", "gov_demotion", "降级", 2, 1},
    {"gov", "gov_dismissal", "撤职", 3, 1},
    {"gov", "gov_expel", "开除", 3, 1},
    {"org", "org_suspend", "停职检查", 2, 0},
    {"org", "org_reassign", "调整职务", 2, 0},
    {"org", "org_resign", "责令辞职", 2, 0},
    {"org", "org_remove", "免职", 2, 0},
    {"org", "org_demote", "降职", 3, 0},
    {"account", "account_check", "检查", 1, 0},
    {"account", "account_notice", "通报", 1, 0},
    {"account", "account_admonish", "诫勉", 1, 0},
    {"account", "account_adjust", "组织调整或者组织处理", 2, 0},
    {"first_form", "ff_remind", "谈话提醒", 1, 0},
    {"first_form", "ff_educate", "批评教育", 1, 0},
    {"first_form", "ff_check", "责令检查", 1, 0},
    {"first_form", "ff_admonish", "诫勉", 1, 0},
    {"procuratorate", "procuratorate", "移送检察机关", 4, 0},
};
const size_t n_clue_measures = JX_COUNT(clue_measures);

const ClueMeasure *clue_measure(const char *code) {
  for (size_t i = 0; code && i < n_clue_measures; i++)
    if (str_eq(clue_measures[i].code, code)) return &clue_measures[i];
  return NULL;
}

static const ClueCode *code_find(const ClueCode *t, size_t n,
                                 const char *code) {
  for (size_t i = 0; code && i < n; i++)
    if (str_eq(t[i].code, code)) return &t[i];
  return NULL;
}

const char *clue_code_label(const ClueCode *table, size_t n,
                            const char *code) {
  const ClueCode *c = code_find(table, n, code);
  return c ? c->label : code;
}

/* ---- the viewer ---- */

int clue_viewer_from_request(const struct Request *req, ClueViewer *v) {
  int rc = ntk_subject_from_request(req, &v->who);
  v->scope = rc == 0 ? policy_scope(v->who.roles, P_CLUE_READ) : SCOPE_NONE;
  return rc;
}

int clue_viewer_load(Db *db, int64_t user_id, const char *roles_csv,
                     ClueViewer *v) {
  int rc = ntk_subject_load(db, user_id, roles_csv, &v->who);
  v->scope = rc == 0 ? policy_scope(v->who.roles, P_CLUE_READ) : SCOPE_NONE;
  return rc;
}

/* ---- records ---- */

static char *col(Stmt *st, int i) {
  const char *s = db_column_text(st, i);
  return xstrdup(s ? s : "");
}

static void person_clear(CluePerson *p) {
  free(p->name);
  free(p->post);
  free(p->filed_party_on);
  free(p->filed_super_on);
  free(p->outcome_note);
}

void clue_clear(Clue *c) {
  if (!c) return;
  char **s[] = {&c->code, &c->kind, &c->state, &c->round_title,
                &c->team_name, &c->unit_name, &c->jurisdiction_code,
                &c->category, &c->source, &c->summary, &c->facts,
                &c->found_on, &c->destination, &c->destination_name,
                &c->destination_office, &c->transfer_no, &c->transferred_on,
                &c->register_no, &c->received_on, &c->handling_office,
                &c->handling_office_name, &c->assigned_on, &c->disposal,
                &c->disposal_on, &c->filed_on, &c->trial_on, &c->decided_on,
                &c->concluded_on, &c->outcome, &c->next_due_on,
                &c->next_due_kind, &c->persons_text, &c->created_by_name};
  for (size_t i = 0; i < JX_COUNT(s); i++) free(*s[i]);
  for (size_t i = 0; i < c->n_persons_loaded; i++) person_clear(&c->persons[i]);
  free(c->persons);
  memset(c, 0, sizeof *c);
}

/* The row of CLUE_GET into c (column order of stmts.def). */
static void clue_read(Stmt *st, Clue *c) {
  int i = 0;
  c->id = db_column_int64(st, i++);
  c->code = col(st, i++);
  c->kind = col(st, i++);
  c->state = col(st, i++);
  c->round_id = db_column_int64(st, i++);
  c->team_id = db_column_int64(st, i++);
  c->unit_id = db_column_int64(st, i++);
  c->round_title = col(st, i++);
  c->team_name = col(st, i++);
  c->unit_name = col(st, i++);
  c->jurisdiction_code = col(st, i++);
  c->category = col(st, i++);
  c->source = col(st, i++);
  c->summary = col(st, i++);
  c->facts = col(st, i++);
  c->cond_nature = (int)db_column_int64(st, i++);
  c->cond_evidence = (int)db_column_int64(st, i++);
  c->cond_facts = (int)db_column_int64(st, i++);
  c->found_on = col(st, i++);
  c->destination = col(st, i++);
  c->destination_name = col(st, i++);
  c->destination_office = col(st, i++);
  c->transfer_step = db_column_int64(st, i++);
  c->transfer_no = col(st, i++);
  c->transferred_on = col(st, i++);
  c->register_no = col(st, i++);
  c->received_on = col(st, i++);
  c->handling_office = col(st, i++);
  c->handling_office_name = col(st, i++);
  c->assigned_on = col(st, i++);
  c->disposal = col(st, i++);
  c->disposal_on = col(st, i++);
  c->filed_on = col(st, i++);
  c->trial_on = col(st, i++);
  c->decided_on = col(st, i++);
  c->concluded_on = col(st, i++);
  c->outcome = col(st, i++);
  c->n_persons = db_column_int64(st, i++);
  c->n_filed = db_column_int64(st, i++);
  c->n_sanctioned = db_column_int64(st, i++);
  c->n_procuratorate = db_column_int64(st, i++);
  c->n_detained = db_column_int64(st, i++);
  c->next_due_on = col(st, i++);
  c->next_due_kind = col(st, i++);
  c->persons_text = col(st, i++);
  c->created_by = db_column_int64(st, i++);
  c->created_by_name = col(st, i++);
  c->created_at = db_column_int64(st, i++);
  c->updated_at = db_column_int64(st, i++);
  c->full = db_column_int64(st, i++) == 1;
}

static int persons_load(Db *db, Clue *c) {
  Stmt *st = db_stmt(db, STMT_CLUE_PERSONS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, c->id);
  size_t cap = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (c->n_persons_loaded == cap) {
      cap = cap ? cap * 2 : 4;
      c->persons = xrealloc(c->persons, cap * sizeof *c->persons);
    }
    CluePerson *p = &c->persons[c->n_persons_loaded++];
    p->id = db_column_int64(st, 0);
    p->person_id = db_column_int64(st, 1);
    p->name = col(st, 2);
    p->post = col(st, 3);
    p->party_member = (int)db_column_int64(st, 4);
    p->supervisory_object = (int)db_column_int64(st, 5);
    p->filed_party_on = col(st, 6);
    p->filed_super_on = col(st, 7);
    p->outcome_note = col(st, 8);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

ClueResult clue_get(Db *db, const ClueViewer *v, int64_t id, Clue *c) {
  memset(c, 0, sizeof *c);
  if (v->who.user_id <= 0 || id <= 0) return CLUE_ENOTFOUND;
  Stmt *st = db_stmt(db, STMT_CLUE_GET);
  if (!st) return CLUE_EDB;
  int i = ntk_bind(st, 1, &v->who);
  db_bind_int64(st, i++, id);
  i = ntk_bind(st, i, &v->who);
  i = ntk_bind(st, i, &v->who);
  ntk_bind_jur(st, i, &v->who, v->scope);
  int rc = db_step(st);
  if (rc == DB_ROW) clue_read(st, c);
  db_reset(st);
  if (rc == DB_DONE) return CLUE_ENOTFOUND;
  if (rc != DB_ROW) return CLUE_EDB;
  if (c->full && persons_load(db, c) != DB_OK) {
    clue_clear(c);
    return CLUE_EDB;
  }
  return CLUE_OK;
}

/* ---- input ---- */

#define PERSON_NAME_MAX 30 /* characters */
#define PERSON_POST_MAX 60

int clue_text_check(const char *s, int required, size_t max,
                    const char *label, Buf *err) {
  if (!s) s = "";
  if (!utf8_valid(s, strlen(s))) {
    buf_printf(err, "%s含有无效字符", label);
    return -1;
  }
  int blank = 1;
  for (const char *p = s; *p; p++) {
    if (((unsigned char)*p < 0x20 && *p != '\n' && *p != '\r' &&
         *p != '\t') ||
        *p == 0x7f) {
      buf_printf(err, "%s不能含有控制字符", label);
      return -1;
    }
    if (*p != ' ' && *p != '\n' && *p != '\r' && *p != '\t') blank = 0;
  }
  if (required && blank) {
    buf_printf(err, "请填写%s", label);
    return -1;
  }
  if (utf8_chars(s) > max) {
    buf_printf(err, "%s不能超过 %zu 个字", label, max);
    return -1;
  }
  return 0;
}

static int fail(Buf *err, const char **field, const char *f,
                const char *msg) {
  buf_puts(err, msg);
  *field = f;
  return -1;
}

int clue_check(const ClueIn *in, Buf *err, const char **field) {
  *field = NULL;
  const char *kind = in->kind && *in->kind ? in->kind : "clue";
  if (!str_eq(kind, "clue") && !str_eq(kind, "suggestion"))
    return fail(err, field, "kind", "类型应为问题线索或整改建议");
  if (in->round_id <= 0)
    return fail(err, field, "round_id", "请选择巡察轮次");
  if (in->team_id <= 0)
    return fail(err, field, "team_id", "请选择巡察组");
  if (in->unit_id <= 0)
    return fail(err, field, "unit_id", "请选择被巡察单位");
  if (!code_find(clue_categories, n_clue_categories, in->category))
    return fail(err, field, "category", "请选择问题类别");
  if (!code_find(clue_sources, n_clue_sources, in->source))
    return fail(err, field, "source", "请选择线索来源");
  if (org_text_check(in->summary, 1, CLUE_SUMMARY_MAX, "问题摘要", err)) {
    *field = "summary";
    return -1;
  }
  if (clue_text_check(in->facts, 0, CLUE_FACTS_MAX, "主要事实", err)) {
    *field = "facts";
    return -1;
  }
  if (in->found_on && *in->found_on) {
    char today[11];
    date_today(today);
    if (!date_valid(in->found_on))
      return fail(err, field, "found_on", "发现日期格式应为 YYYY-MM-DD");
    if (strcmp(in->found_on, today) > 0)
      return fail(err, field, "found_on", "发现日期不能晚于今天");
  }
  if ((unsigned)in->cond_nature > 1 || (unsigned)in->cond_evidence > 1 ||
      (unsigned)in->cond_facts > 1)
    return fail(err, field, "cond_nature", "移交条件只能为是或否");
  if (in->n_persons > CLUE_MAX_PERSONS) {
    buf_printf(err, "被反映人最多 %d 名", CLUE_MAX_PERSONS);
    *field = "persons";
    return -1;
  }
  for (size_t i = 0; i < in->n_persons; i++) {
    const CluePersonIn *p = &in->persons[i];
    *field = "persons";
    if (p->person_id < 0) return fail(err, field, "persons", "被反映人不正确");
    if (p->person_id == 0 &&
        org_text_check(p->name, 1, PERSON_NAME_MAX, "被反映人姓名", err))
      return -1;
    if (p->person_id == 0 &&
        org_text_check(p->post, 0, PERSON_POST_MAX, "被反映人职务", err))
      return -1;
    if ((unsigned)p->party_member > 1 || (unsigned)p->supervisory_object > 1)
      return fail(err, field, "persons", "被反映人身份只能为是或否");
    for (size_t k = 0; p->person_id && k < i; k++)
      if (in->persons[k].person_id == p->person_id)
        return fail(err, field, "persons", "同一被反映人不能重复填写");
    *field = NULL;
  }
  return 0;
}

/* ---- writing ---- */

/* The references of in: the round's jurisdiction (in v's scope), its
** team and the unit the team covers (its jurisdiction into unit_jur). */
static ClueResult check_refs(Db *db, const ClueViewer *v, const ClueIn *in,
                             char jur[64], char unit_jur[64],
                             const char **field, Buf *err) {
  Stmt *st = db_stmt(db, STMT_CLUE_ROUND_JUR);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, in->round_id);
  int rc = db_step(st);
  if (rc == DB_ROW) str_copy(jur, db_column_text(st, 0), 64);
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) return CLUE_EDB;
  if (rc == DB_DONE || !ntk_jur_within(&v->who, v->scope, jur)) {
    fail(err, field, "round_id", "巡察轮次不存在");
    return CLUE_EINVALID;
  }
  st = db_stmt(db, STMT_CLUE_TEAM_ROUND);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, in->team_id);
  rc = db_step(st);
  int64_t team_round = rc == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) return CLUE_EDB;
  if (team_round != in->round_id) {
    fail(err, field, "team_id", "巡察组不属于该巡察轮次");
    return CLUE_EINVALID;
  }
  st = db_stmt(db, STMT_CLUE_TEAM_COVERS);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, in->team_id);
  db_bind_int64(st, 2, in->unit_id);
  rc = db_step(st);
  if (rc == DB_ROW) str_copy(unit_jur, db_column_text(st, 0), 64);
  db_reset(st);
  if (rc != DB_ROW && rc != DB_DONE) return CLUE_EDB;
  if (rc == DB_DONE) {
    fail(err, field, "unit_id", "该巡察组不负责此被巡察单位");
    return CLUE_EINVALID;
  }
  return CLUE_OK;
}

/* Is user a member of team (position NULL: any position)?  1, 0, -1. */
static int team_member(Db *db, int64_t team_id, int64_t user_id,
                       const char *position) {
  Stmt *st = db_stmt(db, STMT_CLUE_TEAM_MEMBER);
  if (!st || user_id <= 0) return st ? 0 : -1;
  db_bind_int64(st, 1, team_id);
  db_bind_int64(st, 2, user_id);
  db_bind_text(st, 3, position ? position : "");
  db_bind_text(st, 4, position ? position : "");
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* A person ready to be written: typed, or copied from the registry. */
typedef struct PersonRow {
  int64_t person_id;
  char *name, *post;
  int64_t party, super;
} PersonRow;

static void person_rows_free(PersonRow *rows, size_t n) {
  for (size_t i = 0; rows && i < n; i++) {
    free(rows[i].name);
    free(rows[i].post);
  }
  free(rows);
}

/* Resolve in's persons before anything is written (a refusal leaves no
** trace): registry persons must work in a unit inside unit_jur's subtree,
** and their name, post and flags are copied. */
static ClueResult persons_resolve(Db *db, const ClueIn *in,
                                  const char *unit_jur, PersonRow **out,
                                  const char **field, Buf *err) {
  PersonRow *rows = xcalloc(in->n_persons + 1, sizeof *rows);
  *out = rows;
  for (size_t i = 0; i < in->n_persons; i++) {
    const CluePersonIn *p = &in->persons[i];
    PersonRow *r = &rows[i];
    r->person_id = p->person_id;
    r->party = p->party_member;
    r->super = p->supervisory_object;
    if (!p->person_id) {
      r->name = xstrdup(p->name);
      r->post = xstrdup(p->post ? p->post : "");
      continue;
    }
    Stmt *st = db_stmt(db, STMT_CLUE_REGISTRY_PERSON);
    if (!st) return CLUE_EDB;
    db_bind_int64(st, 1, p->person_id);
    int rc = db_step(st);
    int ok =
        rc == DB_ROW && round_code_within(unit_jur, db_column_text(st, 4));
    if (ok) {
      r->name = col(st, 0);
      r->post = col(st, 1);
      r->party = db_column_int64(st, 2);
      r->super = db_column_int64(st, 3);
    }
    db_reset(st);
    if (rc != DB_ROW && rc != DB_DONE) return CLUE_EDB;
    if (!ok) {
      fail(err, field, "persons", "被反映人须为本辖区人员库中的人员");
      return CLUE_EINVALID;
    }
  }
  return CLUE_OK;
}

static int persons_write(Db *db, int64_t id, const PersonRow *rows,
                         size_t n) {
  for (size_t i = 0; i < n; i++) {
    Stmt *st = db_stmt(db, STMT_CLUE_PERSON_INSERT);
    if (!st) return DB_EERROR;
    db_bind_int64(st, 1, id);
    if (rows[i].person_id)
      db_bind_int64(st, 2, rows[i].person_id);
    else
      db_bind_null(st, 2);
    db_bind_text(st, 3, rows[i].name);
    db_bind_text(st, 4, rows[i].post);
    db_bind_int64(st, 5, rows[i].party);
    db_bind_int64(st, 6, rows[i].super);
    int rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) return rc;
  }
  return DB_OK;
}

static int event_write(Db *db, int64_t id, const char *action,
                       const char *from, const char *to, int64_t actor) {
  char today[11];
  date_today(today);
  Stmt *st = db_stmt(db, STMT_CLUE_EVENT_INSERT);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  db_bind_text(st, 2, action);
  db_bind_text(st, 3, from);
  db_bind_text(st, 4, to);
  db_bind_int64(st, 5, actor);
  db_bind_text(st, 6, today);
  db_bind_int64(st, 7, jx_now());
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

/* The initial access list: the creator and the team's leader users. */
static int grants_initial(Db *db, int64_t id, int64_t team_id,
                          int64_t creator) {
  if (ntk_grant_initial(db, "clue", id, creator, NULL, "登记人", creator,
                        NULL) != 0)
    return DB_EERROR;
  Stmt *st = db_stmt(db, STMT_CLUE_TEAM_LEADER_USERS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, team_id);
  int64_t users[16];
  size_t n = 0;
  int rc;
  while ((rc = db_step(st)) == DB_ROW)
    if (n < JX_COUNT(users)) users[n++] = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_DONE) return rc;
  for (size_t i = 0; i < n; i++)
    if (users[i] != creator &&
        ntk_grant_initial(db, "clue", id, users[i], NULL, "巡察组组长",
                          creator, NULL) != 0)
      return DB_EERROR;
  return DB_OK;
}

int clue_next_seq(Db *db, const char *jur, const char *kind, int year,
                  int64_t *out) {
  *out = 0;
  Stmt *st = db_stmt(db, STMT_CLUE_SEQ_NEXT);
  if (!st) return DB_EERROR;
  db_bind_text(st, 1, jur);
  db_bind_text(st, 2, kind);
  db_bind_int64(st, 3, year);
  int rc = db_step(st);
  if (rc == DB_ROW) *out = db_column_int64(st, 0);
  db_reset(st);
  return rc == DB_ROW ? DB_OK : rc == DB_DONE ? DB_EERROR : rc;
}

static ClueResult db_fail(Buf *err) {
  buf_puts(err, "保存问题线索失败");
  return CLUE_EDB;
}

static ClueResult create_rows(Db *db, const ClueViewer *v, const ClueIn *in,
                              const char *jur, const PersonRow *persons,
                              int64_t *id);

ClueResult clue_create(Db *db, const ClueViewer *v, const ClueIn *in,
                       int64_t *id, const char **field, Buf *err) {
  *id = 0;
  *field = NULL;
  if (clue_check(in, err, field) != 0) return CLUE_EINVALID;
  char jur[64] = "", unit_jur[64] = "";
  ClueResult r = check_refs(db, v, in, jur, unit_jur, field, err);
  if (r != CLUE_OK) return r == CLUE_EDB ? db_fail(err) : r;
  int member = team_member(db, in->team_id, v->who.user_id, NULL);
  if (member < 0) return db_fail(err);
  if (!member) {
    buf_puts(err, "只有本巡察组成员才能登记问题线索");
    return CLUE_EFORBIDDEN;
  }
  PersonRow *persons;
  r = persons_resolve(db, in, unit_jur, &persons, field, err);
  if (r == CLUE_OK) r = create_rows(db, v, in, jur, persons, id);
  person_rows_free(persons, in->n_persons);
  if (r == CLUE_EDB) db_fail(err);
  return r;
}

/* The writes of clue_create once everything is checked. */
static ClueResult create_rows(Db *db, const ClueViewer *v, const ClueIn *in,
                              const char *jur, const PersonRow *persons,
                              int64_t *id) {
  char today[11];
  date_today(today);
  int64_t seq;
  if (clue_next_seq(db, jur, "clue", atoi(today), &seq) != DB_OK)
    return CLUE_EDB;
  char code[96];
  snprintf(code, sizeof code, "%s-%.4s-%04lld", jur, today, (long long)seq);
  Stmt *st = db_stmt(db, STMT_CLUE_INSERT);
  if (!st) return CLUE_EDB;
  jx_time now = jx_now();
  int i = 1;
  db_bind_text(st, i++, code);
  db_bind_text(st, i++, in->kind && *in->kind ? in->kind : "clue");
  db_bind_int64(st, i++, in->round_id);
  db_bind_int64(st, i++, in->team_id);
  db_bind_int64(st, i++, in->unit_id);
  db_bind_text(st, i++, jur);
  db_bind_text(st, i++, in->category);
  db_bind_text(st, i++, in->source);
  db_bind_text(st, i++, in->summary);
  db_bind_text(st, i++, in->facts ? in->facts : "");
  db_bind_int64(st, i++, in->cond_nature);
  db_bind_int64(st, i++, in->cond_evidence);
  db_bind_int64(st, i++, in->cond_facts);
  db_bind_text(st, i++, in->found_on ? in->found_on : "");
  db_bind_int64(st, i++, v->who.user_id);
  db_bind_int64(st, i++, now);
  db_bind_int64(st, i++, now);
  int rc = db_step(st);
  if (rc == DB_ROW) *id = db_column_int64(st, 0);
  db_reset(st);
  if (rc != DB_ROW) return CLUE_EDB;
  if (persons_write(db, *id, persons, in->n_persons) != DB_OK ||
      grants_initial(db, *id, in->team_id, v->who.user_id) != DB_OK ||
      event_write(db, *id, "create", "", "draft", v->who.user_id) != DB_OK ||
      clue_refresh(db, *id) != DB_OK) {
    *id = 0;
    return CLUE_EDB;
  }
  return CLUE_OK;
}

static ClueResult update_rows(Db *db, const ClueViewer *v, int64_t id,
                              const ClueIn *in, const char *state,
                              const PersonRow *persons);

ClueResult clue_update(Db *db, const ClueViewer *v, int64_t id,
                       const ClueIn *in, const char **field, Buf *err) {
  *field = NULL;
  if (v->who.user_id <= 0 || id <= 0) goto notfound;
  Stmt *st = db_stmt(db, STMT_CLUE_EDIT_INFO);
  if (!st) return db_fail(err);
  int i = ntk_bind(st, 1, &v->who);
  db_bind_int64(st, i++, id);
  i = ntk_bind(st, i, &v->who);
  i = ntk_bind(st, i, &v->who);
  ntk_bind_jur(st, i, &v->who, v->scope);
  int rc = db_step(st);
  char state[32] = "";
  int64_t round_id = 0, team_id = 0, creator = 0;
  int full = 0;
  if (rc == DB_ROW) {
    str_copy(state, db_column_text(st, 0), sizeof state);
    round_id = db_column_int64(st, 1);
    team_id = db_column_int64(st, 2);
    creator = db_column_int64(st, 3);
    full = db_column_int64(st, 4) == 1;
  }
  db_reset(st);
  if (rc == DB_DONE) goto notfound;
  if (rc != DB_ROW) return db_fail(err);
  int leader = team_member(db, team_id, v->who.user_id, "leader");
  if (leader < 0) return db_fail(err);
  if (!full || (creator != v->who.user_id && !leader)) {
    buf_puts(err, "只有登记人或巡察组组长可以修改问题线索");
    return CLUE_EFORBIDDEN;
  }
  if (!str_eq(state, "draft") && !str_eq(state, "reviewed")) {
    const ClueState *s = clue_state(state);
    buf_printf(err, "当前状态（%s）不能修改问题线索", s ? s->label : state);
    return CLUE_ECONFLICT;
  }
  if ((in->round_id && in->round_id != round_id) ||
      (in->team_id && in->team_id != team_id)) {
    fail(err, field,
         in->round_id && in->round_id != round_id ? "round_id" : "team_id",
         "巡察轮次和巡察组不能修改");
    return CLUE_EINVALID;
  }
  ClueIn x = *in;
  x.round_id = round_id;
  x.team_id = team_id;
  if (clue_check(&x, err, field) != 0) return CLUE_EINVALID;
  char jur[64] = "", unit_jur[64] = "";
  ClueResult r = check_refs(db, v, &x, jur, unit_jur, field, err);
  if (r != CLUE_OK) return r == CLUE_EDB ? db_fail(err) : r;
  PersonRow *persons;
  r = persons_resolve(db, &x, unit_jur, &persons, field, err);
  if (r == CLUE_OK) r = update_rows(db, v, id, &x, state, persons);
  person_rows_free(persons, x.n_persons);
  if (r == CLUE_EDB) db_fail(err);
  return r;
notfound:
  buf_puts(err, clue_err_notfound);
  return CLUE_ENOTFOUND;
}

/* The writes of clue_update once everything is checked. */
static ClueResult update_rows(Db *db, const ClueViewer *v, int64_t id,
                              const ClueIn *in, const char *state,
                              const PersonRow *persons) {
  const ClueIn x = *in;
  Stmt *st = db_stmt(db, STMT_CLUE_UPDATE);
  if (!st) return CLUE_EDB;
  int i = 1, rc;
  db_bind_int64(st, i++, x.unit_id);
  db_bind_text(st, i++, x.kind && *x.kind ? x.kind : "clue");
  db_bind_text(st, i++, x.category);
  db_bind_text(st, i++, x.source);
  db_bind_text(st, i++, x.summary);
  db_bind_text(st, i++, x.facts ? x.facts : "");
  db_bind_int64(st, i++, x.cond_nature);
  db_bind_int64(st, i++, x.cond_evidence);
  db_bind_int64(st, i++, x.cond_facts);
  db_bind_text(st, i++, x.found_on ? x.found_on : "");
  db_bind_int64(st, i++, jx_now());
  db_bind_int64(st, i++, id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return CLUE_EDB;
  /* No sanctions or measures exist before transfer, so the persons can
   * simply be replaced. */
  st = db_stmt(db, STMT_CLUE_PERSON_DELETE);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, id);
  rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE || persons_write(db, id, persons, x.n_persons) != DB_OK ||
      event_write(db, id, "edit", state, state, v->who.user_id) != DB_OK ||
      clue_refresh(db, id) != DB_OK)
    return CLUE_EDB;
  return CLUE_OK;
}

/* n_sanctioned counts persons with at least one decision of any kind but
** 移送检察机关 (which n_procuratorate counts): 党纪, 政务, 组织处理, 问责
** and the first form are all 处理 in the published figures ("给予党政纪
** 及组织处理…人", 四种形态 counts).  n_detained: 留置 not yet ended. */
int clue_refresh(Db *db, int64_t id) {
  Stmt *st = db_stmt(db, STMT_CLUE_PERSON_NAMES);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  Buf names = BUF_INIT;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (names.len) buf_puts(&names, "、");
    const char *s = db_column_text(st, 0);
    buf_puts(&names, s ? s : "");
  }
  db_reset(st);
  if (rc != DB_DONE) {
    buf_release(&names);
    return rc;
  }
  st = db_stmt(db, STMT_CLUE_REFRESH);
  if (!st) {
    buf_release(&names);
    return DB_EERROR;
  }
  for (int i = 1; i <= 5; i++) db_bind_int64(st, i, id);
  db_bind_text(st, 6, buf_str(&names));
  db_bind_int64(st, 7, id);
  rc = db_step(st);
  db_reset(st);
  buf_release(&names);
  if (rc != DB_DONE) return rc;
  return clue_due_refresh(db, id);
}

/* ---- need-to-know hooks (auth/ntk.c) ---- */

int clue_exists(Db *db, int64_t id) {
  Stmt *st = db_stmt(db, STMT_CLUE_EXISTS);
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* While the clue is with the team its leader decides who else may know;
** from the transfer on, the receiving commission's 案管室 does. */
int clue_may_approve(Db *db, const NtkSubject *approver, int64_t id) {
  if (approver->user_id <= 0) return 0;
  Stmt *st = db_stmt(db, STMT_CLUE_APPROVER_INFO);
  if (!st) return 0;
  db_bind_int64(st, 1, approver->user_id);
  db_bind_int64(st, 2, id);
  if (db_step(st) != DB_ROW) {
    db_reset(st);
    return 0;
  }
  const ClueState *s = clue_state(db_column_text(st, 0));
  int same_jur = str_eq(db_column_text(st, 1), approver->jurisdiction_code);
  int leader = db_column_int64(st, 2) == 1;
  int to_commission = str_eq(db_column_text(st, 3), "commission");
  db_reset(st);
  if (!s) return 0;
  int with_team = str_eq(s->side, "team") || str_eq(s->code, "pending");
  if (with_team) return leader;
  /* The role list is comma-separated codes. */
  int ags = 0;
  for (const char *p = approver->roles; *p;) {
    size_t n = strcspn(p, ",");
    if (n == 3 && strncmp(p, "ags", 3) == 0) ags = 1;
    p += n;
    if (*p == ',') p++;
  }
  /* After the transfer: the 案管室 of clues sent to the commission. */
  return ags && same_jur && to_commission;
}
