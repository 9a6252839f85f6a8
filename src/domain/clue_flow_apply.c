/* clue_flow_apply.c: what each action of clue_flow.c's table does.
**
** Each effect checks everything it needs first and writes only after the
** last check, so a refusal leaves no trace.  It changes the flow row
** (x->f, saved by the engine), writes its own records (approvals,
** persons' filings, sanctions, measures …), grants access where the
** brief says the flow does, and notes its specific values in x->detail
** for the clue_event row.
*/
#include "domain/clue_flow_int.h"

#include <stdlib.h>
#include <string.h>

#include "domain/clue_due.h"
#include "domain/settings.h"

typedef ClueResult (*CfEffect)(CfAct *x);

static ClueResult bad(CfAct *x, const char *field, const char *msg) {
  *x->field = field;
  buf_puts(x->err, msg);
  return CLUE_EINVALID;
}

static void jset_s(CfAct *x, const char *k, const char *v) {
  json_object_set_new(x->detail, k, json_string(v ? v : ""));
}
static void jset_i(CfAct *x, const char *k, int64_t v) {
  json_object_set_new(x->detail, k, json_integer(v));
}

/* Run an INSERT … RETURNING id that the caller has bound. */
static int insert_id(Stmt *st, int64_t *id) {
  int rc = db_step(st);
  if (rc == DB_ROW && id) *id = db_column_int64(st, 0);
  db_reset(st);
  return rc == DB_ROW ? DB_OK : DB_EERROR;
}
static int run(Stmt *st) {
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? DB_OK : DB_EERROR;
}

/* ---- lookups ---- */

/* The office of kind in jurisdiction jur: 1 with code/name, 0 none. */
static int office_of_kind(Db *db, const char *jur, const char *kind,
                          char code[64], char name[256]) {
  Stmt *st = db_stmt(db, STMT_CLUEF_OFFICE_OF_KIND);
  if (!st) return 0;
  db_bind_text(st, 1, jur);
  db_bind_text(st, 2, kind);
  int found = db_step(st) == DB_ROW;
  if (found) {
    str_copy(code, db_column_text(st, 0), 64);
    if (name) str_copy(name, db_column_text(st, 1), 256);
  }
  db_reset(st);
  return found;
}

/* Is (user or office) on the live access list of (type, clue)? */
static int granted(CfAct *x, const char *type, int64_t user_id,
                   const char *office) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_GRANTED);
  if (!st) return 0;
  db_bind_text(st, 1, type);
  db_bind_int64(st, 2, x->f.id);
  db_bind_int64(st, 3, user_id);
  db_bind_text(st, 4, office ? office : "");
  db_bind_int64(st, 5, jx_now());
  int yes = db_step(st) == DB_ROW;
  db_reset(st);
  return yes;
}

/* Put a user or an office on the list, once. */
static int grant(CfAct *x, const char *type, int64_t user_id,
                 const char *office, const char *reason) {
  if (granted(x, type, user_id, office)) return DB_OK;
  return ntk_grant_initial(x->db, type, x->f.id, user_id, office, reason,
                           x->v->who.user_id, NULL) == 0
             ? DB_OK
             : DB_EERROR;
}

/* A number from the counter (jur, kind, year of date) in its format:
** {jur} = the jurisdiction name's first character. */
static int make_number(CfAct *x, const char *kind, const char *format,
                       char *out, size_t n) {
  char jname[64] = "";
  Stmt *st = db_stmt(x->db, STMT_CLUEF_JUR);
  if (!st) return DB_EERROR;
  db_bind_text(st, 1, x->f.jur);
  if (db_step(st) == DB_ROW) {
    const char *s = db_column_text(st, 0);
    size_t len = 0;
    if (s && *s) {
      len = 1;
      while (s[len] && ((unsigned char)s[len] & 0xC0) == 0x80) len++;
    }
    if (len < sizeof jname) memcpy(jname, s, len), jname[len] = 0;
  }
  db_reset(st);
  int year = atoi(x->date);
  int64_t seq;
  if (clue_next_seq(x->db, x->f.jur, kind, year, &seq) != DB_OK)
    return DB_EERROR;
  Buf b = BUF_INIT;
  for (const char *p = format; *p;) {
    if (str_starts(p, "{jur}")) {
      buf_puts(&b, jname);
      p += 5;
    } else if (str_starts(p, "{year}")) {
      buf_printf(&b, "%d", year);
      p += 6;
    } else if (str_starts(p, "{seq}")) {
      buf_printf(&b, "%lld", (long long)seq);
      p += 5;
    } else {
      buf_putc(&b, *p++);
    }
  }
  str_copy(out, buf_str(&b), n);
  buf_release(&b);
  return DB_OK;
}

/* The approver chosen for step (1-based): in->next_approver_id, or the
** only candidate.  Checks only; 0 with *uid, or a refusal. */
static ClueResult pick_approver(CfAct *x, int64_t step, int64_t *uid) {
  Clue c;
  memset(&c, 0, sizeof c);
  c.id = x->f.id;
  c.team_id = x->f.team_id;
  c.jurisdiction_code = x->f.jur;
  int64_t *ids;
  char **names;
  size_t n;
  if (clue_step_candidates(x->db, &c, step, &ids, &names, &n) != DB_OK)
    return CLUE_EDB;
  ClueResult res = CLUE_OK;
  *uid = 0;
  if (x->in->next_approver_id) {
    for (size_t i = 0; i < n; i++)
      if (ids[i] == x->in->next_approver_id) *uid = ids[i];
    if (!*uid) res = bad(x, "next_approver_id", "所选审批人不能审批下一步");
  } else if (n == 1) {
    *uid = ids[0];
  } else if (n == 0) {
    res = bad(x, "next_approver_id", "没有可以审批下一步的用户");
  } else {
    res = bad(x, "next_approver_id", "请选择下一步审批人");
  }
  for (size_t i = 0; i < n; i++) free(names[i]);
  free(names);
  free(ids);
  return res;
}

/* ---- the team ---- */

static ClueResult fx_review(CfAct *x) {
  ClueResult r;
  if ((r = cf_text(x, "participants", "参加人员", x->in->participants, 1,
                   500)) ||
      (r = cf_text(x, "conclusion", "研判结论", x->in->conclusion, 1, 2000)))
    return r;
  Stmt *st = db_stmt(x->db, STMT_CLUEF_REVIEW_INSERT);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->f.id);
  db_bind_text(st, 2, x->date);
  db_bind_text(st, 3, x->in->participants);
  db_bind_text(st, 4, x->in->conclusion);
  db_bind_int64(st, 5, x->v->who.user_id);
  db_bind_int64(st, 6, jx_now());
  int64_t rid;
  if (insert_id(st, &rid) != DB_OK) return CLUE_EDB;
  jset_i(x, "review_id", rid);
  return CLUE_OK;
}

static ClueResult fx_to_suggestion(CfAct *x) {
  cf_set(&x->f, CF_KIND, "suggestion");
  return CLUE_OK;
}

static ClueResult fx_submit(CfAct *x) {
  const ClueActIn *in = x->in;
  if (!str_eq(x->f.s[CF_KIND], "clue"))
    return bad(x, "kind", "整改建议不能作为问题线索移交");
  if (!x->f.cond_nature || !x->f.cond_evidence || !x->f.cond_facts)
    return bad(x, "conditions", "移交须同时满足问题性质、证据充分、事实清晰");
  /* 边巡察边移送: from 巡察了解 on, never while preparing. */
  char phase[32] = "";
  Stmt *st = db_stmt(x->db, STMT_CLUEF_PHASE);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->f.round_id);
  db_bind_int64(st, 2, x->f.unit_id);
  if (db_step(st) == DB_ROW) str_copy(phase, db_column_text(st, 0), sizeof phase);
  db_reset(st);
  if (str_eq(phase, "prepare") || !*phase) {
    buf_puts(x->err, "巡前准备阶段不能移交线索");
    return CLUE_ECONFLICT;
  }
  const char *d = in->destination;
  if (!d || !*d) return bad(x, "destination", "请选择移交对象");
  int known = 0;
  for (size_t i = 0; i < n_clue_destinations; i++)
    if (str_eq(clue_destinations[i].code, d)) known = 1;
  if (!known) return bad(x, "destination", "移交对象无效");
  char name[256] = "", code[64];
  if (str_eq(d, "other")) {
    ClueResult r = cf_text(x, "destination_name", "接收单位名称",
                           in->destination_name, 1, 100);
    if (r) return r;
    str_copy(name, in->destination_name, sizeof name);
  } else {
    /* The receiving office must exist, or nobody could take the clue. */
    const char *kind = str_eq(d, "commission") ? "case_mgmt" : "organisation";
    if (!office_of_kind(x->db, x->f.jur, kind, code, name))
      return bad(x, "destination", str_eq(d, "commission")
                                       ? "本辖区未登记案件监督管理室，无法移交"
                                       : "本辖区未登记组织部，无法移交");
    if (str_eq(d, "commission")) {
      st = db_stmt(x->db, STMT_CLUEF_JUR);
      if (!st) return CLUE_EDB;
      db_bind_text(st, 1, x->f.jur);
      if (db_step(st) == DB_ROW && *db_column_text(st, 1))
        str_copy(name, db_column_text(st, 1), sizeof name);
      db_reset(st);
    }
    if (in->destination_name && *in->destination_name) {
      ClueResult r = cf_text(x, "destination_name", "接收单位名称",
                           in->destination_name, 1, 100);
      if (r) return r;
      str_copy(name, in->destination_name, sizeof name);
    }
  }
  /* Step 1 is the team's leader, already on the list; a chain starting
   * elsewhere needs its first approver chosen and listed. */
  const char *role = cf_step_role(x->db, 1, NULL);
  int64_t uid = 0;
  if (!str_eq(role, "xcz_leader")) {
    ClueResult r = pick_approver(x, 1, &uid);
    if (r) return r;
  }
  if (uid && grant(x, "clue", uid, NULL, "移交审批") != DB_OK) return CLUE_EDB;
  x->f.transfer_approver = uid; /* 0: the team's leader decides */
  cf_set(&x->f, CF_DESTINATION, d);
  cf_set(&x->f, CF_DESTINATION_NAME, name);
  x->f.transfer_step = 1;
  jset_s(x, "destination", d);
  jset_s(x, "destination_name", name);
  return CLUE_OK;
}

static int64_t attempt_of(CfAct *x) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_SUBMITS);
  if (!st) return 1;
  db_bind_int64(st, 1, x->f.id);
  int64_t n = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 1;
  db_reset(st);
  return n > 0 ? n : 1;
}

static int approval_insert(CfAct *x, const char *role, const char *decision) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_APPROVAL_INSERT);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, x->f.id);
  db_bind_int64(st, 2, attempt_of(x));
  db_bind_int64(st, 3, x->f.transfer_step);
  db_bind_text(st, 4, role);
  db_bind_int64(st, 5, x->v->who.user_id);
  db_bind_text(st, 6, decision);
  db_bind_text(st, 7, x->in->opinion ? x->in->opinion : "");
  db_bind_int64(st, 8, jx_now());
  return insert_id(st, NULL);
}

static ClueResult fx_approve_transfer(CfAct *x) {
  size_t n;
  int64_t step = x->f.transfer_step;
  const char *role = cf_step_role(x->db, step, &n);
  jset_i(x, "step", step);
  if ((size_t)step < n) {
    int64_t uid;
    ClueResult r = pick_approver(x, step + 1, &uid);
    if (r) return r;
    if (approval_insert(x, role, "approve") != DB_OK ||
        grant(x, "clue", uid, NULL, "移交审批") != DB_OK)
      return CLUE_EDB;
    x->f.transfer_step = step + 1;
    x->f.transfer_approver = uid;
    x->to = "pending";
    jset_i(x, "next_approver_id", uid);
    return CLUE_OK;
  }
  /* The last step: the transfer itself. */
  const char *d = x->f.s[CF_DESTINATION];
  char dest[64] = "", insp[64] = "", fmt[SETTING_TEXT_MAX], no[128];
  if (str_eq(d, "commission") || str_eq(d, "organisation")) {
    const char *kind = str_eq(d, "commission") ? "case_mgmt" : "organisation";
    if (!office_of_kind(x->db, x->f.jur, kind, dest, NULL))
      return bad(x, "destination", "本辖区未登记接收部门，无法移交");
  }
  int has_insp = office_of_kind(x->db, x->f.jur, "inspection", insp, NULL);
  if (setting_text(x->db, "clue.transfer_no_format", fmt, sizeof fmt) < 0)
    return CLUE_EDB;
  /* The transfer happens today, whatever date was typed. */
  str_copy(x->date, x->today, sizeof x->date);
  if (approval_insert(x, role, "approve") != DB_OK ||
      make_number(x, "transfer", fmt, no, sizeof no) != DB_OK)
    return CLUE_EDB;
  if (*dest && grant(x, "clue", 0, dest, "移交接收") != DB_OK)
    return CLUE_EDB;
  if (has_insp && grant(x, "clue_status", 0, insp, "移交跟踪") != DB_OK)
    return CLUE_EDB;
  cf_set(&x->f, CF_TRANSFER_NO, no);
  cf_set(&x->f, CF_TRANSFERRED_ON, x->date);
  cf_set(&x->f, CF_DESTINATION_OFFICE, dest);
  x->f.transfer_step = 0;
  x->f.transfer_approver = 0;
  x->to = "transferred";
  jset_s(x, "transfer_no", no);
  return CLUE_OK;
}

static ClueResult fx_return_transfer(CfAct *x) {
  jset_i(x, "step", x->f.transfer_step);
  if (approval_insert(x, cf_step_role(x->db, x->f.transfer_step, NULL),
                      "return") != DB_OK)
    return CLUE_EDB;
  x->f.transfer_step = 0;
  x->f.transfer_approver = 0;
  return CLUE_OK;
}

static ClueResult fx_assist_request(CfAct *x) {
  ClueResult r = cf_text(x, "text", "申请事项", x->in->text, 1, 2000);
  if (r) return r;
  Stmt *st = db_stmt(x->db, STMT_CLUEF_ASSIST_INSERT);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->f.id);
  db_bind_text(st, 2, x->in->text);
  db_bind_int64(st, 3, x->v->who.user_id);
  db_bind_int64(st, 4, jx_now());
  int64_t aid;
  if (insert_id(st, &aid) != DB_OK) return CLUE_EDB;
  /* The 案管室 receives the request so it can assign people. */
  char ags[64];
  if (office_of_kind(x->db, x->f.jur, "case_mgmt", ags, NULL) &&
      grant(x, "clue", 0, ags, "提前介入申请") != DB_OK)
    return CLUE_EDB;
  jset_i(x, "assist_id", aid);
  return CLUE_OK;
}

static ClueResult fx_assist_assign(CfAct *x) {
  int64_t aid = cf_open_assist(x->db, x->f.id);
  if (aid <= 0) return CLUE_EDB; /* the gate saw an open one */
  if (!x->in->n_user_ids || !x->in->user_ids || x->in->n_user_ids > 20)
    return bad(x, "user_ids", "请选择1至20名提前介入人员");
  for (size_t i = 0; i < x->in->n_user_ids; i++) {
    Stmt *st = db_stmt(x->db, STMT_CLUEF_USER_ACTIVE);
    if (!st) return CLUE_EDB;
    db_bind_int64(st, 1, x->in->user_ids[i]);
    int ok = db_step(st) == DB_ROW &&
             str_eq(db_column_text(st, 1), x->f.jur);
    db_reset(st);
    if (!ok) return bad(x, "user_ids", "所选人员不存在或不属于本辖区");
  }
  json_t *arr = json_array();
  json_object_set_new(x->detail, "user_ids", arr);
  for (size_t i = 0; i < x->in->n_user_ids; i++) {
    int64_t uid = x->in->user_ids[i];
    Stmt *st = db_stmt(x->db, STMT_CLUEF_ASSIST_MEMBER_HAS);
    if (!st) return CLUE_EDB;
    db_bind_int64(st, 1, aid);
    db_bind_int64(st, 2, uid);
    int has = db_step(st) == DB_ROW;
    db_reset(st);
    if (has) continue;
    st = db_stmt(x->db, STMT_CLUEF_ASSIST_MEMBER_INSERT);
    if (!st) return CLUE_EDB;
    db_bind_int64(st, 1, aid);
    db_bind_int64(st, 2, uid);
    db_bind_int64(st, 3, x->v->who.user_id);
    db_bind_int64(st, 4, jx_now());
    if (run(st) != DB_OK || grant(x, "clue", uid, NULL, "提前介入") != DB_OK)
      return CLUE_EDB;
    json_array_append_new(arr, json_integer(uid));
  }
  return CLUE_OK;
}

static ClueResult fx_assist_step(CfAct *x) {
  const char *s = x->in->stage;
  if (!s || !(str_eq(s, "screen") || str_eq(s, "clear") || str_eq(s, "probe")))
    return bad(x, "stage", "请选择阶段（筛疑、排疑、查疑）");
  ClueResult r = cf_text(x, "text", "工作意见", x->in->text, 1, 2000);
  if (r) return r;
  int64_t aid = cf_open_assist(x->db, x->f.id);
  if (aid <= 0) return CLUE_EDB; /* the gate saw an open one */
  Stmt *st = db_stmt(x->db, STMT_CLUEF_ASSIST_STEP_INSERT);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, aid);
  db_bind_text(st, 2, s);
  db_bind_text(st, 3, x->in->text);
  db_bind_text(st, 4, x->date);
  db_bind_int64(st, 5, x->v->who.user_id);
  db_bind_int64(st, 6, jx_now());
  int64_t sid;
  if (insert_id(st, &sid) != DB_OK) return CLUE_EDB;
  jset_s(x, "stage", s);
  jset_i(x, "step_id", sid);
  return CLUE_OK;
}

static ClueResult fx_assist_close(CfAct *x) {
  int64_t aid = cf_open_assist(x->db, x->f.id);
  if (aid <= 0) return CLUE_EDB; /* the gate saw an open one */
  Stmt *st = db_stmt(x->db, STMT_CLUEF_ASSIST_CLOSE);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, jx_now());
  db_bind_int64(st, 2, aid);
  if (run(st) != DB_OK) return CLUE_EDB;
  jset_i(x, "assist_id", aid);
  return CLUE_OK;
}

/* ---- the commission ---- */

static ClueResult fx_register(CfAct *x) {
  char no[128];
  if (make_number(x, "register", "{jur}纪案登〔{year}〕{seq}号", no,
                  sizeof no) != DB_OK)
    return CLUE_EDB;
  cf_set(&x->f, CF_RECEIVED_ON, x->date);
  cf_set(&x->f, CF_REGISTER_NO, no);
  jset_s(x, "register_no", no);
  return CLUE_OK;
}

static ClueResult fx_assign(CfAct *x) {
  static const char *const kinds =
      "supervision investigation stationed conduct petition trial";
  const char *code = x->in->handling_office;
  if (!code || !*code) return bad(x, "handling_office", "请选择承办部门");
  Stmt *st = db_stmt(x->db, STMT_CLUEF_OFFICE_GET);
  if (!st) return CLUE_EDB;
  db_bind_text(st, 1, code);
  int ok = db_step(st) == DB_ROW && cf_word_in(kinds, db_column_text(st, 0), ' ') &&
           str_eq(db_column_text(st, 2), x->f.jur);
  db_reset(st);
  if (!ok)
    return bad(x, "handling_office", "承办部门应为本辖区纪委监委的监督检查、审查调查、派驻等部门");
  if (grant(x, "clue", 0, code, "承办部门") != DB_OK) return CLUE_EDB;
  cf_set(&x->f, CF_HANDLING_OFFICE, code);
  cf_set(&x->f, CF_ASSIGNED_ON, x->date);
  jset_s(x, "handling_office", code);
  return CLUE_OK;
}

static ClueResult fx_propose(CfAct *x) {
  const char *d = x->in->disposal;
  int known = 0;
  for (size_t i = 0; d && i < n_clue_disposals; i++)
    if (str_eq(clue_disposals[i].code, d)) known = 1;
  if (!known) return bad(x, "disposal", "请选择处置方式");
  cf_set(&x->f, CF_DISPOSAL, d);
  cf_set(&x->f, CF_DISPOSAL_ON, x->date);
  jset_s(x, "disposal", d);
  return CLUE_OK;
}

static ClueResult fx_approve_disposal(CfAct *x) {
  static const char *const map[][2] = {{"talk", "talk"},
                                       {"verify", "verify"},
                                       {"park", "parked"},
                                       {"close", "closed_direct"}};
  for (size_t i = 0; i < JX_COUNT(map); i++)
    if (str_eq(map[i][0], x->f.s[CF_DISPOSAL])) {
      x->to = map[i][1];
      jset_s(x, "disposal", map[i][0]);
      return CLUE_OK;
    }
  return bad(x, "disposal", "处置意见缺少处置方式，请退回重新提出");
}

static ClueResult fx_return_disposal(CfAct *x) {
  cf_set(&x->f, CF_DISPOSAL, "");
  cf_set(&x->f, CF_DISPOSAL_ON, "");
  return CLUE_OK;
}

static ClueResult fx_none(CfAct *x) {
  (void)x;
  return CLUE_OK;
}

static int sanction_insert(CfAct *x, int64_t person, const ClueMeasure *m,
                           const char *note, int64_t *id) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_SANCTION_INSERT);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, x->f.id);
  db_bind_int64(st, 2, person);
  db_bind_text(st, 3, m->kind);
  db_bind_text(st, 4, m->code);
  db_bind_int64(st, 5, m->form);
  db_bind_text(st, 6, x->date);
  db_bind_text(st, 7, note ? note : "");
  db_bind_int64(st, 8, x->v->who.user_id);
  db_bind_int64(st, 9, jx_now());
  return insert_id(st, id);
}

/* 第一种形态 for one person or (person_id 0) every person. */
static ClueResult fx_first_form(CfAct *x) {
  const ClueMeasure *m = clue_measure(x->in->measure);
  if (!m || m->form != 1)
    return bad(x, "measure", "请选择第一种形态的处理方式");
  if (!x->f.n_persons) return bad(x, "person_id", "本线索没有被反映人");
  for (size_t i = 0; i < x->f.n_persons; i++) {
    CfPerson *p = &x->f.persons[i];
    if (x->in->person_id && p->id != x->in->person_id) continue;
    if (sanction_insert(x, p->id, m, x->in->note, NULL) != DB_OK)
      return CLUE_EDB;
  }
  jset_s(x, "measure", m->code);
  if (x->in->person_id) jset_i(x, "person_id", x->in->person_id);
  return CLUE_OK;
}

/* 立案 of one person or (person_id 0) every person; more = 1 refuses a
** person already filed that way.  纪委立案 (党纪) is for party members,
** 监委立案 (监察) for 监察对象 (DOMAIN §2): a person named explicitly must
** fit every kind asked for; with every person, each gets the kinds that
** fit them, and at least one person must get one. */
static ClueResult file_persons(CfAct *x, int more) {
  const char *k = x->in->filing;
  int party = str_eq(k, "party") || str_eq(k, "both");
  int super = str_eq(k, "super") || str_eq(k, "both");
  if (!party && !super)
    return bad(x, "filing", "请选择立案类别（纪委立案、监委立案或两者）");
  if (!x->f.n_persons) return bad(x, "person_id", "本线索没有被反映人");
  if (x->in->person_id) {
    CfPerson *p = cf_person(&x->f, x->in->person_id);
    if (party && !p->party_member)
      return bad(x, "filing", "该被反映人不是中共党员，不能纪委立案（党纪）");
    if (super && !p->supervisory_object)
      return bad(x, "filing", "该被反映人不是监察对象，不能监委立案（监察）");
  }
  if (more) {
    CfPerson *p = cf_person(&x->f, x->in->person_id);
    if ((!party || *p->filed_party_on) && (!super || *p->filed_super_on))
      return bad(x, "person_id", "该被反映人已按此类别立案");
  }
  size_t filed = 0;
  for (size_t i = 0; i < x->f.n_persons; i++) {
    CfPerson *p = &x->f.persons[i];
    if (x->in->person_id && p->id != x->in->person_id) continue;
    int as_party = party && p->party_member, as_super = super && p->supervisory_object;
    if (!as_party && !as_super) continue;
    Stmt *st = db_stmt(x->db, STMT_CLUEF_PERSON_FILE);
    if (!st) return CLUE_EDB;
    db_bind_text(st, 1, as_party && !*p->filed_party_on ? x->date : p->filed_party_on);
    db_bind_text(st, 2, as_super && !*p->filed_super_on ? x->date : p->filed_super_on);
    db_bind_int64(st, 3, p->id);
    if (run(st) != DB_OK) return CLUE_EDB;
    filed++;
  }
  if (!filed)
    return bad(x, "filing",
               "被反映人均不符合所选立案类别（纪委立案须为党员，监委立案须为监察对象）");
  if (!*x->f.s[CF_FILED_ON]) cf_set(&x->f, CF_FILED_ON, x->date);
  jset_s(x, "filing", k);
  if (x->in->person_id) jset_i(x, "person_id", x->in->person_id);
  return CLUE_OK;
}
static ClueResult fx_file_case(CfAct *x) { return file_persons(x, 0); }
static ClueResult fx_file_more(CfAct *x) { return file_persons(x, 1); }

static ClueResult fx_detain(CfAct *x) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_MEASURE_OPEN);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->in->person_id);
  int open = db_step(st) == DB_ROW;
  db_reset(st);
  if (open) return bad(x, "person_id", "该被反映人正处于留置期间");
  char limit[11];
  if (date_add_months(x->date, (int)setting_int(x->db, "clue.detention_months"),
                      limit) != 0)
    return bad(x, "date", "日期无效");
  st = db_stmt(x->db, STMT_CLUEF_MEASURE_INSERT);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->f.id);
  db_bind_int64(st, 2, x->in->person_id);
  db_bind_text(st, 3, x->date);
  db_bind_text(st, 4, limit);
  db_bind_text(st, 5, x->in->approver);
  db_bind_int64(st, 6, x->v->who.user_id);
  db_bind_int64(st, 7, jx_now());
  int64_t mid;
  if (insert_id(st, &mid) != DB_OK) return CLUE_EDB;
  jset_i(x, "measure_id", mid);
  jset_i(x, "person_id", x->in->person_id);
  jset_s(x, "limit_on", limit);
  return CLUE_OK;
}

/* The open detention measure_id of this clue: 1 with its row, or a
** refusal. */
typedef struct Measure {
  char start_on[11], limit_on[11], approval[512];
  int64_t extensions;
} Measure;
static ClueResult open_measure(CfAct *x, Measure *m) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_MEASURE_GET);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->in->measure_id);
  db_bind_int64(st, 2, x->f.id);
  int ok = db_step(st) == DB_ROW && !*db_column_text(st, 3);
  if (ok) {
    str_copy(m->start_on, db_column_text(st, 0), sizeof m->start_on);
    str_copy(m->limit_on, db_column_text(st, 1), sizeof m->limit_on);
    m->extensions = db_column_int64(st, 2);
    str_copy(m->approval, db_column_text(st, 4), sizeof m->approval);
  }
  db_reset(st);
  return ok ? CLUE_OK : bad(x, "measure_id", "请选择本线索正在执行的留置措施");
}

static ClueResult fx_detain_extend(CfAct *x) {
  Measure m;
  ClueResult r = open_measure(x, &m);
  if (r) return r;
  int64_t max = setting_int(x->db, "clue.detention_max_extensions");
  if (m.extensions >= max) {
    *x->field = "measure_id";
    buf_printf(x->err, "留置期限最多延长%lld次", (long long)max);
    return CLUE_EINVALID;
  }
  char limit[11];
  if (date_add_months(m.limit_on,
                      (int)setting_int(x->db, "clue.detention_extend_months"),
                      limit) != 0)
    return CLUE_EDB;
  char *approval = *m.approval ? xasprintf("%s；%s", m.approval, x->in->approver)
                               : xstrdup(x->in->approver);
  Stmt *st = db_stmt(x->db, STMT_CLUEF_MEASURE_EXTEND);
  if (!st) {
    free(approval);
    return CLUE_EDB;
  }
  db_bind_text(st, 1, limit);
  db_bind_int64(st, 2, m.extensions + 1);
  db_bind_text(st, 3, approval);
  db_bind_int64(st, 4, x->in->measure_id);
  int rc = run(st);
  free(approval);
  if (rc != DB_OK) return CLUE_EDB;
  jset_i(x, "measure_id", x->in->measure_id);
  jset_s(x, "limit_on", limit);
  return CLUE_OK;
}

static ClueResult fx_detain_end(CfAct *x) {
  Measure m;
  ClueResult r = open_measure(x, &m);
  if (r) return r;
  if (strcmp(x->date, m.start_on) < 0)
    return bad(x, "date", "解除日期不能早于留置开始日期");
  Stmt *st = db_stmt(x->db, STMT_CLUEF_MEASURE_END);
  if (!st) return CLUE_EDB;
  db_bind_text(st, 1, x->date);
  db_bind_int64(st, 2, x->in->measure_id);
  if (run(st) != DB_OK) return CLUE_EDB;
  jset_i(x, "measure_id", x->in->measure_id);
  return CLUE_OK;
}

static ClueResult fx_to_trial(CfAct *x) {
  cf_set(&x->f, CF_TRIAL_ON, x->date);
  return CLUE_OK;
}

static ClueResult fx_trial_return(CfAct *x) {
  cf_set(&x->f, CF_TRIAL_ON, "");
  return CLUE_OK;
}

/* A decision on one person; with no measure, the note is the person's
** outcome (e.g. 免予处分) without a sanction record. */
static ClueResult fx_sanction(CfAct *x) {
  const char *note = x->in->note;
  ClueResult r = cf_text(x, "note", "说明", note, 0, 500);
  if (r) return r;
  if (!x->in->measure || !*x->in->measure) {
    r = cf_text(x, "measure", "处理方式或处理结果说明", note, 1, 500);
    if (r) return r;
    Stmt *st = db_stmt(x->db, STMT_CLUEF_PERSON_NOTE);
    if (!st) return CLUE_EDB;
    db_bind_text(st, 1, note);
    db_bind_int64(st, 2, x->in->person_id);
    if (run(st) != DB_OK) return CLUE_EDB;
    jset_i(x, "person_id", x->in->person_id);
    return CLUE_OK;
  }
  const ClueMeasure *m = clue_measure(x->in->measure);
  if (!m) return bad(x, "measure", "处理方式无效");
  int64_t sid;
  if (sanction_insert(x, x->in->person_id, m, note, &sid) != DB_OK)
    return CLUE_EDB;
  jset_i(x, "person_id", x->in->person_id);
  jset_i(x, "sanction_id", sid);
  jset_s(x, "measure", m->code);
  return CLUE_OK;
}

static ClueResult fx_decide(CfAct *x) {
  if (!x->f.n_persons) return bad(x, "persons", "本线索没有被反映人");
  for (size_t i = 0; i < x->f.n_persons; i++) {
    CfPerson *p = &x->f.persons[i];
    if (!p->n_sanctions && !*p->outcome_note) {
      *x->field = "persons";
      buf_printf(x->err, "每名被反映人均须有处理结果（%s尚无）", p->name);
      return CLUE_EINVALID;
    }
  }
  cf_set(&x->f, CF_DECIDED_ON, x->date);
  return CLUE_OK;
}

/* announce (col 1) or execute (col 2) date of a sanction of this clue. */
static ClueResult sanction_date(CfAct *x, int col, StmtId upd) {
  Stmt *st = db_stmt(x->db, STMT_CLUEF_SANCTION_GET);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, x->in->sanction_id);
  db_bind_int64(st, 2, x->f.id);
  char decided[11] = "";
  int found = db_step(st) == DB_ROW, done = 0;
  if (found) {
    str_copy(decided, db_column_text(st, 0), sizeof decided);
    done = *db_column_text(st, col) != 0;
  }
  db_reset(st);
  if (!found) return bad(x, "sanction_id", "请选择本线索的处理结果");
  if (done) return bad(x, "sanction_id", "该处理结果已记录此日期");
  if (strcmp(x->date, decided) < 0)
    return bad(x, "date", "日期不能早于处理决定日期");
  st = db_stmt(x->db, upd);
  if (!st) return CLUE_EDB;
  db_bind_text(st, 1, x->date);
  db_bind_int64(st, 2, x->in->sanction_id);
  if (run(st) != DB_OK) return CLUE_EDB;
  jset_i(x, "sanction_id", x->in->sanction_id);
  return CLUE_OK;
}
static ClueResult fx_announce(CfAct *x) {
  return sanction_date(x, 1, STMT_CLUEF_SANCTION_ANNOUNCE);
}
static ClueResult fx_execute(CfAct *x) {
  return sanction_date(x, 2, STMT_CLUEF_SANCTION_EXECUTE);
}

static ClueResult fx_receive_external(CfAct *x) {
  cf_set(&x->f, CF_RECEIVED_ON, x->date);
  return CLUE_OK;
}

static ClueResult fx_feedback(CfAct *x) {
  ClueResult r = cf_text(x, "text", "反馈内容", x->in->text, 1, 5000);
  if (r) return r;
  int64_t fid = 0;
  r = clue_feedback_add(x->db, x->v, x->f.id, x->date, x->in->text,
                        cf_terminal(x->f.s[CF_STATE]), &fid, x->field, x->err);
  if (r) return r;
  jset_i(x, "feedback_id", fid);
  return CLUE_OK;
}

static const struct {
  const char *code;
  CfEffect fn;
} effects[] = {
    {"review", fx_review},
    {"to_suggestion", fx_to_suggestion},
    {"submit", fx_submit},
    {"approve_transfer", fx_approve_transfer},
    {"return_transfer", fx_return_transfer},
    {"assist_request", fx_assist_request},
    {"assist_assign", fx_assist_assign},
    {"assist_step", fx_assist_step},
    {"assist_close", fx_assist_close},
    {"register", fx_register},
    {"assign", fx_assign},
    {"propose", fx_propose},
    {"approve_disposal", fx_approve_disposal},
    {"return_disposal", fx_return_disposal},
    {"talk_again", fx_none},
    {"talk_clear", fx_none},
    {"talk_first_form", fx_first_form},
    {"talk_verify", fx_none},
    {"file_case", fx_file_case},
    {"verify_clear", fx_none},
    {"verify_first_form", fx_first_form},
    {"verify_park", fx_none},
    {"verify_to_party", fx_none},
    {"park_verify", fx_none},
    {"park_close", fx_none},
    {"file_more", fx_file_more},
    {"detain", fx_detain},
    {"detain_extend", fx_detain_extend},
    {"detain_end", fx_detain_end},
    {"to_trial", fx_to_trial},
    {"trial_return", fx_trial_return},
    {"withdraw", fx_none},
    {"sanction", fx_sanction},
    {"decide", fx_decide},
    {"announce", fx_announce},
    {"execute", fx_execute},
    {"conclude", fx_none},
    {"receive_external", fx_receive_external},
    {"conclude_external", fx_none},
    {"feedback", fx_feedback},
};

ClueResult cf_apply(CfAct *x) {
  for (size_t i = 0; i < JX_COUNT(effects); i++)
    if (str_eq(effects[i].code, x->a->code)) return effects[i].fn(x);
  log_error("clue_flow: no effect for action '%s'", x->a->code);
  return CLUE_EDB;
}
