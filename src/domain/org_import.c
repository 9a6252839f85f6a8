/* org_import.c: check and import units, people and staff from a sheet,
** all or nothing (see org_import.h; the columns are documented in
** docs/IMPORT.md and must stay in step with the tables below). */
#include "domain/org_import.h"

#include <stdarg.h>
#include <stdlib.h>

#define ERRORS_KEPT 10000 /* problems listed; bad_rows counts them all */

/* ---- the columns ---- */

enum { U_CODE, U_NAME, U_JUR, U_PARENT, U_LEVEL, U_SECTORS, U_OFFICE, U_NOTE };
static const OrgImportColumn unit_cols[] = {
    {"单位编码", 1, "唯一，1–32 位字母、数字或 _ . -，如 BL-EDU-001"},
    {"单位名称", 1, "如 北岭县第一中学"},
    {"所属辖区编码", 1, "如 ML（明澜市）、ML.BL（北岭县）"},
    {"上级单位编码", 0, "可空；须为同一辖区的单位，可以是本文件中的单位"},
    {"层级", 1, "市级、县区级、乡镇（街道）级或村（社区）级"},
    {"领域标签", 0, "可空；多个用“、”分隔，如 教育、卫生健康"},
    {"派驻组编码", 0, "可空；同一辖区的派驻纪检监察组的部门编码"},
    {"备注", 0, "可空"},
};

enum { PC_CODE, PC_NAME, PC_UNIT, PC_POST, PC_RANK, PC_PARTY, PC_SUPV, PC_MANAGED,
       PC_NOTE };
static const OrgImportColumn person_cols[] = {
    {"人员编号", 1, "唯一，1–32 位字母、数字或 _ . -"},
    {"姓名", 1, ""},
    {"所在单位编码", 1, "系统中已有的单位"},
    {"职务", 0, "如 校长"},
    {"职级", 0, "如 正科级"},
    {"是否党员", 0, "是 / 否（空为否）"},
    {"是否监察对象", 0, "是 / 否（空为否）"},
    {"干部管理权限", 0, "如 市委管理、县委管理"},
    {"备注", 0, ""},
};

enum { S_CODE, S_NAME, S_JUR, S_OFFICE, S_RANK, S_POST, S_EXPERTISE, S_FROM,
       S_TO, S_NOTE };
static const OrgImportColumn staff_cols[] = {
    {"人员编号", 1, "唯一，1–32 位字母、数字或 _ . -"},
    {"姓名", 1, ""},
    {"所属辖区编码", 1, "如 ML.BL"},
    {"部门编码", 0, "可空；系统中已有的部门，如 ML.JJ1"},
    {"职级", 0, ""},
    {"现任职务", 0, ""},
    {"专长", 0, "可空；多个用“、”分隔，如 财务、审计"},
    {"可派出起始日期", 0, "可空；YYYY-MM-DD，与截止日期同填"},
    {"可派出截止日期", 0, "可空；YYYY-MM-DD"},
    {"备注", 0, ""},
};

static const struct {
  const char *code, *label;
  const OrgImportColumn *cols;
  size_t n;
} kinds[IMPORT__COUNT] = {
    [IMPORT_UNIT] = {"unit", "被巡察单位", unit_cols, JX_COUNT(unit_cols)},
    [IMPORT_PERSON] = {"person", "干部人员", person_cols,
                       JX_COUNT(person_cols)},
    [IMPORT_STAFF] = {"staff", "巡察力量库人员", staff_cols,
                      JX_COUNT(staff_cols)},
};

const char *org_import_kind_code(OrgImportKind k) {
  return k >= 0 && k < IMPORT__COUNT ? kinds[k].code : "?";
}

const char *org_import_kind_label(OrgImportKind k) {
  return k >= 0 && k < IMPORT__COUNT ? kinds[k].label : "?";
}

int org_import_kind_of(const char *code) {
  for (int k = 0; k < IMPORT__COUNT; k++)
    if (str_eq(kinds[k].code, code)) return k;
  return -1;
}

const OrgImportColumn *org_import_columns(OrgImportKind k, size_t *n) {
  *n = kinds[k].n;
  return kinds[k].cols;
}

void org_import_report_free(OrgImportReport *r) {
  for (size_t i = 0; r && i < r->n_errors; i++) {
    free(r->errors[i].column);
    free(r->errors[i].reason);
  }
  if (!r) return;
  free(r->errors);
  free(r->ignored_columns);
  r->errors = NULL;
  r->n_errors = 0;
  r->ignored_columns = NULL;
}

/* ---- a string → row index table for codes within the file ---- */

typedef struct CodeMap {
  const char **keys;
  size_t *vals;
  size_t cap; /* a power of two */
} CodeMap;

static uint64_t fnv(const char *s) {
  uint64_t h = 1469598103934665603ull;
  for (; *s; s++) h = (h ^ (unsigned char)*s) * 1099511628211ull;
  return h;
}

static void map_init(CodeMap *m, size_t n) {
  m->cap = 16;
  while (m->cap < 2 * n + 2) m->cap *= 2;
  m->keys = xcalloc(m->cap, sizeof *m->keys);
  m->vals = xcalloc(m->cap, sizeof *m->vals);
}

static void map_free(CodeMap *m) {
  free(m->keys);
  free(m->vals);
}

/* The row of key, or (size_t)-1. */
static size_t map_get(const CodeMap *m, const char *key) {
  for (size_t i = fnv(key) & (m->cap - 1); m->keys[i]; i = (i + 1) & (m->cap - 1))
    if (str_eq(m->keys[i], key)) return m->vals[i];
  return (size_t)-1;
}

/* Add key → val unless present; returns the existing value or -1. */
static size_t map_put(CodeMap *m, const char *key, size_t val) {
  size_t i = fnv(key) & (m->cap - 1);
  for (; m->keys[i]; i = (i + 1) & (m->cap - 1))
    if (str_eq(m->keys[i], key)) return m->vals[i];
  m->keys[i] = key;
  m->vals[i] = val;
  return (size_t)-1;
}

/* ---- the run ---- */

typedef struct Imp {
  Db *db;
  const OrgViewer *v;
  OrgImportKind kind;
  const OrgImportColumn *cols;
  size_t ncols;
  int map[16]; /* sheet column of each import column, -1 when absent */
  Sheet sh;
  OrgImportReport *rep;
  int64_t last_bad_row;
  OrgJur *jurs; /* the jurisdictions in scope */
  size_t n_jurs;
  CodeMap codes;
} Imp;

/* Record a problem with row's column col (-1: none). */
static void JX_FMT(4, 5) problem(Imp *im, int64_t row, int col,
                                 const char *fmt, ...) {
  OrgImportReport *r = im->rep;
  if (row != im->last_bad_row || row == 0) r->bad_rows += row != 0;
  im->last_bad_row = row;
  if (r->n_errors >= ERRORS_KEPT) return;
  Buf reason = BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&reason, fmt, ap);
  va_end(ap);
  r->errors = xrealloc(r->errors, (r->n_errors + 1) * sizeof *r->errors);
  r->errors[r->n_errors++] = (OrgImportError){
      row, xstrdup(col >= 0 ? im->cols[col].header : ""), buf_detach(&reason)};
}

/* The cell of import column col in row ("" when absent). */
static const char *cell(const Imp *im, const SheetRow *row, int col) {
  int k = im->map[col];
  return k >= 0 && (size_t)k < row->n ? row->cells[k] : "";
}

/* Match the header row to the columns.  0, or -1 after recording why. */
static int read_header(Imp *im) {
  const SheetRow *h = &im->sh.rows[0];
  Buf ignored = BUF_INIT;
  for (size_t c = 0; c < im->ncols; c++) im->map[c] = -1;
  for (size_t k = 0; k < h->n; k++) {
    char name[128];
    str_copy(name, h->cells[k], sizeof name);
    size_t len = strlen(name); /* "单位编码*" and "单位编码（必填）" too */
    if (len && name[len - 1] == '*') name[len - 1] = 0;
    char *paren = strstr(name, "（必填）");
    if (paren) *paren = 0;
    int found = 0;
    for (size_t c = 0; c < im->ncols; c++) {
      if (!str_eq(name, im->cols[c].header)) continue;
      found = 1;
      if (im->map[c] >= 0)
        problem(im, h->number, (int)c, "列“%s”重复出现", im->cols[c].header);
      else
        im->map[c] = (int)k;
    }
    if (!found && name[0]) {
      if (ignored.len) buf_puts(&ignored, "、");
      buf_puts(&ignored, name);
    }
  }
  im->rep->ignored_columns = xstrdup(buf_str(&ignored));
  buf_release(&ignored);
  for (size_t c = 0; c < im->ncols; c++)
    if (im->cols[c].required && im->map[c] < 0)
      problem(im, h->number, (int)c, "缺少必填列“%s”（第一行应为列标题）",
              im->cols[c].header);
  return im->rep->n_errors ? -1 : 0;
}

/* Required and formatted text; records the problem.  0 or -1. */
static int check_text(Imp *im, const SheetRow *row, int col, size_t max) {
  const char *s = cell(im, row, col);
  Buf err = BUF_INIT;
  int rc = org_text_check(s, im->cols[col].required, max, im->cols[col].header,
                          &err);
  if (rc) problem(im, row->number, col, "%s", buf_str(&err));
  buf_release(&err);
  return rc;
}

/* A registry code cell: format and uniqueness within the file (a later
** row repeating a code is the bad one).  0 or -1. */
static int check_code(Imp *im, size_t i, int col) {
  const SheetRow *row = &im->sh.rows[i];
  const char *s = cell(im, row, col);
  if (!*s) {
    problem(im, row->number, col, "%s不能为空", im->cols[col].header);
    return -1;
  }
  if (!org_code_valid(s)) {
    problem(im, row->number, col, "“%s”格式不正确：应为 1–32 位字母、数字或 _ . -",
            s);
    return -1;
  }
  size_t first = map_get(&im->codes, s); /* its first row in the file */
  if (first != i) {
    problem(im, row->number, col, "与第 %lld 行的%s“%s”重复",
            (long long)im->sh.rows[first].number, im->cols[col].header, s);
    return -1;
  }
  return 0;
}

/* Is code a jurisdiction in scope? */
static int jur_known(const Imp *im, const char *code) {
  for (size_t k = 0; k < im->n_jurs; k++)
    if (str_eq(im->jurs[k].code, code)) return 1;
  return 0;
}

static int check_jur(Imp *im, const SheetRow *row, int col) {
  const char *s = cell(im, row, col);
  if (!*s) {
    problem(im, row->number, col, "%s不能为空", im->cols[col].header);
    return -1;
  }
  if (!jur_known(im, s)) {
    problem(im, row->number, col, "辖区编码“%s”不存在", s);
    return -1;
  }
  return 0;
}

/* Look a code up with a catalogue statement (1 when a row exists). */
static int code_exists(Db *db, StmtId id, const char *code) {
  Stmt *st = db_stmt(db, id);
  if (!st) return -1;
  db_bind_text(st, 1, code);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_ROW ? 1 : rc == DB_DONE ? 0 : -1;
}

/* A date as spreadsheets write it ("2024-3-1", "2024/03/01",
** "2024.3.1", "2024年3月1日") into out[11] as 'YYYY-MM-DD'.  0 or -1. */
static int norm_date(const char *s, char out[11]) {
  int y, m, d, used = 0;
  if (sscanf(s, "%4d-%2d-%2d%n", &y, &m, &d, &used) != 3 &&
      sscanf(s, "%4d/%2d/%2d%n", &y, &m, &d, &used) != 3 &&
      sscanf(s, "%4d.%2d.%2d%n", &y, &m, &d, &used) != 3 &&
      sscanf(s, "%4d年%2d月%2d日%n", &y, &m, &d, &used) != 3)
    return -1;
  if (s[used] || y < 1900 || m < 1 || m > 12 || d < 1 || d > 31) return -1;
  char tmp[40];
  snprintf(tmp, sizeof tmp, "%04d-%02d-%02d", y, m, d);
  str_copy(out, tmp, 11);
  return org_date_valid(out) ? 0 : -1;
}

/* 是/否 and their spreadsheet spellings: 1, 0, or -1. */
static int yes_no(const char *s) {
  static const char *const yes[] = {"是", "Y", "y", "1", "TRUE", "true", "√"};
  static const char *const no[] = {"否", "N", "n", "0", "FALSE", "false", ""};
  for (size_t k = 0; k < JX_COUNT(yes); k++)
    if (str_eq(s, yes[k])) return 1;
  for (size_t k = 0; k < JX_COUNT(no); k++)
    if (str_eq(s, no[k])) return 0;
  return -1;
}

/* ---- units ---- */

/* The jurisdiction of unit code in the database, visible to v, into
** out[64]: 1, or 0 when none. */
static int db_unit_jur(Imp *im, const char *code, char out[64]) {
  Stmt *st = db_stmt(im->db, STMT_ORG_UNIT_BY_CODE);
  if (!st) return 0;
  db_bind_text(st, 1, code);
  int found = 0;
  if (db_step(st) == DB_ROW) {
    const char *j = org_s(db_column_text(st, 1));
    if (org_viewer_covers(im->v, j)) {
      str_copy(out, j, 64);
      found = 1;
    }
  }
  db_reset(st);
  return found;
}

static void check_unit_row(Imp *im, size_t i) {
  const SheetRow *row = &im->sh.rows[i];
  int64_t rn = row->number;
  const char *code = cell(im, row, U_CODE);
  if (check_code(im, i, U_CODE) == 0 &&
      code_exists(im->db, STMT_ORG_UNIT_BY_CODE, code) != 0)
    problem(im, rn, U_CODE, "单位编码“%s”在系统中已存在", code);
  check_text(im, row, U_NAME, ORG_NAME_MAX);
  int jur_ok = check_jur(im, row, U_JUR) == 0;
  const char *jur = cell(im, row, U_JUR);
  const char *level = cell(im, row, U_LEVEL);
  if (!org_code_of(org_unit_levels, n_org_unit_levels, level))
    problem(im, rn, U_LEVEL, "层级“%s”无法识别：应为市级、县区级、乡镇（街道）级或村（社区）级",
            level);
  const char *parent = cell(im, row, U_PARENT);
  if (*parent) {
    char pjur[64] = "";
    size_t k = map_get(&im->codes, parent);
    if (str_eq(parent, code)) {
      problem(im, rn, U_PARENT, "上级单位不能是本单位");
    } else if (k != (size_t)-1) {
      if (jur_ok && !str_eq(cell(im, &im->sh.rows[k], U_JUR), jur))
        problem(im, rn, U_PARENT, "上级单位“%s”（第 %lld 行）与本单位不属于同一辖区",
                parent, (long long)im->sh.rows[k].number);
    } else if (db_unit_jur(im, parent, pjur)) {
      if (jur_ok && !str_eq(pjur, jur))
        problem(im, rn, U_PARENT, "上级单位“%s”与本单位不属于同一辖区", parent);
    } else {
      problem(im, rn, U_PARENT, "上级单位编码“%s”不存在（系统和本文件中都没有）",
              parent);
    }
  }
  char **tags = NULL;
  size_t nt = 0;
  org_split(cell(im, row, U_SECTORS), &tags, &nt);
  for (size_t t = 0; t < nt; t++) {
    char tc[40];
    if (org_tag_resolve(im->db, tags[t], tc) != 0)
      problem(im, rn, U_SECTORS, "领域标签“%s”不存在（可在“领域标签”中新增）",
              tags[t]);
  }
  org_strv_free(tags, nt);
  const char *office = cell(im, row, U_OFFICE);
  if (*office) {
    char ojur[64], kind[24];
    if (!org_office_find(im->db, im->v, office, ojur, sizeof ojur, kind))
      problem(im, rn, U_OFFICE, "派驻组编码“%s”不存在", office);
    else if (!str_eq(kind, "stationed"))
      problem(im, rn, U_OFFICE, "部门“%s”不是派驻纪检监察组", office);
    else if (jur_ok && !str_eq(ojur, jur))
      problem(im, rn, U_OFFICE, "派驻组“%s”与本单位不属于同一辖区", office);
  }
  check_text(im, row, U_NOTE, ORG_TEXT_MAX);
}

/* Parent links inside the file must not loop.  Marks every row of a
** loop bad. */
static void check_unit_cycles(Imp *im) {
  size_t n = im->sh.n;
  unsigned char *state = xcalloc(n, 1); /* 0 new, 1 on path, 2 done */
  size_t *path = xmalloc(n * sizeof *path);
  for (size_t s = 1; s < n; s++) {
    size_t len = 0, at = s;
    while (at != (size_t)-1 && state[at] == 0) {
      state[at] = 1;
      path[len++] = at;
      const char *p = cell(im, &im->sh.rows[at], U_PARENT);
      at = *p ? map_get(&im->codes, p) : (size_t)-1;
    }
    if (at != (size_t)-1 && state[at] == 1) /* back on the path: a loop */
      for (size_t k = len; k-- > 0;) {
        problem(im, im->sh.rows[path[k]].number, U_PARENT,
                "上级单位关系形成循环（单位“%s”）",
                cell(im, &im->sh.rows[path[k]], U_CODE));
        if (path[k] == at) break;
      }
    for (size_t k = 0; k < len; k++) state[path[k]] = 2;
  }
  free(state);
  free(path);
}

/* Write row i after its parent in the file (iteratively: chains can be
** long).  0, or -1 with the problem recorded. */
static int import_unit(Imp *im, size_t i, unsigned char *done) {
  size_t chain[64], len = 0, at = i;
  while (at != (size_t)-1 && !done[at]) {
    if (len == JX_COUNT(chain)) { /* very deep: write the top part first */
      if (import_unit(im, at, done) != 0) return -1;
      break;
    }
    chain[len++] = at;
    const char *p = cell(im, &im->sh.rows[at], U_PARENT);
    at = *p ? map_get(&im->codes, p) : (size_t)-1;
  }
  while (len-- > 0) {
    const SheetRow *row = &im->sh.rows[chain[len]];
    char **tags = NULL;
    size_t nt = 0;
    org_split(cell(im, row, U_SECTORS), &tags, &nt);
    OrgUnitIn in = {
        .code = cell(im, row, U_CODE),
        .name = cell(im, row, U_NAME),
        .jurisdiction_code = cell(im, row, U_JUR),
        .level = org_code_of(org_unit_levels, n_org_unit_levels,
                             cell(im, row, U_LEVEL)),
        .note = cell(im, row, U_NOTE),
        .parent_code = cell(im, row, U_PARENT),
        .office_code = cell(im, row, U_OFFICE),
        .sectors = (const char *const *)tags,
        .n_sectors = nt,
    };
    Buf err = BUF_INIT;
    const char *field = NULL;
    OrgResult r = org_unit_save(im->db, im->v, 0, &in, NULL, &err, &field);
    org_strv_free(tags, nt);
    if (r != ORG_OK) problem(im, row->number, -1, "导入失败：%s", buf_str(&err));
    buf_release(&err);
    if (r != ORG_OK) return -1;
    done[chain[len]] = 1;
    im->rep->imported++;
  }
  return 0;
}

/* ---- people ---- */

static void check_person_row(Imp *im, size_t i) {
  const SheetRow *row = &im->sh.rows[i];
  int64_t rn = row->number;
  const char *code = cell(im, row, PC_CODE);
  if (check_code(im, i, PC_CODE) == 0 &&
      code_exists(im->db, STMT_ORG_PERSON_BY_CODE, code) != 0)
    problem(im, rn, PC_CODE, "人员编号“%s”在系统中已存在", code);
  check_text(im, row, PC_NAME, ORG_SHORT_MAX);
  const char *unit = cell(im, row, PC_UNIT);
  if (!*unit)
    problem(im, rn, PC_UNIT, "所在单位编码不能为空");
  else if (!org_unit_find(im->db, im->v, unit))
    problem(im, rn, PC_UNIT, "单位编码“%s”不存在", unit);
  check_text(im, row, PC_POST, ORG_NAME_MAX);
  check_text(im, row, PC_RANK, ORG_SHORT_MAX);
  check_text(im, row, PC_MANAGED, ORG_SHORT_MAX);
  check_text(im, row, PC_NOTE, ORG_TEXT_MAX);
  for (int c = PC_PARTY; c <= PC_SUPV; c++)
    if (yes_no(cell(im, row, c)) < 0)
      problem(im, rn, c, "“%s”无法识别：应填写“是”或“否”", cell(im, row, c));
}

static int import_person(Imp *im, size_t i) {
  const SheetRow *row = &im->sh.rows[i];
  OrgPersonIn in = {
      .code = cell(im, row, PC_CODE),
      .name = cell(im, row, PC_NAME),
      .unit_code = cell(im, row, PC_UNIT),
      .post = cell(im, row, PC_POST),
      .rank = cell(im, row, PC_RANK),
      .managed_by = cell(im, row, PC_MANAGED),
      .note = cell(im, row, PC_NOTE),
      .party_member = yes_no(cell(im, row, PC_PARTY)),
      .supervisory_object = yes_no(cell(im, row, PC_SUPV)),
  };
  Buf err = BUF_INIT;
  const char *field = NULL;
  OrgResult r = org_person_save(im->db, im->v, 0, &in, NULL, &err, &field);
  if (r != ORG_OK) problem(im, row->number, -1, "导入失败：%s", buf_str(&err));
  buf_release(&err);
  return r == ORG_OK ? 0 : -1;
}

/* ---- staff ---- */

static void check_staff_row(Imp *im, size_t i) {
  const SheetRow *row = &im->sh.rows[i];
  int64_t rn = row->number;
  const char *code = cell(im, row, S_CODE);
  if (check_code(im, i, S_CODE) == 0 &&
      code_exists(im->db, STMT_ORG_STAFF_BY_CODE, code) != 0)
    problem(im, rn, S_CODE, "人员编号“%s”在系统中已存在", code);
  check_text(im, row, S_NAME, ORG_SHORT_MAX);
  check_jur(im, row, S_JUR);
  const char *office = cell(im, row, S_OFFICE);
  if (*office && !org_office_find(im->db, im->v, office, NULL, 0, NULL))
    problem(im, rn, S_OFFICE, "部门编码“%s”不存在", office);
  check_text(im, row, S_RANK, ORG_SHORT_MAX);
  check_text(im, row, S_POST, ORG_NAME_MAX);
  check_text(im, row, S_NOTE, ORG_TEXT_MAX);
  char **tags = NULL;
  size_t nt = 0;
  org_split(cell(im, row, S_EXPERTISE), &tags, &nt);
  if (nt > 20) problem(im, rn, S_EXPERTISE, "专长最多 20 项");
  for (size_t t = 0; t < nt; t++) {
    Buf err = BUF_INIT;
    if (org_text_check(tags[t], 1, 20, "专长", &err))
      problem(im, rn, S_EXPERTISE, "“%s”：%s", tags[t], buf_str(&err));
    buf_release(&err);
  }
  org_strv_free(tags, nt);
  const char *from = cell(im, row, S_FROM), *to = cell(im, row, S_TO);
  char f[11] = "", t[11] = "";
  int ok = 1;
  if (*from && norm_date(from, f) != 0) {
    problem(im, rn, S_FROM, "日期“%s”无法识别：应为 YYYY-MM-DD", from);
    ok = 0;
  }
  if (*to && norm_date(to, t) != 0) {
    problem(im, rn, S_TO, "日期“%s”无法识别：应为 YYYY-MM-DD", to);
    ok = 0;
  }
  if (ok && (!*from) != (!*to))
    problem(im, rn, *from ? S_TO : S_FROM, "可派出起始日期与截止日期须同时填写");
  else if (ok && *from && strcmp(f, t) > 0)
    problem(im, rn, S_TO, "截止日期不能早于起始日期");
}

static int import_staff(Imp *im, size_t i) {
  const SheetRow *row = &im->sh.rows[i];
  OrgStaffIn in = {
      .code = cell(im, row, S_CODE),
      .name = cell(im, row, S_NAME),
      .office_code = cell(im, row, S_OFFICE),
      .jurisdiction_code = cell(im, row, S_JUR),
      .rank = cell(im, row, S_RANK),
      .post = cell(im, row, S_POST),
      .note = cell(im, row, S_NOTE),
      .expertise = cell(im, row, S_EXPERTISE),
      .active = 1,
  };
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t id = 0;
  OrgResult r = org_staff_save(im->db, im->v, 0, &in, &id, &err, &field);
  char f[11], t[11];
  if (r == ORG_OK && norm_date(cell(im, row, S_FROM), f) == 0 &&
      norm_date(cell(im, row, S_TO), t) == 0)
    r = org_staff_avail_add(im->db, id, f, t, "导入", &err, &field);
  if (r != ORG_OK) problem(im, row->number, -1, "导入失败：%s", buf_str(&err));
  buf_release(&err);
  return r == ORG_OK ? 0 : -1;
}

/* ---- the driver ---- */

/* Read data, check data rows from+1 .. from+count and, with commit and
** a clean complete check, write every row. */
static int run(Db *db, const OrgViewer *v, OrgImportKind kind,
               const char *data, size_t len, int64_t from, int64_t count,
               int commit, OrgImportReport *rep) {
  Imp im = {.db = db, .v = v, .kind = kind, .rep = rep, .last_bad_row = -1};
  Buf err = BUF_INIT;
  int rc = 1;
  memset(rep, 0, sizeof *rep);
  rep->kind = kind;
  im.cols = org_import_columns(kind, &im.ncols);
  if (sheet_read(data, len, &im.sh, &err) != 0) {
    problem(&im, 0, -1, "%s", buf_str(&err));
    goto done;
  }
  str_copy(rep->format, im.sh.format, sizeof rep->format);
  str_copy(rep->encoding, im.sh.encoding, sizeof rep->encoding);
  if (im.sh.n == 0) {
    problem(&im, 0, -1, "文件中没有内容（第一行应为列标题）");
    goto done;
  }
  rep->rows = (int64_t)im.sh.n - 1;
  if (read_header(&im) != 0) goto done;
  if (from < 0) from = 0;
  if (count < 1 || count > rep->rows - from) count = rep->rows - from;
  int64_t last = from + count; /* the last data row of this chunk */
  if (rep->rows == 0) {
    problem(&im, 0, -1, "文件只有标题行，没有数据");
    goto done;
  }
  if (org_jurs_list(db, v, &im.jurs, &im.n_jurs) != DB_OK) {
    rc = -1;
    goto done;
  }
  /* Every code's first row: for duplicates, and parents named before
   * their row. */
  map_init(&im.codes, im.sh.n);
  for (size_t i = 1; i < im.sh.n; i++) {
    const char *c = cell(&im, &im.sh.rows[i], 0); /* the code column */
    if (*c) map_put(&im.codes, c, i);
  }
  for (size_t i = (size_t)from + 1; i <= (size_t)last; i++) {
    if (kind == IMPORT_UNIT) check_unit_row(&im, i);
    else if (kind == IMPORT_PERSON) check_person_row(&im, i);
    else check_staff_row(&im, i);
  }
  rep->checked = last;
  if (kind == IMPORT_UNIT && last == rep->rows) check_unit_cycles(&im);
  if (rep->n_errors || !commit || from > 0 || last < rep->rows) {
    rc = rep->n_errors ? 1 : 0;
    goto done;
  }
  unsigned char *done_rows = xcalloc(im.sh.n, 1);
  for (size_t i = 1; i < im.sh.n && !rep->n_errors; i++) {
    if (kind == IMPORT_UNIT) {
      if (!done_rows[i]) import_unit(&im, i, done_rows);
    } else if ((kind == IMPORT_PERSON ? import_person(&im, i)
                                      : import_staff(&im, i)) == 0) {
      rep->imported++;
    }
  }
  free(done_rows);
  if (rep->n_errors) rep->imported = 0;
  rc = rep->n_errors ? 1 : 0;
done:
  if (rc == 1 && rep->checked == 0)
    rep->checked = rep->rows; /* the file as a whole is refused */
  if (rc != 0) rep->imported = 0;
  sheet_free(&im.sh);
  org_jurs_free(im.jurs, im.n_jurs);
  map_free(&im.codes);
  buf_release(&err);
  return rc;
}

int org_import_run(Db *db, const OrgViewer *v, OrgImportKind kind,
                   const char *data, size_t len, int commit,
                   OrgImportReport *rep) {
  return run(db, v, kind, data, len, 0, 0, commit, rep);
}

int org_import_check(Db *db, const OrgViewer *v, OrgImportKind kind,
                     const char *data, size_t len, int64_t from,
                     int64_t count, OrgImportReport *rep) {
  return run(db, v, kind, data, len, from, count, 0, rep);
}
