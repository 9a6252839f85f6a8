/* clue_flow.c: the clue state machine — the action table, the gate every
** action passes (state, role, need-to-know), the requirements, and the
** engine that applies an action and records it.  The per-action effects
** are in clue_flow_apply.c (clue_flow_int.h joins the two).
**
** Every check runs before the first write, so a refused action leaves
** the clue and its history as they were; a database error mid-way is
** undone by the caller's rollback (clue_act runs in its transaction).
*/
#include "domain/clue_flow_int.h"

#include <stdlib.h>
#include <string.h>

#include "domain/clue_due.h"
#include "domain/settings.h"

/* States an action may be taken from, shared by several rows. */
#define S_TEAM "draft reviewed pending"
#define S_AFTER_TRANSFER                                                    \
  "transferred registered assigned proposed talk verify parked "           \
  "investigating trial decided external closed_direct closed_cleared "     \
  "first_form to_party withdrawn concluded"

/* A "to" with '|' lists the states the action may lead to; its effect
** picks one (approve_transfer: the next step or transferred;
** approve_disposal: by the approved disposal).  Inputs beyond the CR_*
** bits are read by the effect named after the action (clue_flow_apply.c):
** review participants+conclusion, submit destination(+_name),
** approve_transfer next_approver_id, assist_* text / user_ids / stage,
** assign handling_office, propose disposal, file_* filing (+person_id),
** *_first_form measure, detain_* measure_id, sanction measure/note,
** announce/execute sanction_id, feedback text. */
const ClueAction clue_actions[] = {
    /* ---- the team (巡察组) ---- */
    {"review", "研判", "draft reviewed", "reviewed", "xcz_leader,xcz_deputy",
     CR_DATE, "记录研判会议的日期、参加人员和研判结论。"},
    {"to_suggestion", "转为整改建议", "draft reviewed", "suggestion",
     "xcz_leader", CR_OPINION,
     "不符合问题线索移交条件的一般性问题转为整改建议，列入反馈意见。"},
    {"submit", "提请移交", "reviewed", "pending",
     "xcz_leader,xcz_deputy,xcz_member", 0,
     "问题性质、证据充分、事实清晰三项条件均满足后，选择移交对象并提请审批。"},
    {"approve_transfer", "审批同意移交", "pending", "pending|transferred",
     "@chain", 0,
     "按移交审批链逐级审批；最后一级同意后生成移交函号并移交。"},
    {"return_transfer", "退回移交申请", "pending", "reviewed", "@chain",
     CR_OPINION, "审批不同意，退回巡察组并说明理由。"},
    {"assist_request", "申请提前介入", S_TEAM, NULL, "xcz_leader",
     CR_ASSIST_NONE,
     "请纪委监委派员提前介入，协助筛疑、排疑、查疑。"},
    {"assist_assign", "指派提前介入人员", S_TEAM, NULL, "ags,lxs",
     CR_ASSIST_OPEN,
     "为提前介入申请指派纪委监委工作人员，被指派人员自动列入知悉范围。"},
    {"assist_step", "记录提前介入工作", S_TEAM, NULL, "@assist", CR_DATE,
     "被指派人员记录筛疑、排疑、查疑的工作和意见。"},
    {"assist_close", "结束提前介入", S_TEAM, NULL, "xcz_leader,ags,lxs",
     CR_OPINION | CR_ASSIST_OPEN, "提前介入工作完成或不再需要时结束，并说明情况。"},
    /* ---- the commission (纪委监委) ---- */
    {"register", "接收登记", "transferred", "registered", "ags", CR_DATE,
     "案管室接收移交的问题线索，统一登记编号。"},
    {"assign", "分办", "registered", "assigned", "ags", CR_APPROVER | CR_DATE,
     "经批准将线索分办至承办部门，承办部门自动列入知悉范围。"},
    {"propose", "拟处置意见", "assigned", "proposed", "cbbm",
     CR_OPINION | CR_MEETING | CR_DATE,
     "经集体研究提出处置意见（谈话函询、初步核实、暂存待查、予以了结）。"},
    {"approve_disposal", "批准处置意见", "proposed",
     "talk|verify|parked|closed_direct", "ags",
     CR_APPROVER | CR_MEETING | CR_DATE, "按批准的处置方式转入办理。"},
    {"return_disposal", "退回处置意见", "proposed", "assigned", "ags",
     CR_OPINION, "处置意见未获批准，退回承办部门重新研究。"},
    {"talk_again", "再次谈话函询", "talk", NULL, "cbbm", CR_OPINION | CR_DATE,
     "被反映人否认或说明不清的，再次谈话函询。"},
    {"talk_clear", "了结澄清", "talk", "closed_cleared", "cbbm",
     CR_APPROVER | CR_OPINION | CR_DATE, "反映不实或没有证据证明的，予以了结澄清。"},
    {"talk_first_form", "第一种形态处理", "talk", "first_form", "cbbm",
     CR_APPROVER | CR_DATE,
     "问题轻微的，运用第一种形态处理（谈话提醒、批评教育、责令检查、诫勉等）。"},
    {"talk_verify", "转初步核实", "talk", "verify", "cbbm",
     CR_APPROVER | CR_DATE, "反映问题具体、可查性强的，转为初步核实。"},
    {"file_case", "立案审查调查", "verify", "investigating", "cbbm",
     CR_APPROVER | CR_MEETING | CR_DATE,
     "经集体研究并批准，对被反映人立案（纪委立案、监委立案或两者）。"},
    {"verify_clear", "查否了结", "verify", "closed_cleared", "cbbm",
     CR_APPROVER | CR_OPINION | CR_DATE, "初步核实未发现问题的，予以了结。"},
    {"verify_first_form", "谈话提醒等第一种形态", "verify", "first_form",
     "cbbm", CR_APPROVER | CR_OPINION | CR_DATE,
     "初步核实发现问题轻微的，运用第一种形态处理。"},
    {"verify_park", "暂存待查", "verify", "parked", "cbbm",
     CR_APPROVER | CR_OPINION | CR_DATE, "暂不具备核查条件的，暂存待查。"},
    {"verify_to_party", "移送有关党组织处理", "verify", "to_party", "cbbm",
     CR_APPROVER | CR_OPINION | CR_DATE, "移送有关党组织处理。"},
    {"park_verify", "重启初步核实", "parked", "verify", "cbbm",
     CR_APPROVER | CR_DATE, "出现新的证据或具备核查条件的，重新启动初步核实。"},
    {"park_close", "予以了结", "parked", "closed_direct", "cbbm",
     CR_APPROVER | CR_DATE, "暂存待查的线索予以了结。"},
    {"file_more", "追加立案", "investigating", NULL, "cbbm",
     CR_PERSON | CR_DATE, "对另一名被反映人立案。"},
    {"detain", "采取留置措施", "investigating", NULL, "cbbm",
     CR_PERSON | CR_APPROVER | CR_DATE,
     "经上一级监察机关批准采取留置措施，期限自动计算。"},
    {"detain_extend", "延长留置期限", "investigating", NULL, "cbbm",
     CR_APPROVER, "经批准延长留置期限（次数和期限见系统设置）。"},
    {"detain_end", "解除留置", "investigating", NULL, "cbbm", CR_DATE,
     "记录解除留置的日期。"},
    {"to_trial", "移送审理", "investigating", "trial", "cbbm", CR_DATE,
     "审查调查终结，移送审理。"},
    {"trial_return", "退回补充调查", "trial", "investigating", "cbbm",
     CR_APPROVER | CR_OPINION, "事实不清、证据不足的，经批准退回重新审查调查。"},
    {"withdraw", "撤销案件", "investigating trial", "withdrawn", "cbbm",
     CR_APPROVER | CR_OPINION | CR_DATE, "没有证据证明存在违法违纪的，撤销案件。"},
    {"sanction", "记录处理结果", "trial decided", NULL, "cbbm",
     CR_PERSON | CR_DATE,
     "逐人记录党纪处分、政务处分、组织处理、问责或移送检察机关等处理结果。"},
    {"decide", "作出处理决定", "trial", "decided", "cbbm", CR_DATE,
     "每名被反映人均有处理结果后，记录处理决定日期。"},
    {"announce", "宣布处分决定", "decided concluded", NULL, "cbbm,ags",
     CR_DATE, "记录处分决定的宣布日期。"},
    {"execute", "报告执行情况", "decided concluded", NULL, "cbbm,ags",
     CR_DATE, "记录处分决定执行情况报告的日期。"},
    {"conclude", "结案", "decided", "concluded", "cbbm,ags", CR_DATE,
     "处理决定已作出，予以结案。"},
    /* ---- other receiving bodies (组织部、其他单位), kept by 巡察办 ---- */
    {"receive_external", "登记对方接收", "transferred", "external", "xcb",
     CR_DATE | CR_STATUS_VIEW, "移交组织部或其他单位的线索，记录对方接收日期。"},
    {"conclude_external", "登记对方办结", "external", "concluded", "xcb",
     CR_OPINION | CR_DATE | CR_STATUS_VIEW, "记录对方反馈的办理结果。"},
    /* ---- both ---- */
    {"feedback", "反馈办理情况", S_AFTER_TRANSFER, NULL, "cbbm,ags,xcb",
     CR_DATE | CR_STATUS_VIEW,
     "向巡察办反馈办理进展；办结后的反馈为最终反馈。"},
};
const size_t n_clue_actions = JX_COUNT(clue_actions);

const ClueAction *clue_action(const char *code) {
  for (size_t i = 0; code && i < n_clue_actions; i++)
    if (str_eq(clue_actions[i].code, code)) return &clue_actions[i];
  return NULL;
}

/* ---- small helpers ---- */

int cf_word_in(const char *list, const char *word, char sep) {
  size_t n = word ? strlen(word) : 0;
  if (!list || !n) return 0;
  for (const char *p = list; *p;) {
    while (*p == sep || *p == ' ') p++;
    const char *e = p;
    while (*e && *e != sep && *e != ' ') e++;
    if ((size_t)(e - p) == n && memcmp(p, word, n) == 0) return 1;
    p = e;
  }
  return 0;
}

const char *cf_state_label(const char *code) {
  const ClueState *s = clue_state(code);
  return s ? s->label : code;
}

int cf_terminal(const char *state) {
  const ClueState *s = clue_state(state);
  return s && s->terminal && !str_eq(state, "suggestion");
}

/* Any of the action's comma-separated roles among the user's. */
static int roles_fit(const char *user_roles, const char *action_roles) {
  for (const char *p = action_roles; p && *p;) {
    const char *e = strchr(p, ',');
    size_t n = e ? (size_t)(e - p) : strlen(p);
    char r[32];
    if (n < sizeof r) {
      memcpy(r, p, n);
      r[n] = 0;
      if (cf_word_in(user_roles, r, ',')) return 1;
    }
    p = e ? e + 1 : p + n;
  }
  return 0;
}

/* ---- the transfer chain ---- */

size_t clue_transfer_chain(Db *db, const char *roles[5]) {
  int64_t v = setting_int(db, "clue.transfer_chain");
  size_t n = 0;
  roles[n++] = "xcz_leader";
  if (v == 2) {
    roles[n++] = "ldxz";
  } else if (v == 3) {
    roles[n++] = "xcb";
  } else {
    roles[n++] = "xcb";
    roles[n++] = "ldxz";
  }
  for (size_t i = n; i < 5; i++) roles[i] = NULL;
  return n;
}

/* The role of approval step (1-based) of the current chain; the last
** step's role when the chain got shorter while a clue was pending. */
const char *cf_step_role(Db *db, int64_t step, size_t *n_steps) {
  const char *roles[5];
  size_t n = clue_transfer_chain(db, roles);
  if (n_steps) *n_steps = n;
  if (step < 1) return NULL;
  return roles[(size_t)step > n ? n - 1 : (size_t)step - 1];
}

int clue_step_candidates(Db *db, const Clue *c, int64_t step, int64_t **ids,
                         char ***names, size_t *n) {
  *ids = NULL;
  *names = NULL;
  *n = 0;
  const char *role = cf_step_role(db, step, NULL);
  if (!role) return DB_OK;
  Stmt *st;
  /* The team's own leader(s), not every 组长 of the jurisdiction. */
  if (str_eq(role, "xcz_leader")) {
    st = db_stmt(db, STMT_CLUEF_TEAM_LEADERS);
    if (!st) return DB_EERROR;
    db_bind_int64(st, 1, c->team_id);
  } else {
    st = db_stmt(db, STMT_CLUEF_ROLE_USERS);
    if (!st) return DB_EERROR;
    db_bind_text(st, 1, role);
    db_bind_text(st, 2, c->jurisdiction_code);
  }
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *ids = xrealloc(*ids, (*n + 1) * sizeof **ids);
    *names = xrealloc(*names, (*n + 1) * sizeof **names);
    (*ids)[*n] = db_column_int64(st, 0);
    const char *nm = db_column_text(st, 1);
    (*names)[*n] = xstrdup(nm ? nm : "");
    (*n)++;
  }
  db_reset(st);
  if (rc != DB_DONE) {
    for (size_t i = 0; i < *n; i++) free((*names)[i]);
    free(*names);
    free(*ids);
    *ids = NULL;
    *names = NULL;
    *n = 0;
    return DB_EERROR;
  }
  return DB_OK;
}

/* ---- the gate: state, role, need-to-know ---- */

static int assist_member(Db *db, int64_t clue_id, int64_t user_id) {
  Stmt *st = db_stmt(db, STMT_CLUEF_ASSIST_MEMBER);
  if (!st) return 0;
  db_bind_int64(st, 1, clue_id);
  db_bind_int64(st, 2, user_id);
  int yes = db_step(st) == DB_ROW;
  db_reset(st);
  return yes;
}

int64_t cf_open_assist(Db *db, int64_t clue_id) {
  Stmt *st = db_stmt(db, STMT_CLUEF_ASSIST_OPEN);
  if (!st) return -1;
  db_bind_int64(st, 1, clue_id);
  int rc = db_step(st);
  int64_t id = rc == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  return rc == DB_ROW || rc == DB_DONE ? id : -1;
}

/* Whether user_id decides the open approval step (whose role they hold):
** the approver the previous step chose, or — when the step is the team
** leader's and nobody was chosen — a leader of the clue's team.  A clue
** submitted before approvers were recorded (0, another role) falls back
** to the role and the access list alone. */
static int chain_turn(Db *db, int64_t user_id, int64_t clue_id, const char *role) {
  Stmt *st = db_stmt(db, STMT_CLUEF_CHAIN_APPROVER);
  if (!st) return 0;
  db_bind_int64(st, 1, user_id);
  db_bind_int64(st, 2, clue_id);
  int ok = 0;
  if (db_step(st) == DB_ROW) {
    int64_t chosen = db_column_int64(st, 0);
    if (chosen) ok = chosen == user_id;
    else if (str_eq(role, "xcz_leader")) ok = db_column_int64(st, 1) != 0;
    else ok = 1;
  }
  db_reset(st);
  return ok;
}

/* May v take a on a clue in this state?  The state first (anyone who
** sees the clue sees its state), then the role and the grant kind.
** CLUE_OK, or the refusal with its Chinese reason in err. */
ClueResult cf_gate(Db *db, const ClueViewer *v, const CfGateIn *g,
                   const ClueAction *a, Buf *err) {
  if (!cf_word_in(a->from, g->state, ' ')) {
    buf_printf(err, "当前状态（%s）不能执行「%s」", cf_state_label(g->state),
               a->label);
    return CLUE_ECONFLICT;
  }
  /* Actions that depend on where the clue went. */
  int external = str_eq(g->destination, "organisation") ||
                 str_eq(g->destination, "other");
  if ((str_eq(a->code, "register") && !str_eq(g->destination, "commission")) ||
      (str_eq(a->code, "receive_external") && !external)) {
    buf_printf(err, "移交对象为%s的线索不能执行「%s」",
               clue_code_label(clue_destinations, n_clue_destinations,
                               g->destination),
               a->label);
    return CLUE_ECONFLICT;
  }
  int ok;
  if (str_eq(a->roles, "@chain")) {
    const char *role = cf_step_role(db, g->transfer_step, NULL);
    ok = role && cf_word_in(v->who.roles, role, ',') && g->full &&
         ntk_can_see(db, &v->who, "clue", g->id) &&
         chain_turn(db, v->who.user_id, g->id, role);
  } else if (str_eq(a->roles, "@assist")) {
    ok = g->full && assist_member(db, g->id, v->who.user_id);
  } else {
    ok = roles_fit(v->who.roles, a->roles);
    /* 巡察办 reports only what other receiving bodies did; the
     * commission's clues report through its own rooms. */
    if (ok && str_eq(a->code, "feedback") && !external &&
        !roles_fit(v->who.roles, "cbbm,ags"))
      ok = 0;
    if (ok && !g->full && !(a->requires & CR_STATUS_VIEW)) ok = 0;
  }
  if (!ok) {
    buf_printf(err, "您的角色不能执行「%s」", a->label);
    return CLUE_EFORBIDDEN;
  }
  /* Early intervention: one request open at a time, and the steps that
   * act on it only while it is (so they are never offered in vain). */
  if (a->requires & (CR_ASSIST_OPEN | CR_ASSIST_NONE)) {
    int64_t open = cf_open_assist(db, g->id);
    if (open < 0) return CLUE_EDB;
    if ((a->requires & CR_ASSIST_OPEN) && !open) {
      buf_puts(err, "没有进行中的提前介入申请");
      return CLUE_ECONFLICT;
    }
    if ((a->requires & CR_ASSIST_NONE) && open) {
      buf_puts(err, "已有尚未结束的提前介入申请");
      return CLUE_ECONFLICT;
    }
  }
  return CLUE_OK;
}

size_t clue_actions_available(Db *db, const ClueViewer *v, const Clue *c,
                              const ClueAction **out, size_t max) {
  CfGateIn g = {c->id, c->state, c->destination, c->transfer_step, c->full};
  Buf err = BUF_INIT;
  size_t n = 0;
  for (size_t i = 0; i < n_clue_actions && n < max; i++) {
    buf_clear(&err);
    if (cf_gate(db, v, &g, &clue_actions[i], &err) == CLUE_OK)
      out[n++] = &clue_actions[i];
  }
  buf_release(&err);
  return n;
}

/* ---- the flow row ---- */

void cf_flow_clear(CfFlow *f) {
  for (int i = 0; i < CF__TEXT; i++) free(f->s[i]);
  free(f->jur);
  free(f->found_on);
  free(f->code);
  for (size_t i = 0; i < f->n_persons; i++) {
    free(f->persons[i].name);
    free(f->persons[i].filed_party_on);
    free(f->persons[i].filed_super_on);
    free(f->persons[i].outcome_note);
  }
  free(f->persons);
  memset(f, 0, sizeof *f);
}

void cf_set(CfFlow *f, int field, const char *value) {
  free(f->s[field]);
  f->s[field] = xstrdup(value ? value : "");
}

static char *col(Stmt *st, int i) {
  const char *s = db_column_text(st, i);
  return xstrdup(s ? s : "");
}

/* Load the columns the flow reads and writes, plainly by id (the caller
** has checked visibility), and the clue's persons. */
static int flow_load(Db *db, int64_t id, CfFlow *f) {
  memset(f, 0, sizeof *f);
  f->id = id;
  Stmt *st = db_stmt(db, STMT_CLUEF_GET);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  if (rc == DB_ROW) {
    for (int i = 0; i < CF__TEXT; i++) f->s[i] = col(st, i);
    f->transfer_step = db_column_int64(st, CF__TEXT);
    f->jur = col(st, CF__TEXT + 1);
    f->found_on = col(st, CF__TEXT + 2);
    f->code = col(st, CF__TEXT + 3);
    f->round_id = db_column_int64(st, CF__TEXT + 4);
    f->unit_id = db_column_int64(st, CF__TEXT + 5);
    f->team_id = db_column_int64(st, CF__TEXT + 6);
    f->cond_nature = (int)db_column_int64(st, CF__TEXT + 7);
    f->cond_evidence = (int)db_column_int64(st, CF__TEXT + 8);
    f->cond_facts = (int)db_column_int64(st, CF__TEXT + 9);
    f->transfer_approver = db_column_int64(st, CF__TEXT + 10);
  }
  db_reset(st);
  if (rc != DB_ROW) return DB_EERROR;
  st = db_stmt(db, STMT_CLUEF_PERSONS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  while ((rc = db_step(st)) == DB_ROW) {
    f->persons = xrealloc(f->persons, (f->n_persons + 1) * sizeof *f->persons);
    CfPerson *p = &f->persons[f->n_persons++];
    p->id = db_column_int64(st, 0);
    p->name = col(st, 1);
    p->filed_party_on = col(st, 2);
    p->filed_super_on = col(st, 3);
    p->outcome_note = col(st, 4);
    p->n_sanctions = db_column_int64(st, 5);
    p->party_member = db_column_int64(st, 6) != 0;
    p->supervisory_object = db_column_int64(st, 7) != 0;
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : DB_EERROR;
}

static int flow_save(Db *db, const CfFlow *f) {
  Stmt *st = db_stmt(db, STMT_CLUEF_UPDATE);
  if (!st) return DB_EERROR;
  int i = 1;
  for (int k = 0; k < CF__TEXT; k++) db_bind_text(st, i++, f->s[k]);
  db_bind_int64(st, i++, f->transfer_step);
  db_bind_int64(st, i++, f->transfer_approver);
  db_bind_int64(st, i++, jx_now());
  db_bind_int64(st, i++, f->id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? DB_OK : DB_EERROR;
}

/* ---- requirements ---- */

#define CF_TEXT_MAX 500

ClueResult cf_text(CfAct *x, const char *name, const char *label,
                   const char *value, int required, size_t max) {
  if (clue_text_check(value, required, max, label, x->err) == 0)
    return CLUE_OK;
  *x->field = name;
  return CLUE_EINVALID;
}

static ClueResult need_text(CfAct *x, const char *name, const char *label,
                            const char *value, int required) {
  return cf_text(x, name, label, value, required, CF_TEXT_MAX);
}

static ClueResult requirements(CfAct *x) {
  const ClueActIn *in = x->in;
  unsigned r = x->a->requires;
  ClueResult res;
  if ((res = need_text(x, "opinion", "意见", in->opinion, r & CR_OPINION)) ||
      (res = need_text(x, "approver", "批准人", in->approver,
                       r & CR_APPROVER)) ||
      (res = need_text(x, "meeting", "集体研究情况", in->meeting,
                       r & CR_MEETING)))
    return res;
  date_today(x->today);
  str_copy(x->date, x->today, sizeof x->date);
  if ((r & CR_DATE) && in->date && *in->date) {
    if (!date_valid(in->date)) {
      *x->field = "date";
      buf_puts(x->err, "日期格式应为 YYYY-MM-DD");
      return CLUE_EINVALID;
    }
    str_copy(x->date, in->date, sizeof x->date);
  }
  if (strcmp(x->date, x->today) > 0) {
    *x->field = "date";
    buf_printf(x->err, "「%s」的日期不能晚于今天", x->a->label);
    return CLUE_EINVALID;
  }
  if (*x->f.found_on && strcmp(x->date, x->f.found_on) < 0) {
    *x->field = "date";
    buf_printf(x->err, "日期不能早于线索发现日期（%s）", x->f.found_on);
    return CLUE_EINVALID;
  }
  if (r & CR_PERSON) {
    if (!cf_person(&x->f, in->person_id)) {
      *x->field = "person_id";
      buf_puts(x->err, "请选择本线索的被反映人");
      return CLUE_EINVALID;
    }
  } else if (in->person_id && !cf_person(&x->f, in->person_id)) {
    *x->field = "person_id";
    buf_puts(x->err, "所选人员不是本线索的被反映人");
    return CLUE_EINVALID;
  }
  return CLUE_OK;
}

CfPerson *cf_person(CfFlow *f, int64_t clue_person_id) {
  for (size_t i = 0; clue_person_id > 0 && i < f->n_persons; i++)
    if (f->persons[i].id == clue_person_id) return &f->persons[i];
  return NULL;
}

/* ---- the engine ---- */

static int event_insert(CfAct *x, const char *from, int64_t *event_id) {
  char *detail = NULL;
  if (json_object_size(x->detail) > 0)
    detail = json_dumps(x->detail, JSON_COMPACT | JSON_PRESERVE_ORDER);
  Stmt *st = db_stmt(x->db, STMT_CLUEF_EVENT_INSERT);
  if (!st) {
    free(detail);
    return DB_EERROR;
  }
  db_bind_int64(st, 1, x->f.id);
  db_bind_text(st, 2, x->a->code);
  db_bind_text(st, 3, from);
  db_bind_text(st, 4, x->f.s[CF_STATE]);
  db_bind_int64(st, 5, x->v->who.user_id);
  db_bind_text(st, 6, x->date);
  db_bind_text(st, 7, x->in->opinion ? x->in->opinion : "");
  db_bind_text(st, 8, x->in->approver ? x->in->approver : "");
  db_bind_text(st, 9, x->in->meeting ? x->in->meeting : "");
  db_bind_text(st, 10, detail ? detail : "");
  db_bind_int64(st, 11, jx_now());
  int rc = db_step(st);
  if (rc == DB_ROW && event_id) *event_id = db_column_int64(st, 0);
  db_reset(st);
  free(detail);
  return rc == DB_ROW ? DB_OK : DB_EERROR;
}

ClueResult clue_act(Db *db, const ClueViewer *v, int64_t id,
                    const char *code, const ClueActIn *in, int64_t *event_id,
                    const char **field, Buf *err) {
  static const ClueActIn none;
  const char *fdummy;
  if (!field) field = &fdummy;
  *field = NULL;
  if (event_id) *event_id = 0;
  if (!in) in = &none;
  Clue c;
  memset(&c, 0, sizeof c);
  ClueResult res = clue_get(db, v, id, &c);
  if (res != CLUE_OK) {
    if (res == CLUE_ENOTFOUND) buf_puts(err, clue_err_notfound);
    return res;
  }
  int full = c.full;
  clue_clear(&c);
  const ClueAction *a = clue_action(code);
  if (!a) {
    *field = "action";
    buf_puts(err, "未知的办理事项");
    return CLUE_EINVALID;
  }
  CfAct x;
  memset(&x, 0, sizeof x);
  x.db = db;
  x.v = v;
  x.a = a;
  x.in = in;
  x.field = field;
  x.err = err;
  if (flow_load(db, id, &x.f) != DB_OK) {
    cf_flow_clear(&x.f);
    return CLUE_EDB;
  }
  CfGateIn g = {id, x.f.s[CF_STATE], x.f.s[CF_DESTINATION], x.f.transfer_step,
                full};
  char *from = xstrdup(x.f.s[CF_STATE]);
  res = cf_gate(db, v, &g, a, err);
  if (res == CLUE_OK) res = requirements(&x);
  if (res == CLUE_OK) {
    x.detail = json_object();
    x.to = a->to && !strchr(a->to, '|') ? a->to : NULL;
    res = cf_apply(&x);
  }
  if (res == CLUE_OK) {
    if (x.to) cf_set(&x.f, CF_STATE, x.to);
    if (!str_eq(from, x.f.s[CF_STATE]) && cf_terminal(x.f.s[CF_STATE])) {
      cf_set(&x.f, CF_CONCLUDED_ON, x.date);
      cf_set(&x.f, CF_OUTCOME, x.f.s[CF_STATE]);
    }
    if (flow_save(db, &x.f) != DB_OK || event_insert(&x, from, event_id) ||
        clue_refresh(db, id) != DB_OK)
      res = CLUE_EDB;
  }
  if (res == CLUE_EDB && !buf_str(err)[0]) buf_puts(err, "数据库错误");
  json_decref(x.detail);
  free(from);
  cf_flow_clear(&x.f);
  return res;
}

/* ---- history ---- */

void clue_events_free(ClueEvent *e, size_t n) {
  for (size_t i = 0; e && i < n; i++) {
    free(e[i].action);
    free(e[i].from_state);
    free(e[i].to_state);
    free(e[i].actor_name);
    free(e[i].acted_on);
    free(e[i].opinion);
    free(e[i].approver);
    free(e[i].meeting);
    free(e[i].detail);
  }
  free(e);
}

ClueResult clue_events(Db *db, const ClueViewer *v, int64_t id,
                       ClueEvent **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Clue c;
  memset(&c, 0, sizeof c);
  ClueResult res = clue_get(db, v, id, &c);
  int full = c.full;
  clue_clear(&c);
  if (res != CLUE_OK) return res;
  Stmt *st = db_stmt(db, STMT_CLUEF_EVENTS);
  if (!st) return CLUE_EDB;
  db_bind_int64(st, 1, id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    ClueEvent *e = &(*out)[(*n)++];
    e->id = db_column_int64(st, 0);
    e->action = col(st, 1);
    e->from_state = col(st, 2);
    e->to_state = col(st, 3);
    e->actor_name = col(st, 4);
    e->acted_on = col(st, 5);
    /* A status-only view (巡察办 after transfer) sees the steps and their
     * dates, not what was written in them. */
    e->opinion = full ? col(st, 6) : xstrdup("");
    e->approver = full ? col(st, 7) : xstrdup("");
    e->meeting = full ? col(st, 8) : xstrdup("");
    e->detail = full ? col(st, 9) : xstrdup("");
    e->created_at = db_column_int64(st, 10);
  }
  db_reset(st);
  if (rc != DB_DONE) {
    clue_events_free(*out, *n);
    *out = NULL;
    *n = 0;
    return CLUE_EDB;
  }
  return CLUE_OK;
}
