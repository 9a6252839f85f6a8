/* demo_clues.c: about thirty problem clues of the fictional 明澜市 for
** `jixun demo`, in every state of the state machine, with the history
** that led there.
**
** Each clue is recorded with clue_create and moved with clue_act — the
** same rules, grants, numbers and deadlines as real data — by the demo
** account whose role the action needs, on the date its story gives (the
** clock is set to that date for the act and restored afterwards).  Dates
** later than today are pulled back to today, so the demo never holds
** acts in the future.  Seen from late 2026, some clues are overdue: first
** feedback six months after transfer, disposal one month after
** assignment, investigation 90 days after 立案, trial one month.
** Persons come from the demo people registry; every name is invented.
** Runs after demo_rounds_load (teams, and the team accounts linked). */
#include <stdlib.h>

#include "domain/clue_due.h"
#include "domain/clue_flow.h"
#include "domain/demo.h"
#include "domain/rounds.h"

/* One act of a clue's story: date, action and its argument.
** Actions are clue_flow's codes, plus "transfer" (every approval step of
** the chain, the same day).  arg by action: submit — destination;
** propose — disposal; sanction — "<person n>:<measure>"; file_case —
** filing ("both" …) for every person; file_more — "<person n>:<filing>";
** detain — person n; announce / execute — sanction n (1-based);
** feedback — the report's text. */
typedef struct Act {
  const char *date, *action, *arg;
} Act;

typedef struct DemoClue {
  int current;        /* 1: the current round's 第一巡察组; 0: the first
                         round's (its 组长 is the same account) */
  const char *unit;   /* unit code */
  const char *category, *source, *summary, *facts, *found_on;
  const char *persons[3]; /* people registry codes */
  Act acts[18];
} DemoClue;

#define FB1 "已完成初步核实前期工作，调取相关账目，现报告办理进展。"
#define FB2 "已对被反映人立案审查调查，目前正在调查取证。"

static const DemoClue demo_clues[] = {
    /* ---- the current round: still with the team ---- */
    {1, "ML-HEALTH-H01", "integrity", "interview",
     "药品耗材采购中收受供应商回扣",
     "个别谈话反映，该院药剂科负责人在药品耗材遴选中偏向特定供应商，"
     "疑收受回扣。",
     "2026-11-20", {"RY0005"}, {{NULL, NULL, NULL}}},
    {1, "ML-HEALTH-H02", "duty_illegal", "documents",
     "医保基金结算中虚记诊疗项目",
     "查阅结算资料发现，部分住院病历存在重复计费、虚记诊疗项目情况，"
     "涉及金额待核。",
     "2026-11-16", {"RY0035"},
     {{"2026-11-18", "assist_request", NULL},
      {"2026-11-19", "assist_assign", NULL},
      {"2026-11-24", "assist_step", NULL}}},
    {1, "ML-HEALTH-H01", "work", "visit", "基建项目变更签证把关不严",
     "实地走访发现，门诊楼改造项目多次变更签证未经集体研究。",
     "2026-11-10", {"RY0015"}, {{"2026-11-18", "review", NULL}}},
    {1, "ML-HEALTH-H02", "integrity", "petition",
     "利用职务便利为亲属经营的医疗器械公司谋利",
     "信访件反映，被反映人多次为其亲属经营的公司承接院内设备维保业务"
     "提供帮助。",
     "2026-11-05", {"RY0045", "RY0025"},
     {{"2026-11-12", "review", NULL},
      {"2026-11-13", "submit", NULL},
      {"2026-11-14", "approve_transfer", NULL}}},
    {1, "ML-HEALTH-H01", "formalism", "questionnaire",
     "科室考勤管理流于形式",
     "问卷调查反映，部分科室考勤记录与排班不符，属一般性管理问题。",
     "2026-11-06", {"RY0055"},
     {{"2026-11-16", "to_suggestion", NULL}}},
    {1, "ML-HEALTH-H02", "integrity", "interview",
     "违规收受医药代表礼金",
     "个别谈话反映，被反映人在春节期间收受医药代表礼金。", "2026-11-04",
     {"RY0035"},
     {{"2026-11-09", "review", NULL},
      {"2026-11-10", "submit", NULL},
      {"2026-11-12", "transfer", NULL}}},
    {1, "ML-HEALTH-H01", "appointment", "petition",
     "中层干部选拔中违规打招呼",
     "信访件反映，被反映人在中层干部竞聘中为特定人选打招呼。",
     "2026-11-03", {"RY0005"},
     {{"2026-11-09", "review", NULL},
      {"2026-11-10", "submit", NULL},
      {"2026-11-13", "transfer", NULL},
      {"2026-11-16", "register", NULL}}},
    /* A transfer sent back by the inspection office, recorded again. */
    {1, "ML-HEALTH-H02", "work", "documents", "大型设备采购论证不充分",
     "查阅资料发现，一台大型影像设备采购前未进行可行性论证。",
     "2026-11-05", {"RY0025"},
     {{"2026-11-11", "review", NULL},
      {"2026-11-12", "submit", NULL},
      {"2026-11-13", "approve_transfer", NULL},
      {"2026-11-17", "return_transfer", NULL}}},

    /* ---- the first round (住建局): transferred in spring ---- */
    {0, "ML-HOUSING", "integrity", "petition",
     "工程项目招投标中插手干预并收受好处费",
     "信访件反映，被反映人在城市道路改造项目招投标中为特定企业打招呼，"
     "事后收受好处费。",
     "2026-04-08", {"RY0008"},
     {{"2026-04-20", "review", NULL},
      {"2026-04-21", "submit", NULL},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-08", "register", NULL},
      {"2026-05-11", "assign", NULL}}},
    {0, "ML-HOUSING", "duty_illegal", "documents", "违规审批保障性住房资格",
     "查阅审批档案发现，部分保障性住房申请人不符合条件仍获批准。",
     "2026-04-10", {"RY0038"},
     {{"2026-04-22", "review", NULL},
      {"2026-04-23", "submit", NULL},
      {"2026-06-02", "transfer", NULL},
      {"2026-06-04", "register", NULL},
      {"2026-06-05", "assign", NULL},
      {"2026-06-30", "propose", "talk"}}},
    {0, "ML-HOUSING", "integrity", "interview", "违规接受管理服务对象宴请",
     "个别谈话反映，被反映人多次接受开发企业安排的宴请。", "2026-04-12",
     {"RY0018"},
     {{"2026-04-22", "review", NULL},
      {"2026-04-23", "submit", NULL},
      {"2026-06-02", "transfer", NULL},
      {"2026-06-04", "register", NULL},
      {"2026-06-05", "assign", NULL},
      {"2026-06-25", "propose", "talk"},
      {"2026-06-29", "approve_disposal", NULL},
      {"2026-09-10", "talk_again", NULL},
      {"2026-11-20", "feedback", FB1}}},
    {0, "ML-HOUSING", "duty_illegal", "petition", "挪用住房维修资金",
     "信访件反映，住房维修资金专户存在大额资金转出后未按用途使用。",
     "2026-04-14", {"RY0048"},
     {{"2026-04-24", "review", NULL},
      {"2026-04-27", "submit", NULL},
      {"2026-06-10", "transfer", NULL},
      {"2026-06-12", "register", NULL},
      {"2026-06-15", "assign", NULL},
      {"2026-07-06", "propose", "verify"},
      {"2026-07-09", "approve_disposal", NULL}}},
    {0, "ML-HOUSING", "work", "visit", "违规发放项目验收合格证明",
     "实地走访发现，某安置房项目存在质量问题仍通过验收。", "2026-04-15",
     {"RY0028"},
     {{"2026-04-24", "review", NULL},
      {"2026-04-27", "submit", NULL},
      {"2026-05-12", "transfer", NULL},
      {"2026-05-14", "register", NULL},
      {"2026-05-18", "assign", NULL},
      {"2026-06-10", "propose", "park"},
      {"2026-06-15", "approve_disposal", NULL},
      {"2026-11-10", "feedback", "经研究暂存待查，待具备核查条件后重新启动。"}}},
    {0, "ML-HOUSING", "duty_crime", "petition",
     "利用职务便利收受巨额贿赂",
     "信访件反映，被反映人在土地出让和项目审批中为多家企业谋利，"
     "收受财物数额巨大。",
     "2026-03-20", {"RY0008", "RY0058"},
     {{"2026-03-30", "review", NULL},
      {"2026-03-31", "submit", NULL},
      {"2026-04-15", "transfer", NULL},
      {"2026-04-17", "register", NULL},
      {"2026-04-20", "assign", NULL},
      {"2026-05-08", "propose", "verify"},
      {"2026-05-12", "approve_disposal", NULL},
      {"2026-07-20", "file_case", "both"},
      {"2026-07-25", "detain", "1"},
      {"2026-10-15", "feedback", FB2},
      {"2026-10-20", "detain_extend", NULL}}},
    {0, "ML-HOUSING", "integrity", "documents", "违规兼职取酬",
     "查阅资料发现，被反映人在下属企业兼职并领取报酬。", "2026-03-25",
     {"RY0018"},
     {{"2026-04-02", "review", NULL},
      {"2026-04-03", "submit", NULL},
      {"2026-04-20", "transfer", NULL},
      {"2026-04-22", "register", NULL},
      {"2026-04-24", "assign", NULL},
      {"2026-05-12", "propose", "verify"},
      {"2026-05-15", "approve_disposal", NULL},
      {"2026-06-20", "file_case", "super"},
      {"2026-09-10", "to_trial", NULL}}},
    {0, "ML-HOUSING", "integrity", "petition", "违规收受礼品礼金",
     "信访件反映，被反映人多次收受管理服务对象所送礼品礼金。",
     "2026-03-18", {"RY0038", "RY0028"},
     {{"2026-03-28", "review", NULL},
      {"2026-03-30", "submit", NULL},
      {"2026-04-10", "transfer", NULL},
      {"2026-04-13", "register", NULL},
      {"2026-04-15", "assign", NULL},
      {"2026-05-06", "propose", "verify"},
      {"2026-05-08", "approve_disposal", NULL},
      {"2026-06-01", "file_case", "both"},
      {"2026-08-01", "to_trial", NULL},
      {"2026-08-20", "sanction", "1:party_serious_warning"},
      {"2026-08-20", "sanction", "2:gov_demerit"},
      {"2026-08-25", "decide", NULL},
      {"2026-09-05", "announce", "1"}}},
    {0, "ML-HOUSING", "duty_crime", "petition",
     "在工程款拨付中索取贿赂",
     "信访件反映，被反映人在工程款拨付环节向施工企业索要财物。",
     "2026-03-12", {"RY0048", "RY0058"},
     {{"2026-03-20", "review", NULL},
      {"2026-03-23", "submit", NULL},
      {"2026-04-02", "transfer", NULL},
      {"2026-04-03", "register", NULL},
      {"2026-04-07", "assign", NULL},
      {"2026-04-28", "propose", "verify"},
      {"2026-04-30", "approve_disposal", NULL},
      {"2026-05-20", "file_case", "both"},
      {"2026-05-22", "detain", "1"},
      {"2026-07-20", "detain_end", NULL},
      {"2026-07-25", "to_trial", NULL},
      {"2026-08-10", "sanction", "1:party_expel"},
      {"2026-08-10", "sanction", "1:procuratorate"},
      {"2026-08-10", "sanction", "2:party_warning"},
      {"2026-08-15", "decide", NULL},
      {"2026-08-20", "announce", "1"},
      {"2026-09-20", "execute", "1"},
      {"2026-10-08", "conclude", NULL}}},
    {0, "ML-HOUSING", "work", "interview", "履行监管职责不力",
     "个别谈话反映，被反映人对辖区违法建设长期未予查处。", "2026-04-01",
     {"RY0008"},
     {{"2026-04-10", "review", NULL},
      {"2026-04-13", "submit", NULL},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-08", "register", NULL},
      {"2026-05-11", "assign", NULL},
      {"2026-05-25", "propose", "close"},
      {"2026-05-28", "approve_disposal", NULL}}},
    {0, "ML-HOUSING", "integrity", "hotline", "公车私用",
     "来电反映，被反映人多次在节假日驾驶公务用车办理私事。", "2026-04-02",
     {"RY0038"},
     {{"2026-04-10", "review", NULL},
      {"2026-04-13", "submit", NULL},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-08", "register", NULL},
      {"2026-05-11", "assign", NULL},
      {"2026-05-28", "propose", "talk"},
      {"2026-06-01", "approve_disposal", NULL},
      {"2026-06-20", "talk_clear", NULL},
      {"2026-06-25", "feedback", "经谈话函询，反映问题不实，予以了结澄清。"}}},
    {0, "ML-HOUSING", "mass", "visit", "对群众反映的问题推诿扯皮",
     "实地走访反映，被反映人对群众反映的小区管网问题长期推诿。",
     "2026-04-03", {"RY0018"},
     {{"2026-04-10", "review", NULL},
      {"2026-04-13", "submit", NULL},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-08", "register", NULL},
      {"2026-05-11", "assign", NULL},
      {"2026-05-28", "propose", "talk"},
      {"2026-06-01", "approve_disposal", NULL},
      {"2026-06-22", "talk_first_form", NULL}}},
    {0, "ML-HOUSING", "organisational", "documents", "违规组织干部考察",
     "查阅资料发现，该局在干部考察中未按规定履行程序。", "2026-04-05",
     {"RY0028"},
     {{"2026-04-12", "review", NULL},
      {"2026-04-13", "submit", NULL},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-08", "register", NULL},
      {"2026-05-11", "assign", NULL},
      {"2026-05-28", "propose", "verify"},
      {"2026-06-01", "approve_disposal", NULL},
      {"2026-07-10", "verify_to_party", NULL}}},
    {0, "ML-HOUSING", "integrity", "petition", "违规参与民间借贷",
     "信访件反映，被反映人向管理服务对象借款并收取高额利息。",
     "2026-04-06", {"RY0048"},
     {{"2026-04-12", "review", NULL},
      {"2026-04-13", "submit", NULL},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-08", "register", NULL},
      {"2026-05-11", "assign", NULL},
      {"2026-05-28", "propose", "verify"},
      {"2026-06-01", "approve_disposal", NULL},
      {"2026-06-20", "file_case", "party"},
      {"2026-08-30", "withdraw", NULL}}},
    {0, "ML-HOUSING", "appointment", "petition", "违规提拔任用干部",
     "信访件反映，该局在干部选拔中存在带病提拔问题。", "2026-04-07",
     {"RY0058"},
     {{"2026-04-14", "review", NULL},
      {"2026-04-15", "submit", "organisation"},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-10", "receive_external", NULL},
      {"2026-11-09", "feedback", "组织部已启动核查，现报告进展。"}}},
    {0, "ML-HOUSING", "appointment", "documents", "干部人事档案管理不规范",
     "查阅干部人事档案发现，部分档案材料缺失、信息前后不一致。",
     "2026-04-07", {"RY0008"},
     {{"2026-04-14", "review", NULL},
      {"2026-04-15", "submit", "organisation"},
      {"2026-05-06", "transfer", NULL},
      {"2026-05-10", "receive_external", NULL},
      {"2026-09-15", "conclude_external",
       "组织部已督促整改，对相关责任人批评教育。"}}},
    {0, "ML-HOUSING", "other", "documents", "国有资产出租收益未入账",
     "查阅资料发现，该局下属企业部分门面出租收益未纳入账内核算。",
     "2026-04-09", {"RY0018"},
     {{"2026-04-16", "review", NULL},
      {"2026-04-17", "submit", "other"},
      {"2026-05-20", "transfer", NULL}}},
    {0, "ML-HOUSING", "integrity", "interview", "违规报销个人费用",
     "个别谈话反映，被反映人将个人旅游费用在单位报销。", "2026-03-16",
     {"RY0028"},
     {{"2026-03-25", "review", NULL},
      {"2026-03-26", "submit", NULL},
      {"2026-04-08", "transfer", NULL},
      {"2026-04-09", "register", NULL},
      {"2026-04-10", "assign", NULL},
      {"2026-04-28", "propose", "verify"},
      {"2026-04-30", "approve_disposal", NULL},
      {"2026-06-15", "verify_clear", NULL},
      {"2026-06-20", "feedback", "经初步核实，反映问题查无实据，予以了结。"}}},
    {0, "ML-HOUSING", "duty_illegal", "petition", "违规变更土地用途",
     "信访件反映，某地块在未经批准的情况下由工业用地变更为商业用地。",
     "2026-04-11", {"RY0038", "RY0048"},
     {{"2026-04-20", "review", NULL},
      {"2026-04-21", "submit", NULL},
      {"2026-05-12", "transfer", NULL},
      {"2026-05-13", "register", NULL},
      {"2026-05-15", "assign", NULL},
      {"2026-06-08", "propose", "verify"},
      {"2026-06-10", "approve_disposal", NULL},
      {"2026-08-01", "file_case", "party"},
      {"2026-09-01", "file_more", "2:super"},
      {"2026-11-12", "feedback", FB2}}},
    {0, "ML-HOUSING", "integrity", "petition", "违规经商办企业",
     "信访件反映，被反映人以他人名义持有建筑劳务公司股份。", "2026-03-10",
     {"RY0058"},
     {{"2026-03-18", "review", NULL},
      {"2026-03-19", "submit", NULL},
      {"2026-03-30", "transfer", NULL},
      {"2026-03-31", "register", NULL},
      {"2026-04-02", "assign", NULL},
      {"2026-04-20", "propose", "verify"},
      {"2026-04-22", "approve_disposal", NULL},
      {"2026-05-10", "file_case", "both"},
      {"2026-06-20", "to_trial", NULL},
      {"2026-07-10", "sanction", "1:party_remove_post"},
      {"2026-07-10", "sanction", "1:gov_dismissal"},
      {"2026-07-15", "decide", NULL},
      {"2026-07-20", "announce", "1"},
      {"2026-07-20", "announce", "2"},
      {"2026-09-30", "conclude", NULL},
      {"2026-10-10", "feedback", "已结案：给予撤销党内职务、政务撤职处分。"}}},
    {0, "ML-HOUSING", "work", "visit", "安全生产监管失职",
     "实地走访发现，某在建工地安全隐患长期未整改。", "2026-04-16",
     {"RY0008"},
     {{"2026-04-24", "review", NULL},
      {"2026-04-27", "submit", NULL},
      {"2026-05-15", "transfer", NULL},
      {"2026-05-18", "register", NULL},
      {"2026-05-20", "assign", NULL},
      {"2026-06-12", "propose", "verify"},
      {"2026-06-15", "approve_disposal", NULL},
      {"2026-07-20", "verify_park", NULL},
      {"2026-09-20", "park_close", NULL}}},
    {0, "ML-HOUSING", "integrity", "interview", "违规使用公务接待经费",
     "个别谈话反映，被反映人以公务接待名义列支私人宴请费用。",
     "2026-04-17", {"RY0038"},
     {{"2026-04-24", "review", NULL},
      {"2026-04-27", "submit", NULL},
      {"2026-05-15", "transfer", NULL},
      {"2026-05-18", "register", NULL},
      {"2026-05-20", "assign", NULL},
      {"2026-06-12", "propose", "talk"},
      {"2026-06-15", "approve_disposal", NULL},
      {"2026-07-15", "talk_verify", NULL},
      {"2026-08-20", "verify_first_form", NULL}}},
};

/* The accounts the acts are taken as, by role (demo logins are role
** codes). */
typedef struct Actors {
  int64_t id[8];
} Actors;
static const char *const actor_logins[] = {
    "xcz_leader", "xcz_deputy", "xcz_member", "xcb",
    "ldxz",       "ags",        "cbbm",       "lxs"};
enum { A_LEADER, A_DEPUTY, A_MEMBER, A_XCB, A_LDXZ, A_AGS, A_CBBM, A_LXS };

static int64_t one_id(Db *db, StmtId id, int64_t a, const char *b) {
  Stmt *st = db_stmt(db, id);
  int64_t v = 0;
  if (!st) return 0;
  if (b)
    db_bind_text(st, 1, b);
  else
    db_bind_int64(st, 1, a);
  if (db_step(st) == DB_ROW) v = db_column_int64(st, 0);
  db_reset(st);
  return v;
}

/* The n-th (1-based) id of a clue's persons / sanctions / measures. */
static int64_t nth_id(Db *db, StmtId id, int64_t clue, int n) {
  Stmt *st = db_stmt(db, id);
  int64_t v = 0;
  if (!st) return 0;
  db_bind_int64(st, 1, clue);
  for (int i = 0; i < n && db_step(st) == DB_ROW; i++)
    v = db_column_int64(st, 0);
  db_reset(st);
  return v;
}

/* Who takes action code on a clue of the current round (current) or of
** the first round. */
static int actor_of(Db *db, const char *code, int current, int64_t clue) {
  /* The leader reviews: the deputy is not on a member's clue's list. */
  if (str_eq(code, "review")) return A_LEADER;
  if (str_eq(code, "submit")) return current ? A_MEMBER : A_LEADER;
  if (str_eq(code, "to_suggestion") || str_eq(code, "assist_request"))
    return A_LEADER;
  if (str_eq(code, "approve_transfer") || str_eq(code, "return_transfer")) {
    const char *roles[5];
    size_t n = clue_transfer_chain(db, roles);
    int64_t step = one_id(db, STMT_CLUEDEMO_STEP, clue, NULL);
    const char *r = step >= 1 && (size_t)step <= n ? roles[step - 1] : "";
    return str_eq(r, "xcb") ? A_XCB : str_eq(r, "ldxz") ? A_LDXZ : A_LEADER;
  }
  if (str_eq(code, "register") || str_eq(code, "assign") ||
      str_eq(code, "approve_disposal") || str_eq(code, "assist_assign"))
    return A_AGS;
  if (str_eq(code, "assist_step")) return A_LXS;
  if (str_eq(code, "receive_external") || str_eq(code, "conclude_external"))
    return A_XCB;
  if (str_eq(code, "feedback")) {
    /* The 案管室 reports on the commission's clues; the inspection office
     * records what other bodies report. */
    Stmt *st = db_stmt(db, STMT_CLUEDEMO_DESTINATION);
    int commission = 0;
    if (!st) return A_AGS;
    db_bind_int64(st, 1, clue);
    if (db_step(st) == DB_ROW)
      commission = str_eq(db_column_text(st, 0), "commission");
    db_reset(st);
    return commission ? A_AGS : A_XCB;
  }
  return A_CBBM;
}

/* 10:00 北京时间 on date d, or now when d is later than today. */
static jx_time act_time(const char *d, jx_time now) {
  jx_time t;
  char today[11];
  date_of(now, today);
  if (strcmp(d, today) > 0 || time_parse_iso(d, &t) != 0) return now;
  return t + 2 * 3600;
}

static int act(Db *db, const Actors *who, const DemoClue *dc, int64_t id,
               const Act *a, const char *code, Buf *err) {
  ClueViewer v;
  int actor = actor_of(db, code, dc->current, id);
  if (clue_viewer_load(db, who->id[actor], actor_logins[actor], &v) != 0) {
    buf_printf(err, "演示数据：找不到账号 %s", actor_logins[actor]);
    return -1;
  }
  const char *arg = a->arg ? a->arg : "";
  int n = atoi(arg);
  const char *colon = strchr(arg, ':');
  int64_t lxs = who->id[A_LXS];
  ClueActIn in = {
      .opinion = "经集体研究，同意。",
      .approver = "分管副书记",
      .meeting = "2026年室务会",
      .participants = "组长、副组长、联络员",
      .conclusion = "问题反映具体，具有可查性，建议移交。",
      .handling_office = "ML.JJ1",
      .text = "请求派员提前介入，协助核实资金往来。",
      .stage = "screen",
      .measure = "ff_remind",
      .note = "经审理查明",
  };
  if (str_eq(code, "submit")) {
    in.destination = *arg ? arg : "commission";
    if (str_eq(in.destination, "other"))
      in.destination_name = "明澜市国有资产监督管理委员会";
  } else if (str_eq(code, "propose")) {
    in.disposal = arg;
  } else if (str_eq(code, "file_case")) {
    in.filing = arg;
  } else if (str_eq(code, "file_more") || str_eq(code, "sanction")) {
    in.person_id = nth_id(db, STMT_CLUEDEMO_PERSONS, id, n);
    if (colon && str_eq(code, "file_more")) in.filing = colon + 1;
    if (colon && str_eq(code, "sanction")) in.measure = colon + 1;
  } else if (str_eq(code, "detain")) {
    in.person_id = nth_id(db, STMT_CLUEDEMO_PERSONS, id, n);
    in.approver = "市纪委监委";
  } else if (str_eq(code, "detain_extend") || str_eq(code, "detain_end")) {
    in.measure_id = nth_id(db, STMT_CLUEDEMO_MEASURES, id, 1);
    in.approver = "省纪委监委";
  } else if (str_eq(code, "announce") || str_eq(code, "execute")) {
    in.sanction_id = nth_id(db, STMT_CLUEDEMO_SANCTIONS, id, n);
  } else if (str_eq(code, "feedback") || str_eq(code, "conclude_external")) {
    in.text = arg;
    in.opinion = arg;
  } else if (str_eq(code, "assist_assign")) {
    in.user_ids = &lxs;
    in.n_user_ids = 1;
  } else if (str_eq(code, "assist_step")) {
    in.text = "已筛查结算数据，发现疑点三处，建议重点核查。";
  }
  const char *field = NULL;
  Buf why = BUF_INIT;
  ClueResult r = clue_act(db, &v, id, code, &in, NULL, &field, &why);
  if (r != CLUE_OK)
    buf_printf(err, "演示数据（线索 %s，%s %s）：%s", dc->summary, a->date,
               code, buf_str(&why));
  buf_release(&why);
  return r == CLUE_OK ? 0 : -1;
}

static int load_clue(Db *db, const Actors *who, const int64_t round[2],
                     const int64_t team[2], const DemoClue *dc, jx_time now,
                     Buf *err) {
  CluePersonIn persons[3];
  size_t np = 0;
  for (; np < JX_COUNT(dc->persons) && dc->persons[np]; np++)
    persons[np] = (CluePersonIn){
        .person_id = one_id(db, STMT_CLUEDEMO_PERSON_BY_CODE, 0,
                            dc->persons[np])};
  /* Found on the story's date, or today when that is still to come. */
  char found[11];
  date_of(act_time(dc->found_on, now), found);
  ClueIn in = {.round_id = round[dc->current],
               .team_id = team[dc->current],
               .unit_id = one_id(db, STMT_RND_UNIT_BY_CODE, 0, dc->unit),
               .kind = "clue",
               .category = dc->category,
               .source = dc->source,
               .summary = dc->summary,
               .facts = dc->facts,
               .found_on = found,
               .cond_nature = 1,
               .cond_evidence = 1,
               .cond_facts = 1,
               .persons = persons,
               .n_persons = np};
  int creator = dc->current ? A_MEMBER : A_LEADER;
  ClueViewer v;
  if (clue_viewer_load(db, who->id[creator], actor_logins[creator], &v) != 0)
    return -1;
  /* Recorded the day it was found. */
  clock_set(act_time(dc->found_on, now));
  int64_t id = 0;
  const char *field = NULL;
  Buf why = BUF_INIT;
  if (clue_create(db, &v, &in, &id, &field, &why) != CLUE_OK) {
    buf_printf(err, "演示数据（线索 %s）：%s", dc->summary, buf_str(&why));
    buf_release(&why);
    return -1;
  }
  buf_release(&why);
  for (size_t k = 0; k < JX_COUNT(dc->acts) && dc->acts[k].action; k++) {
    const Act *a = &dc->acts[k];
    clock_set(act_time(a->date, now));
    if (!str_eq(a->action, "transfer")) {
      if (act(db, who, dc, id, a, a->action, err) != 0) return -1;
      continue;
    }
    /* Every step of the chain on the day. */
    for (int guard = 0; guard < 5; guard++) {
      if (one_id(db, STMT_CLUEDEMO_STEP, id, NULL) == 0) break;
      if (act(db, who, dc, id, a, "approve_transfer", err) != 0) return -1;
    }
  }
  return 0;
}

int demo_clues_load(Db *db, Buf *err) {
  Actors who = {{0}};
  for (size_t i = 0; i < JX_COUNT(actor_logins); i++)
    if (!(who.id[i] = one_id(db, STMT_USER_BY_LOGIN, 0, actor_logins[i]))) {
      buf_printf(err, "演示数据：找不到账号 %s", actor_logins[i]);
      return -1;
    }
  /* The first and the current round's 第一巡察组 (both led by the
   * xcz_leader account). */
  int64_t round[2] = {0, 0}, team[2] = {0, 0};
  Stmt *st = db_stmt(db, STMT_CLUEDEMO_TEAMS);
  if (!st) return -1;
  for (int i = 0; i < 2 && db_step(st) == DB_ROW; i++) {
    round[i] = db_column_int64(st, 0);
    team[i] = db_column_int64(st, 1);
  }
  db_reset(st);
  if (!team[0] || !team[1] || team[0] == team[1]) {
    buf_puts(err, "演示数据：找不到巡察组");
    return -1;
  }
  /* The clock moves to each act's date; whatever pinned it before (a
   * test's JIXUN_FAKE_NOW, or the real clock) is put back at the end. */
  jx_time now = jx_now();
  int rc = 0;
  for (size_t i = 0; i < JX_COUNT(demo_clues) && rc == 0; i++)
    rc = load_clue(db, &who, round, team, &demo_clues[i], now, err);
  clock_set(0);
  const char *pinned = getenv("JIXUN_FAKE_NOW");
  jx_time t;
  if (pinned && time_parse_iso(pinned, &t) == 0) clock_set(t);
  return rc;
}
