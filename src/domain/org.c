/* org.c: registry rules shared by every org file — enumerations, input
** checks — and the jurisdictions, offices and sector tags (see org.h).
** Units and people are in org_unit.c, the staff pool in org_staff.c. */
#include "domain/org.h"

#include <stdlib.h>

/* ---- results ---- */

int org_http_status(OrgResult r) {
  switch (r) {
    case ORG_OK: return 200;
    case ORG_EINVALID: return 400;
    case ORG_ENOTFOUND: return 404;
    case ORG_ECONFLICT: return 409;
    default: return 500;
  }
}

const char *org_result_code(OrgResult r) {
  switch (r) {
    case ORG_OK: return "ok";
    case ORG_EINVALID: return "invalid";
    case ORG_ENOTFOUND: return "not_found";
    case ORG_ECONFLICT: return "conflict";
    default: return "db_error";
  }
}

/* ---- enumerations ---- */

const OrgLabel org_office_kinds[] = {
    {"petition", "信访室"},
    {"case_mgmt", "案件监督管理室"},
    {"conduct", "党风政风监督室"},
    {"supervision", "监督检查室"},
    {"investigation", "审查调查室"},
    {"trial", "案件审理室"},
    {"stationed", "派驻纪检监察组"},
    {"inspection", "巡察办"},
    {"organisation", "组织部"},
    {"audit", "审计局"},
    {"other", "其他"},
};
const size_t n_org_office_kinds = JX_COUNT(org_office_kinds);

const OrgLabel org_unit_levels[] = {
    {"city", "市级"},
    {"county", "县区级"},
    {"township", "乡镇（街道）级"},
    {"village", "村（社区）级"},
};
const size_t n_org_unit_levels = JX_COUNT(org_unit_levels);

const OrgLabel org_jur_levels[] = {
    {"city", "市"},
    {"county", "县区"},
};
const size_t n_org_jur_levels = JX_COUNT(org_jur_levels);

const OrgLabel org_tie_kinds[] = {
    {"relative", "亲属任职"},
    {"former", "曾任职"},
    {"other", "其他"},
};
const size_t n_org_tie_kinds = JX_COUNT(org_tie_kinds);

/* Customary spellings in spreadsheets that name a stored code. */
static const OrgLabel aliases[] = {
    {"case_mgmt", "案管室"},       {"supervision", "联系纪检监察室"},
    {"trial", "审理室"},           {"stationed", "派驻组"},
    {"inspection", "巡察工作领导小组办公室"},
    {"city", "市直"},              {"city", "市属"},
    {"county", "县区直"},          {"county", "县直"},
    {"county", "区直"},            {"county", "县级"},
    {"county", "区级"},            {"township", "乡镇级"},
    {"township", "乡镇"},          {"township", "街道"},
    {"village", "村级"},           {"village", "社区"},
    {"village", "村"},             {"relative", "亲属"},
    {"former", "曾任"},
};

const char *org_label(const OrgLabel *t, size_t n, const char *code) {
  for (size_t i = 0; code && i < n; i++)
    if (str_eq(t[i].code, code)) return t[i].label;
  return NULL;
}

const char *org_code_of(const OrgLabel *t, size_t n, const char *text) {
  if (!text) return NULL;
  for (size_t i = 0; i < n; i++)
    if (str_eq(t[i].code, text) || str_eq(t[i].label, text)) return t[i].code;
  for (size_t k = 0; k < JX_COUNT(aliases); k++)
    if (str_eq(aliases[k].label, text))
      for (size_t i = 0; i < n; i++)
        if (str_eq(t[i].code, aliases[k].code)) return t[i].code;
  return NULL;
}

/* ---- validation ---- */

static int code_chars(const char *s, size_t max, const char *extra) {
  size_t n = s ? strlen(s) : 0;
  if (n == 0 || n > max) return 0;
  for (size_t i = 0; i < n; i++) {
    char c = s[i];
    if (!((c >= '0' && c <= '9') || (c >= 'a' && c <= 'z') ||
          strchr(extra, c)))
      return 0;
  }
  return 1;
}

int org_code_valid(const char *s) {
  return code_chars(s, ORG_CODE_MAX,
                    "ABCDEFGHIJKLMNOPQRSTUVWXYZ_.-");
}

int org_tag_code_valid(const char *s) { return code_chars(s, 32, "_"); }

int org_date_valid(const char *s) {
  static const int mdays[] = {31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31};
  if (!s || strlen(s) != 10 || s[4] != '-' || s[7] != '-') return 0;
  for (int i = 0; i < 10; i++)
    if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9')) return 0;
  int y = atoi(s), m = atoi(s + 5), d = atoi(s + 8);
  if (y < 1900 || y > 2199 || m < 1 || m > 12 || d < 1) return 0;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  return d <= mdays[m - 1] + (m == 2 && leap);
}

int org_text_check(const char *s, int required, size_t max, const char *label,
                   Buf *err) {
  if (!s || !*s) {
    if (!required) return 0;
    buf_printf(err, "%s不能为空", label);
    return -1;
  }
  if (!utf8_valid(s, strlen(s))) {
    buf_printf(err, "%s含有无效字符", label);
    return -1;
  }
  for (const char *p = s; *p; p++)
    if ((unsigned char)*p < 0x20 || *p == 0x7f) {
      buf_printf(err, "%s不能含有控制字符或换行", label);
      return -1;
    }
  if (utf8_chars(s) > max) {
    buf_printf(err, "%s不能超过 %zu 个字", label, max);
    return -1;
  }
  return 0;
}

void org_split(const char *text, char ***out, size_t *n) {
  static const char *const seps[] = {"、", "，", "；", ",", ";", " ",
                                     "\t", "　"};
  const char *p = text ? text : "";
  while (*p) {
    size_t skip = 0;
    for (size_t k = 0; k < JX_COUNT(seps) && !skip; k++)
      if (str_starts(p, seps[k])) skip = strlen(seps[k]);
    if (skip) {
      p += skip;
      continue;
    }
    const char *start = p;
    while (*p) {
      int at_sep = 0;
      for (size_t k = 0; k < JX_COUNT(seps) && !at_sep; k++)
        at_sep = str_starts(p, seps[k]);
      if (at_sep) break;
      p++;
    }
    *out = xrealloc(*out, (*n + 2) * sizeof **out);
    (*out)[(*n)++] = xstrndup(start, (size_t)(p - start));
    (*out)[*n] = NULL;
  }
}

void org_strv_free(char **v, size_t n) {
  for (size_t i = 0; v && i < n; i++) free(v[i]);
  free(v);
}

/* ---- helpers ---- */

char *org_col(Stmt *st, int col) {
  const char *s = db_column_text(st, col);
  return xstrdup(s ? s : "");
}

void org_bind_like(Stmt *st, int i, const char *q) {
  Buf pat = BUF_INIT;
  buf_putc(&pat, '%');
  for (const char *p = q ? q : ""; *p; p++) {
    if (*p == '%' || *p == '_' || *p == '\\') buf_putc(&pat, '\\');
    buf_putc(&pat, *p);
  }
  buf_putc(&pat, '%');
  db_bind_text(st, i, buf_str(&pat));
  buf_release(&pat);
}

void org_viewer_system(OrgViewer *v) {
  memset(v, 0, sizeof *v);
  v->who.user_id = INT64_MAX; /* no such account: nothing is "own" */
  v->who.now = jx_now();
  v->scope = SCOPE_ALL;
}

int org_viewer_covers(const OrgViewer *v, const char *code) {
  return ntk_jur_within(&v->who, v->scope, code);
}

/* Map a failed write to a result: a constraint is a conflict. */
static OrgResult write_failed(int rc, Buf *err, const char *what) {
  if (rc == DB_ECONSTRAINT) {
    buf_printf(err, "%s与已有记录冲突", what);
    return ORG_ECONFLICT;
  }
  buf_puts(err, "保存失败，请稍后重试");
  return ORG_EDB;
}

/* ---- jurisdictions ---- */

void org_jur_clear(OrgJur *j) {
  if (!j) return;
  free(j->code);
  free(j->parent_code);
  free(j->name);
  free(j->level);
  free(j->commission_name);
  free(j->inspection_office_name);
  free(j->audit_office_name);
  memset(j, 0, sizeof *j);
}

void org_jurs_free(OrgJur *j, size_t n) {
  for (size_t i = 0; j && i < n; i++) org_jur_clear(&j[i]);
  free(j);
}

static void jur_row(Stmt *st, OrgJur *j) {
  j->code = org_col(st, 0);
  j->parent_code = org_col(st, 1);
  j->name = org_col(st, 2);
  j->level = org_col(st, 3);
  j->commission_name = org_col(st, 4);
  j->inspection_office_name = org_col(st, 5);
  j->audit_office_name = org_col(st, 6);
  j->sort_order = db_column_int64(st, 7);
  j->unit_count = db_column_int64(st, 8);
}

int org_jurs_list(Db *db, const OrgViewer *v, OrgJur **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_ORG_JUR_LIST);
  if (!st) return DB_EERROR;
  ntk_bind_jur(st, 1, &v->who, v->scope);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    jur_row(st, &(*out)[(*n)++]);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int org_jur_get(Db *db, const OrgViewer *v, const char *code, OrgJur *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_ORG_JUR_GET);
  if (!st) return DB_EERROR;
  db_bind_text(st, 1, org_s(code));
  ntk_bind_jur(st, 2, &v->who, v->scope);
  int rc = db_step(st);
  if (rc == DB_ROW) jur_row(st, out);
  db_reset(st);
  return rc == DB_ROW ? DB_OK : rc;
}

/* The level of jurisdiction code into out[16]: 1, or 0 when none. */
static int jur_level(Db *db, const char *code, char out[16]) {
  Stmt *st = db_stmt(db, STMT_ORG_JUR_EXISTS);
  if (!st) return 0;
  db_bind_text(st, 1, org_s(code));
  int found = db_step(st) == DB_ROW;
  if (found) str_copy(out, org_s(db_column_text(st, 0)), 16);
  db_reset(st);
  return found;
}

OrgResult org_jur_save(Db *db, const OrgViewer *v, const OrgJurIn *in,
                       int create, Buf *err, const char **field) {
  *field = NULL;
  if (!ntk_jur_code_valid(in->code)) {
    buf_puts(err, "辖区编码格式不正确（如 ML.BL：字母数字，以点分级）");
    *field = "code";
    return ORG_EINVALID;
  }
  if (org_text_check(in->name, 1, ORG_NAME_MAX, "辖区名称", err) ||
      org_text_check(in->commission_name, 0, ORG_NAME_MAX, "纪委监委名称",
                     err) ||
      org_text_check(in->inspection_office_name, 0, ORG_NAME_MAX,
                     "巡察机构名称", err) ||
      org_text_check(in->audit_office_name, 0, ORG_NAME_MAX, "审计机关名称",
                     err)) {
    *field = "name";
    return ORG_EINVALID;
  }
  char level[16];
  const char *dot = strrchr(in->code, '.');
  char parent[64] = "";
  if (dot) snprintf(parent, sizeof parent, "%.*s", (int)(dot - in->code),
                    in->code);
  if (!create) {
    if (!jur_level(db, in->code, level) || !org_viewer_covers(v, in->code)) {
      buf_puts(err, "辖区不存在");
      return ORG_ENOTFOUND;
    }
  } else {
    /* 市 → 县区 only: a root is a city, a child of a city a county. */
    if (dot && (!jur_level(db, parent, level) || !org_viewer_covers(v, parent))) {
      buf_printf(err, "上级辖区 %s 不存在", parent);
      *field = "code";
      return ORG_EINVALID;
    }
    if (dot && !str_eq(level, "city")) {
      buf_puts(err, "辖区只设市、县区两级：上级辖区须为市");
      *field = "code";
      return ORG_EINVALID;
    }
    if (!dot && v->scope != SCOPE_ALL) {
      buf_puts(err, "无权新建市级辖区");
      *field = "code";
      return ORG_EINVALID;
    }
    if (jur_level(db, in->code, level)) {
      buf_printf(err, "辖区编码 %s 已存在", in->code);
      *field = "code";
      return ORG_ECONFLICT;
    }
  }
  Stmt *st = db_stmt(db, create ? STMT_ORG_JUR_INSERT : STMT_ORG_JUR_UPDATE);
  if (!st) return write_failed(DB_EERROR, err, "辖区");
  int i = 1;
  if (create) {
    db_bind_text(st, i++, in->code);
    if (dot) db_bind_text(st, i++, parent);
    else db_bind_null(st, i++);
    db_bind_text(st, i++, in->name);
    db_bind_text(st, i++, dot ? "county" : "city");
  } else {
    db_bind_text(st, i++, in->name);
  }
  db_bind_text(st, i++, org_s(in->commission_name));
  db_bind_text(st, i++, org_s(in->inspection_office_name));
  db_bind_text(st, i++, org_s(in->audit_office_name));
  db_bind_int64(st, i++, in->sort_order);
  if (create) db_bind_int64(st, i++, jx_now());
  else db_bind_text(st, i++, in->code);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? ORG_OK : write_failed(rc, err, "辖区编码");
}

/* ---- offices ---- */

void org_office_clear(OrgOffice *o) {
  if (!o) return;
  free(o->code);
  free(o->jurisdiction_code);
  free(o->jurisdiction_name);
  free(o->name);
  free(o->kind);
  free(o->note);
  memset(o, 0, sizeof *o);
}

void org_offices_free(OrgOffice *o, size_t n) {
  for (size_t i = 0; o && i < n; i++) org_office_clear(&o[i]);
  free(o);
}

static void office_row(Stmt *st, OrgOffice *o) {
  o->id = db_column_int64(st, 0);
  o->code = org_col(st, 1);
  o->jurisdiction_code = org_col(st, 2);
  o->jurisdiction_name = org_col(st, 3);
  o->name = org_col(st, 4);
  o->kind = org_col(st, 5);
  o->note = org_col(st, 6);
  o->created_at = db_column_int64(st, 7);
  o->unit_count = db_column_int64(st, 8);
}

int org_page(Db *db, StmtId count_id, StmtId list_id, OrgBindFilter bind,
             const OrgViewer *v, const void *filter, int64_t limit,
             int64_t offset, size_t elem_size, OrgReadRow row, void **out,
             size_t *n, int64_t *total) {
  *out = NULL;
  *n = 0;
  if (total) {
    Stmt *c = db_stmt(db, count_id);
    if (!c) return DB_EERROR;
    bind(c, 1, v, filter);
    int rc = db_step(c);
    *total = rc == DB_ROW ? db_column_int64(c, 0) : 0;
    db_reset(c);
    if (rc != DB_ROW) return rc;
  }
  Stmt *st = db_stmt(db, list_id);
  if (!st) return DB_EERROR;
  int i = bind(st, 1, v, filter);
  db_bind_int64(st, i++, limit);
  db_bind_int64(st, i++, offset);
  int rc;
  char *rows = NULL;
  while ((rc = db_step(st)) == DB_ROW) {
    rows = xrealloc(rows, (*n + 1) * elem_size);
    char *elem = rows + (*n)++ * elem_size;
    memset(elem, 0, elem_size);
    row(st, elem);
  }
  db_reset(st);
  *out = rows;
  return rc == DB_DONE ? DB_OK : rc;
}

/* The office list's filter: a kind and a jurisdiction, either may be "". */
typedef struct OfficeFilter {
  const char *kind, *jur;
} OfficeFilter;

static int office_filter(Stmt *st, int i, const OrgViewer *v, const void *arg) {
  const OfficeFilter *f = arg;
  i = ntk_bind_jur(st, i, &v->who, v->scope);
  db_bind_text(st, i++, org_s(f->kind));
  db_bind_text(st, i++, org_s(f->kind));
  db_bind_text(st, i++, org_s(f->jur));
  db_bind_text(st, i++, org_s(f->jur));
  return i;
}

static void office_elem(Stmt *st, void *elem) { office_row(st, elem); }

int org_offices_list(Db *db, const OrgViewer *v, const char *kind,
                     const char *jur, int64_t limit, int64_t offset,
                     OrgOffice **out, size_t *n, int64_t *total) {
  OfficeFilter f = {kind, jur};
  return org_page(db, STMT_ORG_OFFICE_COUNT, STMT_ORG_OFFICE_LIST,
                  office_filter, v, &f, limit, offset, sizeof **out,
                  office_elem, (void **)out, n, total);
}

int org_office_get(Db *db, const OrgViewer *v, int64_t id, OrgOffice *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_ORG_OFFICE_GET);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  ntk_bind_jur(st, 2, &v->who, v->scope);
  int rc = db_step(st);
  if (rc == DB_ROW) office_row(st, out);
  db_reset(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int64_t org_office_find(Db *db, const OrgViewer *v, const char *code,
                        char *jur_out, size_t jur_n, char kind_out[24]) {
  Stmt *st = db_stmt(db, STMT_ORG_OFFICE_BY_CODE);
  if (!st || !code || !*code) return 0;
  db_bind_text(st, 1, code);
  int64_t id = 0;
  if (db_step(st) == DB_ROW) {
    const char *jur = org_s(db_column_text(st, 1));
    if (!v || org_viewer_covers(v, jur)) {
      id = db_column_int64(st, 0);
      if (jur_out) str_copy(jur_out, jur, jur_n);
      if (kind_out) str_copy(kind_out, org_s(db_column_text(st, 2)), 24);
    }
  }
  db_reset(st);
  return id;
}

OrgResult org_office_save(Db *db, const OrgViewer *v, int64_t id,
                          const OrgOfficeIn *in, int64_t *out_id, Buf *err,
                          const char **field) {
  OrgOffice cur = {0};
  char level[16];
  const char *jur = in->jurisdiction_code;
  *field = NULL;
  if (id) {
    if (org_office_get(db, v, id, &cur) != DB_OK) {
      buf_puts(err, "部门不存在");
      return ORG_ENOTFOUND;
    }
    jur = cur.jurisdiction_code; /* an office never changes jurisdiction */
  }
  OrgResult r = ORG_EINVALID;
  size_t jn = strlen(org_s(jur));
  if (!id && (!jur_level(db, jur, level) || !org_viewer_covers(v, jur))) {
    buf_puts(err, "所属辖区不存在");
    *field = "jurisdiction_code";
  } else if (!in->code || strlen(in->code) <= jn + 1 ||
             strncmp(in->code, jur, jn) != 0 || in->code[jn] != '.' ||
             !ntk_jur_code_valid(in->code)) {
    buf_printf(err, "部门编码须以所属辖区编码加点开头（如 %s.AGS）", jur);
    *field = "code";
  } else if (org_text_check(in->name, 1, ORG_NAME_MAX, "部门名称", err)) {
    *field = "name";
  } else if (!org_label(org_office_kinds, n_org_office_kinds, in->kind)) {
    buf_puts(err, "部门类别不正确");
    *field = "kind";
  } else if (org_text_check(in->note, 0, ORG_TEXT_MAX, "备注", err)) {
    *field = "note";
  } else {
    char other_kind[24];
    int64_t other = org_office_find(db, NULL, in->code, NULL, 0, other_kind);
    if (other && other != id) {
      buf_printf(err, "部门编码 %s 已存在", in->code);
      *field = "code";
      r = ORG_ECONFLICT;
      goto done;
    }
    if (id && str_eq(cur.kind, "stationed") && !str_eq(in->kind, "stationed") &&
        cur.unit_count > 0) {
      buf_puts(err, "该派驻组仍在监督单位，不能改为其他类别");
      *field = "kind";
      r = ORG_ECONFLICT;
      goto done;
    }
    Stmt *st = db_stmt(db, id ? STMT_ORG_OFFICE_UPDATE : STMT_ORG_OFFICE_INSERT);
    if (!st) {
      r = write_failed(DB_EERROR, err, "部门");
      goto done;
    }
    int i = 1;
    db_bind_text(st, i++, in->code);
    if (!id) db_bind_text(st, i++, jur);
    db_bind_text(st, i++, in->name);
    db_bind_text(st, i++, in->kind);
    db_bind_text(st, i++, org_s(in->note));
    if (id) db_bind_int64(st, i++, id);
    else db_bind_int64(st, i++, jx_now());
    int rc = db_step(st);
    if (!id && rc == DB_ROW) {
      *out_id = db_column_int64(st, 0);
      rc = DB_DONE;
    } else if (id && rc == DB_DONE) {
      *out_id = id;
    }
    db_reset(st);
    r = rc == DB_DONE ? ORG_OK : write_failed(rc, err, "部门编码");
  }
done:
  org_office_clear(&cur);
  return r;
}

/* ---- sector tags ---- */

void org_tags_free(OrgTag *t, size_t n) {
  for (size_t i = 0; t && i < n; i++) {
    free(t[i].code);
    free(t[i].name);
  }
  free(t);
}

int org_tags_list(Db *db, OrgTag **out, size_t *n) {
  *out = NULL;
  *n = 0;
  Stmt *st = db_stmt(db, STMT_ORG_TAG_LIST);
  if (!st) return DB_EERROR;
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    *out = xrealloc(*out, (*n + 1) * sizeof **out);
    OrgTag *t = &(*out)[(*n)++];
    t->code = org_col(st, 0);
    t->name = org_col(st, 1);
    t->sort_order = db_column_int64(st, 2);
    t->unit_count = db_column_int64(st, 3);
  }
  db_reset(st);
  return rc == DB_DONE ? DB_OK : rc;
}

int org_tag_resolve(Db *db, const char *text, char out[40]) {
  Stmt *st = db_stmt(db, STMT_ORG_TAG_RESOLVE);
  if (!st || !text || !*text) return -1;
  db_bind_text(st, 1, text);
  db_bind_text(st, 2, text);
  db_bind_text(st, 3, text);
  int found = db_step(st) == DB_ROW;
  if (found) str_copy(out, org_s(db_column_text(st, 0)), 40);
  db_reset(st);
  return found ? 0 : -1;
}

OrgResult org_tag_save(Db *db, const char *code, const char *name,
                       int64_t sort_order, int create, Buf *err,
                       const char **field) {
  char existing[40];
  *field = NULL;
  if (!org_tag_code_valid(code)) {
    buf_puts(err, "标签编码须为 1–32 位小写字母、数字或下划线");
    *field = "code";
    return ORG_EINVALID;
  }
  if (org_text_check(name, 1, ORG_SHORT_MAX, "标签名称", err)) {
    *field = "name";
    return ORG_EINVALID;
  }
  if (sort_order < 0 || sort_order > 1000000) {
    buf_puts(err, "排序号应为 0 到 1000000 之间的整数");
    *field = "sort_order";
    return ORG_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_ORG_TAG_NAME_TAKEN);
  if (!st) return ORG_EDB;
  db_bind_text(st, 1, name);
  db_bind_text(st, 2, code);
  int taken = db_step(st) == DB_ROW;
  db_reset(st);
  if (taken) {
    buf_printf(err, "标签名称“%s”已被使用", name);
    *field = "name";
    return ORG_ECONFLICT;
  }
  /* Resolve by code only: a name equal to another tag's code is fine. */
  int exists = org_tag_resolve(db, code, existing) == 0 &&
               str_eq(existing, code);
  if (create && exists) {
    buf_printf(err, "标签编码 %s 已存在", code);
    *field = "code";
    return ORG_ECONFLICT;
  }
  if (!create && !exists) {
    buf_puts(err, "标签不存在");
    return ORG_ENOTFOUND;
  }
  st = db_stmt(db, create ? STMT_ORG_TAG_INSERT : STMT_ORG_TAG_UPDATE);
  if (!st) return ORG_EDB;
  if (create) {
    db_bind_text(st, 1, code);
    db_bind_text(st, 2, name);
    db_bind_int64(st, 3, sort_order);
    db_bind_int64(st, 4, jx_now());
  } else {
    db_bind_text(st, 1, name);
    db_bind_int64(st, 2, sort_order);
    db_bind_text(st, 3, code);
  }
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? ORG_OK : write_failed(rc, err, "标签");
}

OrgResult org_tag_delete(Db *db, const char *code, Buf *err) {
  char existing[40];
  if (!org_tag_code_valid(code) || org_tag_resolve(db, code, existing) != 0 ||
      !str_eq(existing, code)) {
    buf_puts(err, "标签不存在");
    return ORG_ENOTFOUND;
  }
  Stmt *st = db_stmt(db, STMT_ORG_TAG_USES);
  if (!st) return ORG_EDB;
  db_bind_text(st, 1, code);
  db_bind_text(st, 2, code);
  int64_t uses = db_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
  db_reset(st);
  if (uses != 0) {
    buf_printf(err, "标签仍被 %lld 个单位或巡察轮次使用，不能删除",
               (long long)uses);
    return uses < 0 ? ORG_EDB : ORG_ECONFLICT;
  }
  st = db_stmt(db, STMT_ORG_TAG_DELETE);
  if (!st) return ORG_EDB;
  db_bind_text(st, 1, code);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE ? ORG_OK : write_failed(rc, err, "标签");
}
