/* page_org_import.c: import of units, people and staff from XLSX or CSV
** with a preview (all or nothing), the empty templates, and the XLSX
** exports of the same lists (domain/org_import.h, docs/IMPORT.md); and
** the JSON API of the import (/api/v1/imports).
**
** The upload is checked row by row without writing anything, in chunks of
** org.import_chunk_rows rows per request.  A file of one chunk is judged
** at once: with any problem it is answered 422 with every problem (行号,
** 列, 原因) and not kept.  A larger file is kept as a pending org_import
** row at once; its page shows the progress and refreshes itself (a meta
** refresh, no script), each visit checking the next chunk and storing the
** progress in the row, until the problems or the confirm button can be
** shown.  Confirming re-reads and re-checks the whole file (the registry
** may have changed) and writes every row in the request's one
** transaction, or nothing. */
#include <stdlib.h>

#include "auth/auth.h"
#include "domain/org_import.h"
#include "domain/settings.h"
#include "web/api.h"
#include "web/export.h"
#include "web/html.h"
#include "web/page_org.h"
#include "web/pages.h"

#define EXPORT_MAX 100000 /* rows in one export */

/* May the viewer import this kind?  People need P_PEOPLE_READ too. */
static int may_kind(Request *req, OrgImportKind k) {
  return k != IMPORT_PERSON || auth_route_allowed(req, P_PEOPLE_READ);
}

/* ---- the import page ---- */

static void columns_table(Response *resp, OrgImportKind k) {
  size_t n;
  const OrgImportColumn *c = org_import_columns(k, &n);
  Buf *b = &resp->body;
  html_printf(b, "<h3>%s</h3>\n<table class=\"grid\"><thead><tr><th>列标题"
                 "</th><th>必填</th><th>说明</th></tr></thead><tbody>\n",
              org_import_kind_label(k));
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", c[i].header,
                c[i].required ? "是" : "", c[i].hint);
  html_printf(b, "</tbody></table>\n<p><a href=\"/org/import/template/%s\">"
                 "下载%s导入模板（XLSX）</a></p>\n",
              org_import_kind_code(k), org_import_kind_label(k));
}

/* ROUTE: GET /org/import */
void page_org_import(Request *req, Response *resp) {
  Buf *b = &resp->body;
  page_begin(req, resp, "导入", "org");
  orgw_tabs(req, resp, "import");
  html_raw(b,
           "<p>从 Excel（.xlsx）或 CSV（UTF-8 或 GBK 编码）导入。第一行为列标题。"
           "上传后先逐行检查并预览：文件中只要有一行有误，就不导入任何数据，"
           "并列出每一处错误（行号、列、原因）；检查无误后确认，全部数据在一次"
           "操作中导入。</p>\n");
  html_printf(b,
              "<form method=\"post\" action=\"/org/import\" "
              "enctype=\"multipart/form-data\"><input type=\"hidden\" "
              "name=\"csrf\" value=\"%s\">\n<label>导入内容<select "
              "name=\"kind\">",
              req->csrf_token);
  for (int k = 0; k < IMPORT__COUNT; k++)
    if (may_kind(req, (OrgImportKind)k))
      html_printf(b, "<option value=\"%s\">%s</option>",
                  org_import_kind_code((OrgImportKind)k),
                  org_import_kind_label((OrgImportKind)k));
  html_raw(b,
           "</select></label>\n<label>文件（.xlsx 或 .csv，不超过 32 MB）"
           "<input type=\"file\" name=\"file\" required "
           "accept=\".xlsx,.csv,text/csv\"></label>\n"
           "<button type=\"submit\">上传并检查</button></form>\n"
           "<h2>列说明</h2>\n");
  for (int k = 0; k < IMPORT__COUNT; k++)
    if (may_kind(req, (OrgImportKind)k)) columns_table(resp, (OrgImportKind)k);
  page_end(req, resp);
}

#define ERRORS_KEPT 10000 /* problems kept for one upload */

/* ---- checking in chunks ---- */

/* How far checking a kept upload has got (org_import columns). */
typedef struct Progress {
  int64_t rows;    /* data rows in the file */
  int64_t checked; /* data rows checked so far */
  int64_t bad;     /* bad rows found so far */
  json_t *errors;  /* [[row, "column", "reason"], …], owned */
} Progress;

static void progress_clear(Progress *p) {
  json_decref(p->errors);
  p->errors = NULL;
}

/* Append the problems of r to arr (at most ERRORS_KEPT in all). */
static void errors_append(json_t *arr, const OrgImportReport *r) {
  for (size_t i = 0; i < r->n_errors && json_array_size(arr) < ERRORS_KEPT;
       i++)
    json_array_append_new(arr, json_pack("[I, s, s]",
                                         (json_int_t)r->errors[i].row,
                                         r->errors[i].column,
                                         r->errors[i].reason));
}

/* The progress of upload id into *p (cleared first).  0 or -1. */
static int progress_load(Db *db, int64_t id, Progress *p) {
  Stmt *st = db_stmt(db, STMT_ORG_IMPORT_PROGRESS_GET);
  int rc = -1;
  progress_clear(p);
  if (!st) return -1;
  db_bind_int64(st, 1, id);
  if (db_step(st) == DB_ROW) {
    p->rows = db_column_int64(st, 0);
    p->checked = db_column_int64(st, 1);
    p->bad = db_column_int64(st, 2);
    p->errors = json_loads(org_s(db_column_text(st, 3)), 0, NULL);
    if (p->errors && json_is_array(p->errors)) rc = 0;
  }
  db_reset(st);
  if (rc) progress_clear(p);
  return rc;
}

/* Store *p for upload id if nobody moved it on from `was` meanwhile:
** 0 stored, 1 another request got there first, -1 database error. */
static int progress_save(Db *db, int64_t id, int64_t was, const Progress *p) {
  Stmt *st = db_stmt(db, STMT_ORG_IMPORT_PROGRESS_SET);
  if (!st) return -1;
  char *errs = json_dumps(p->errors, JSON_COMPACT);
  if (!errs) jx_fatal("json_dumps failed");
  db_bind_int64(st, 1, p->checked);
  db_bind_int64(st, 2, p->bad);
  db_bind_text(st, 3, errs);
  db_bind_int64(st, 4, id);
  db_bind_int64(st, 5, was);
  int rc = db_step(st);
  db_reset(st);
  free(errs);
  if (rc != DB_DONE) return -1;
  return db_changes(db) == 1 ? 0 : 1;
}

/* The rows checked per request (setting org.import_chunk_rows). */
static int64_t chunk_rows(Db *db) {
  return setting_int(db, "org.import_chunk_rows");
}

/* Has checking found anything wrong (also with the file as a whole,
** which is no row)? */
static int has_problems(const Progress *p) {
  return p->bad || json_array_size(p->errors);
}

/* "checking" | "ready" | "invalid" */
static const char *progress_status(const Progress *p) {
  return p->checked < p->rows ? "checking"
         : has_problems(p)    ? "invalid"
                              : "ready";
}

/* ---- pages ---- */

/* The problems kept for an upload as a table. */
static void errors_table(Response *resp, const json_t *errors, int64_t bad) {
  Buf *b = &resp->body;
  html_printf(b,
              "<p class=\"notice error\" role=\"alert\">文件有 %lld 处问题"
              "（涉及 %lld 行），未导入任何数据。请修改后重新上传。</p>\n",
              (long long)json_array_size(errors), (long long)bad);
  html_raw(b, "<table class=\"grid errors\"><thead><tr><th>行号</th><th>列</th>"
              "<th>原因</th></tr></thead><tbody>\n");
  size_t i;
  json_t *e;
  json_array_foreach(errors, i, e) {
    json_int_t rn = json_integer_value(json_array_get(e, 0));
    const char *col = json_string_value(json_array_get(e, 1));
    const char *why = json_string_value(json_array_get(e, 2));
    char row[24] = "—";
    if (rn) snprintf(row, sizeof row, "%lld", (long long)rn);
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", row,
                col && *col ? col : "—", why ? why : "");
  }
  html_raw(b, "</tbody></table>\n");
}

/* The problems of a report as a table. */
static void report_errors_table(Response *resp, const OrgImportReport *r) {
  json_t *arr = json_array();
  errors_append(arr, r);
  errors_table(resp, arr, r->bad_rows);
  json_decref(arr);
}

/* Facts of a report shared by the preview and the result. */
static void report_facts(Response *resp, const OrgImportReport *r,
                         const char *filename, size_t bytes) {
  html_printf(&resp->body,
              "<dl class=\"props\"><dt>内容</dt><dd>%s</dd><dt>文件</dt>"
              "<dd>%s（%zu KB）</dd><dt>格式</dt><dd>%s%s%s</dd><dt>数据行数</dt>"
              "<dd>%lld</dd><dt>未使用的列</dt><dd>%s</dd></dl>\n",
              org_import_kind_label(r->kind), filename, (bytes + 1023) / 1024,
              str_eq(r->format, "xlsx") ? "Excel（XLSX）" : "CSV",
              r->encoding[0] ? "，编码 " : "", r->encoding,
              (long long)r->rows,
              r->ignored_columns && r->ignored_columns[0] ? r->ignored_columns
                                                          : "无");
}

/* The discard button of upload id. */
static void discard_form(Request *req, Response *resp, int64_t id) {
  Buf a = BUF_INIT;
  buf_printf(&a, "/org/import/%lld/discard", (long long)id);
  form_begin(req, resp, buf_str(&a));
  html_raw(&resp->body,
           "<button type=\"submit\" class=\"link\">放弃</button></form>\n");
  buf_release(&a);
}

/* The preview of an upload (id 0: a file with problems that is not
** kept): progress while checking, refreshing itself (a meta refresh, no
** script), then the problems (422) or the confirm button. */
static void preview_page(Request *req, Response *resp, int64_t id,
                         const OrgImportReport *rep, const char *fname,
                         size_t bytes, const Progress *p) {
  Buf *b = &resp->body;
  page_begin(req, resp, "导入预览", "org");
  orgw_tabs(req, resp, "import");
  report_facts(resp, rep, fname, bytes);
  if (p->checked < p->rows) {
    char url[64], refresh[80];
    snprintf(url, sizeof url, "/org/import/%lld", (long long)id);
    snprintf(refresh, sizeof refresh, "1;url=%s", url);
    resp_header(resp, "Refresh", refresh);
    html_printf(b, "<meta http-equiv=\"refresh\" content=\"%s\">\n", refresh);
    html_printf(b,
                "<p class=\"notice\" role=\"status\">正在检查：已检查 %lld / "
                "%lld 行（%lld%%）。本页每秒自动刷新，检查完成后列出结果；"
                "检查期间不会写入任何数据。</p>\n",
                (long long)p->checked, (long long)p->rows,
                (long long)(p->checked * 100 / p->rows));
    if (p->bad)
      html_printf(b, "<p>已发现 %lld 行有问题，检查完成后将全部列出。</p>\n",
                  (long long)p->bad);
    html_printf(b, "<p><a href=\"%s\">刷新进度</a></p>\n", url);
    discard_form(req, resp, id);
  } else if (has_problems(p)) {
    resp->status = 422;
    resp->keep_writes = id != 0; /* the progress reached the end */
    errors_table(resp, p->errors, p->bad);
    html_raw(b, "<p><a href=\"/org/import\">重新上传</a></p>\n");
    if (id) discard_form(req, resp, id);
  } else {
    html_printf(b,
                "<p class=\"notice ok\" role=\"status\">检查通过：%lld 行数据均无"
                "问题。确认后将一次性全部导入。</p>\n",
                (long long)p->rows);
    Buf a = BUF_INIT;
    buf_printf(&a, "/org/import/%lld/confirm", (long long)id);
    form_begin(req, resp, buf_str(&a));
    html_printf(b, "<button type=\"submit\">确认导入 %lld 行</button></form>\n",
                (long long)p->rows);
    buf_release(&a);
    discard_form(req, resp, id);
  }
  page_end(req, resp);
}

/* The state of an upload for the API. */
static json_t *progress_json(int64_t id, const Progress *p) {
  json_t *errs = json_array();
  size_t i;
  json_t *e;
  json_array_foreach(p->errors, i, e) {
    json_int_t rn = json_integer_value(json_array_get(e, 0));
    const char *col = json_string_value(json_array_get(e, 1));
    json_array_append_new(
        errs, json_pack("{s:o, s:o, s:s}", "row",
                        rn ? json_integer(rn) : json_null(), "column",
                        col && *col ? json_string(col) : json_null(), "reason",
                        org_s(json_string_value(json_array_get(e, 2)))));
  }
  return json_pack("{s:o, s:s, s:I, s:I, s:I, s:o}", "id",
                   id ? json_integer(id) : json_null(), "status",
                   progress_status(p), "rows_total", (json_int_t)p->rows,
                   "rows_checked", (json_int_t)p->checked, "bad_rows",
                   (json_int_t)p->bad, "errors", errs);
}

/* The outcome of an upload: 0 with *id (0: a file with problems, not
** kept), *p and rep filled, or -1 after rendering the error. */
static int upload_start(Request *req, Response *resp, int64_t *id,
                        OrgImportReport *rep, Progress *p) {
  OrgViewer v;
  const Part *file = NULL, *kindp = NULL;
  *id = 0;
  for (size_t i = 0; i < req->parts.n; i++) {
    if (str_eq(req->parts.items[i].name, "file") && req->parts.items[i].filename)
      file = &req->parts.items[i];
    else if (str_eq(req->parts.items[i].name, "kind") &&
             !req->parts.items[i].filename)
      kindp = &req->parts.items[i];
  }
  char kc[16] = "";
  if (kindp && kindp->len < sizeof kc)
    snprintf(kc, sizeof kc, "%.*s", (int)kindp->len, kindp->data);
  int k = org_import_kind_of(kc);
  if (k < 0 || !may_kind(req, (OrgImportKind)k)) {
    web_error(req, resp, 400, "invalid", "请选择导入内容：被巡察单位、干部人员或巡察力量库人员",
              "kind");
    return -1;
  }
  if (!file || file->len == 0) {
    web_error(req, resp, 400, "invalid", "请选择要上传的文件（不能为空）", "file");
    return -1;
  }
  const char *fname = utf8_valid(file->filename, strlen(file->filename))
                          ? file->filename
                          : "(文件名无法识别)";
  orgw_viewer(req, P_ORG_EDIT, &v);
  int rc = org_import_check(req->db, &v, (OrgImportKind)k, file->data,
                            file->len, 0, chunk_rows(req->db), rep);
  orgw_audit(req, "org_import", 0, "上传导入文件（%s）：%lld 行，%zu 处问题",
             org_import_kind_label((OrgImportKind)k), (long long)rep->rows,
             rep->n_errors);
  if (rc < 0) {
    web_error(req, resp, 500, "db_error", "检查文件时读取数据库失败，请稍后重试",
              NULL);
    return -1;
  }
  progress_clear(p);
  *p = (Progress){rep->rows, rep->checked, rep->bad_rows, json_array()};
  errors_append(p->errors, rep);
  if (p->checked >= p->rows && has_problems(p)) return 0; /* not kept */
  /* Keep it: for confirmation, and to check the rest (earlier pending
   * uploads of this user go). */
  Stmt *st = db_stmt(req->db, STMT_ORG_IMPORT_DISCARD_MINE);
  int ok = st != NULL;
  if (ok) {
    db_bind_blob(st, 1, "", 0);
    db_bind_int64(st, 2, jx_now());
    db_bind_int64(st, 3, req->user_id);
    ok = db_step(st) == DB_DONE;
    db_reset(st);
  }
  st = ok ? db_stmt(req->db, STMT_ORG_IMPORT_INSERT) : NULL;
  if (st) {
    db_bind_text(st, 1, org_import_kind_code((OrgImportKind)k));
    db_bind_text(st, 2, fname);
    db_bind_text(st, 3, rep->format);
    db_bind_blob(st, 4, file->data, file->len);
    db_bind_int64(st, 5, rep->rows);
    db_bind_int64(st, 6, 0);
    db_bind_int64(st, 7, req->user_id);
    db_bind_int64(st, 8, jx_now());
    if (db_step(st) == DB_ROW) *id = db_column_int64(st, 0);
    db_reset(st);
  }
  if (!*id || progress_save(req->db, *id, 0, p) != 0) {
    *id = 0;
    web_error(req, resp, 500, "db_error", "保存上传文件失败，请稍后重试", NULL);
    return -1;
  }
  req->audit_object_id = *id;
  return 0;
}

/* The uploaded file's name, or a placeholder. */
static const char *upload_name(Request *req) {
  for (size_t i = 0; i < req->parts.n; i++)
    if (str_eq(req->parts.items[i].name, "file") && req->parts.items[i].filename)
      return utf8_valid(req->parts.items[i].filename,
                        strlen(req->parts.items[i].filename))
                 ? req->parts.items[i].filename
                 : "(文件名无法识别)";
  return "";
}

static size_t upload_bytes(Request *req) {
  for (size_t i = 0; i < req->parts.n; i++)
    if (str_eq(req->parts.items[i].name, "file") && req->parts.items[i].filename)
      return req->parts.items[i].len;
  return 0;
}

/* ROUTE: POST /org/import — upload and check (the first chunk of rows);
** nothing is written to the registry. */
void page_org_import_post(Request *req, Response *resp) {
  OrgImportReport rep = {0};
  Progress p = {0};
  int64_t id;
  orgw_audit(req, "org_import", 0, "上传导入文件");
  if (upload_start(req, resp, &id, &rep, &p) == 0)
    preview_page(req, resp, id, &rep, upload_name(req), upload_bytes(req), &p);
  progress_clear(&p);
  org_import_report_free(&rep);
}

/* The pending upload {id} of this user: 0 with its fields (data copied
** into *data), or -1 after rendering 404/409. */
static int load_upload(Request *req, Response *resp, int64_t id, int *kind,
                       Buf *data, Buf *filename) {
  Stmt *st = db_stmt(req->db, STMT_ORG_IMPORT_GET);
  int rc = -1;
  if (!st) {
    web_error(req, resp, 500, "db_error", "读取上传文件失败", NULL);
    return -1;
  }
  db_bind_int64(st, 1, id);
  db_bind_int64(st, 2, req->user_id);
  if (db_step(st) != DB_ROW) {
    web_error(req, resp, 404, "not_found", "上传记录不存在", NULL);
  } else if (!str_eq(db_column_text(st, 6), "pending")) {
    web_error(req, resp, 409, "conflict", "该文件已导入或已放弃，请重新上传",
              NULL);
  } else {
    size_t n = 0;
    const void *p = db_column_blob(st, 3, &n);
    *kind = org_import_kind_of(db_column_text(st, 0));
    if (p && n) buf_append(data, p, n);
    buf_puts(filename, org_s(db_column_text(st, 1)));
    rc = *kind >= 0 ? 0 : -1;
    if (rc) web_error(req, resp, 409, "conflict", "上传记录已损坏", NULL);
  }
  db_reset(st);
  if (rc == 0 && !may_kind(req, (OrgImportKind)*kind)) {
    web_error(req, resp, 403, "forbidden", "您没有导入干部人员信息的权限", NULL);
    rc = -1;
  }
  return rc;
}

/* Check the next chunk of upload id (kind, data) unless checking is
** complete, and record it; rep receives the file's facts.  0, or -1
** after rendering the error. */
static int advance(Request *req, Response *resp, int64_t id, int kind,
                   const Buf *data, OrgImportReport *rep, Progress *p) {
  OrgViewer v;
  if (progress_load(req->db, id, p) != 0) {
    web_error(req, resp, 500, "db_error", "读取检查进度失败，请稍后重试", NULL);
    return -1;
  }
  int64_t was = p->checked;
  orgw_viewer(req, P_ORG_EDIT, &v);
  /* When complete, this only reads the file's facts (nothing checked). */
  int rc = org_import_check(req->db, &v, (OrgImportKind)kind, buf_str(data),
                            data->len, was,
                            was < p->rows ? chunk_rows(req->db) : 0, rep);
  if (rc < 0) {
    web_error(req, resp, 500, "db_error", "检查文件时读取数据库失败，请稍后重试",
              NULL);
    return -1;
  }
  if (was >= p->rows) return 0;
  p->checked = rep->checked;
  p->bad += rep->bad_rows;
  errors_append(p->errors, rep);
  int saved = progress_save(req->db, id, was, p);
  if (saved == 1) saved = progress_load(req->db, id, p); /* another won */
  if (saved != 0) {
    web_error(req, resp, 500, "db_error", "保存检查进度失败，请稍后重试", NULL);
    return -1;
  }
  return 0;
}

/* ROUTE: GET /org/import/{id} — check the next chunk of a large file and
** show the progress (or the result once complete).  A GET that records
** progress: a meta refresh can only GET, and the step only moves the
** uploader's own check on (nothing in the registry changes). */
void page_org_import_show(Request *req, Response *resp) {
  OrgImportReport rep = {0};
  Progress p = {0};
  Buf data = BUF_INIT, fname = BUF_INIT;
  int kind = -1;
  int64_t id = orgw_id(req, 0);
  orgw_audit(req, "org_import", id, "检查导入文件 #%lld", (long long)id);
  if (load_upload(req, resp, id, &kind, &data, &fname) == 0 &&
      advance(req, resp, id, kind, &data, &rep, &p) == 0) {
    orgw_audit(req, "org_import", id, "检查导入文件 #%lld：%lld / %lld 行，%lld 行有误",
               (long long)id, (long long)p.checked, (long long)p.rows,
               (long long)p.bad);
    preview_page(req, resp, id, &rep, buf_str(&fname), data.len, &p);
  }
  progress_clear(&p);
  org_import_report_free(&rep);
  buf_release(&data);
  buf_release(&fname);
}

static int finish_upload(Db *db, int64_t id, const char *status) {
  Stmt *st = db_stmt(db, STMT_ORG_IMPORT_FINISH);
  if (!st) return -1;
  db_bind_text(st, 1, status);
  db_bind_blob(st, 2, "", 0);
  db_bind_int64(st, 3, jx_now());
  db_bind_int64(st, 4, id);
  int rc = db_step(st);
  db_reset(st);
  return rc == DB_DONE && db_changes(db) == 1 ? 0 : -1;
}

/* Import upload id: re-read and re-check the whole file and write every
** row in the request's transaction, or nothing.  0 imported, 1 problems
** (in rep; rendered by the caller), -1 after rendering the error. */
static int import_upload(Request *req, Response *resp, int64_t id,
                         int kind, const Buf *data, OrgImportReport *rep) {
  OrgViewer v;
  Progress p = {0};
  int rc = progress_load(req->db, id, &p);
  int64_t left = p.rows - p.checked;
  progress_clear(&p);
  if (rc != 0) {
    web_error(req, resp, 500, "db_error", "读取检查进度失败，请稍后重试", NULL);
    return -1;
  }
  if (left > 0) {
    web_error(req, resp, 409, "checking", "文件尚未检查完毕，请等检查完成后再确认导入",
              NULL);
    return -1;
  }
  orgw_viewer(req, P_ORG_EDIT, &v);
  rc = org_import_run(req->db, &v, (OrgImportKind)kind, buf_str(data),
                      data->len, 1, rep);
  if (rc < 0 || (rc == 0 && finish_upload(req->db, id, "imported") != 0)) {
    web_error(req, resp, 500, "db_error", "导入失败，未写入任何数据，请稍后重试",
              NULL);
    return -1;
  }
  orgw_audit(req, "org_import", id, "导入%s #%lld：%lld 行%s",
             org_import_kind_label((OrgImportKind)kind), (long long)id,
             (long long)(rc == 0 ? rep->imported : 0),
             rc == 0 ? "" : "（有误，未导入）");
  return rc;
}

/* ROUTE: POST /org/import/{id}/confirm — write every row, or none. */
void page_org_import_confirm(Request *req, Response *resp) {
  OrgImportReport rep = {0};
  Buf data = BUF_INIT, fname = BUF_INIT;
  Buf *b = &resp->body;
  int kind = -1;
  int64_t id = orgw_id(req, 0);
  orgw_audit(req, "org_import", id, "确认导入 #%lld", (long long)id);
  if (load_upload(req, resp, id, &kind, &data, &fname) != 0) goto done;
  int rc = import_upload(req, resp, id, kind, &data, &rep);
  if (rc < 0) goto done;
  page_begin(req, resp, rc == 0 ? "导入完成" : "导入未完成", "org");
  orgw_tabs(req, resp, "import");
  report_facts(resp, &rep, buf_str(&fname), data.len);
  if (rc == 1) { /* the registry changed since the preview */
    resp->status = 422;
    report_errors_table(resp, &rep);
  } else {
    html_printf(b,
                "<p class=\"notice ok\" role=\"status\">已导入 %lld 行%s。</p>\n",
                (long long)rep.imported,
                org_import_kind_label((OrgImportKind)kind));
  }
  html_printf(b, "<p><a href=\"%s\">查看列表</a> · <a href=\"/org/import\">"
                 "继续导入</a></p>\n",
              kind == IMPORT_UNIT     ? "/org/units"
              : kind == IMPORT_PERSON ? "/org/people"
                                      : "/org/staff");
  page_end(req, resp);
done:
  org_import_report_free(&rep);
  buf_release(&data);
  buf_release(&fname);
}

/* ROUTE: POST /org/import/{id}/discard */
void page_org_import_discard(Request *req, Response *resp) {
  Buf data = BUF_INIT, fname = BUF_INIT;
  int kind;
  int64_t id = orgw_id(req, 0);
  orgw_audit(req, "org_import", id, "放弃导入 #%lld", (long long)id);
  if (load_upload(req, resp, id, &kind, &data, &fname) == 0) {
    if (finish_upload(req->db, id, "discarded") == 0)
      resp_redirect(resp, "/org/import");
    else
      web_error(req, resp, 500, "db_error", "操作失败，请稍后重试", NULL);
  }
  buf_release(&data);
  buf_release(&fname);
}

/* ---- the JSON API (same checks, same audit) ---- */

/* ROUTE: POST /api/v1/imports — multipart: kind + file.  202 with the
** state ({"id","status","rows_total","rows_checked","bad_rows",
** "errors"}); a file with problems found at once is not kept: 422 with
** the same members and "error". */
void api_org_import_create(Request *req, Response *resp) {
  OrgImportReport rep = {0};
  Progress p = {0};
  int64_t id;
  orgw_audit(req, "org_import", 0, "上传导入文件");
  if (upload_start(req, resp, &id, &rep, &p) == 0) {
    json_t *o = progress_json(id, &p);
    if (id) {
      api_json(resp, 202, o);
    } else {
      json_object_set_new(o, "error",
                          json_pack("{s:s, s:s, s:n}", "code", "invalid",
                                    "message", "文件有问题，未导入任何数据",
                                    "field"));
      api_json(resp, 422, o);
    }
  }
  progress_clear(&p);
  org_import_report_free(&rep);
}

/* ROUTE: GET /api/v1/imports/{id} — check the next chunk; the state. */
void api_org_import_get(Request *req, Response *resp) {
  OrgImportReport rep = {0};
  Progress p = {0};
  Buf data = BUF_INIT, fname = BUF_INIT;
  int kind = -1;
  int64_t id = orgw_id(req, 0);
  orgw_audit(req, "org_import", id, "检查导入文件 #%lld", (long long)id);
  if (load_upload(req, resp, id, &kind, &data, &fname) == 0 &&
      advance(req, resp, id, kind, &data, &rep, &p) == 0) {
    orgw_audit(req, "org_import", id, "检查导入文件 #%lld：%lld / %lld 行，%lld 行有误",
               (long long)id, (long long)p.checked, (long long)p.rows,
               (long long)p.bad);
    api_json(resp, 200, progress_json(id, &p));
  }
  progress_clear(&p);
  org_import_report_free(&rep);
  buf_release(&data);
  buf_release(&fname);
}

/* ROUTE: POST /api/v1/imports/{id}/confirm — all or nothing: 200
** {"id","status":"imported","kind","imported"}, 409 while checking, 422
** with "errors" when a row is bad. */
void api_org_import_confirm(Request *req, Response *resp) {
  OrgImportReport rep = {0};
  Buf data = BUF_INIT, fname = BUF_INIT;
  int kind = -1;
  int64_t id = orgw_id(req, 0);
  orgw_audit(req, "org_import", id, "确认导入 #%lld", (long long)id);
  if (load_upload(req, resp, id, &kind, &data, &fname) != 0) goto done;
  int rc = import_upload(req, resp, id, kind, &data, &rep);
  if (rc == 0) {
    api_json(resp, 200,
             json_pack("{s:I, s:s, s:s, s:I}", "id", (json_int_t)id, "status",
                       "imported", "kind",
                       org_import_kind_code((OrgImportKind)kind), "imported",
                       (json_int_t)rep.imported));
  } else if (rc == 1) {
    Progress p = {rep.rows, rep.rows, rep.bad_rows, json_array()};
    errors_append(p.errors, &rep);
    json_t *o = progress_json(id, &p);
    json_object_set_new(o, "error",
                        json_pack("{s:s, s:s, s:n}", "code", "invalid",
                                  "message", "文件有问题，未导入任何数据",
                                  "field"));
    api_json(resp, 422, o);
    progress_clear(&p);
  }
done:
  org_import_report_free(&rep);
  buf_release(&data);
  buf_release(&fname);
}

/* ---- templates and exports ---- */

/* Start an XLSX with kind's import columns as its header. */
static Export *begin_sheet(OrgImportKind k, ExportColumn cols[16], Buf *err) {
  size_t n;
  const OrgImportColumn *c = org_import_columns(k, &n);
  for (size_t i = 0; i < n && i < 16; i++)
    cols[i] = (ExportColumn){c[i].header, i == 1 ? 30 : 16};
  return export_begin(EXPORT_XLSX, org_import_kind_label(k), cols, n, err);
}

static void send_sheet(Request *req, Response *resp, Export *e,
                       const char *stem, Buf *err) {
  if (!e || export_respond(e, resp, stem, err) != 0)
    web_error(req, resp, 500, "export_failed",
              err->len ? buf_str(err) : "生成文件失败，请稍后重试", NULL);
}

/* ROUTE: GET /org/import/template/{kind} — an empty XLSX to fill in. */
void page_org_import_template(Request *req, Response *resp) {
  ExportColumn cols[16];
  Buf err = BUF_INIT;
  int k = org_import_kind_of(req_arg(req, 0));
  if (k < 0) {
    web_error(req, resp, 404, "not_found", "没有这种导入模板", NULL);
    return;
  }
  Export *e = begin_sheet((OrgImportKind)k, cols, &err);
  send_sheet(req, resp, e, "import-template", &err);
  buf_release(&err);
}

/* ROUTE: GET /org/export/units.xlsx — the units matching the list's
** filters, in the import columns. */
void page_org_export_units(Request *req, Response *resp) {
  OrgViewer v;
  OrgUnit *u = NULL;
  size_t n = 0;
  ExportColumn cols[16];
  Buf err = BUF_INIT;
  OrgUnitFilter f = {params_get(&req->query, "q"),
                     params_get(&req->query, "jur"),
                     params_get(&req->query, "sector"), 0};
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_units_list(req->db, &v, &f, EXPORT_MAX, 0, &u, &n, NULL) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取单位失败，请稍后重试", NULL);
    return;
  }
  Export *e = begin_sheet(IMPORT_UNIT, cols, &err);
  for (size_t i = 0; e && i < n; i++) {
    const char *lv = org_label(org_unit_levels, n_org_unit_levels, u[i].level);
    export_text(e, u[i].code);
    export_text(e, u[i].name);
    export_text(e, u[i].jurisdiction_code);
    export_text(e, u[i].parent_code);
    export_text(e, lv ? lv : u[i].level);
    export_text(e, u[i].sector_names);
    export_text(e, u[i].office_code);
    export_text(e, u[i].note);
    export_row_end(e);
  }
  orgw_audit(req, "unit", 0, "导出被巡察单位 %zu 条", n);
  send_sheet(req, resp, e, "units", &err);
  org_units_free(u, n);
  buf_release(&err);
}

/* ROUTE: GET /org/export/people.xlsx — audited as person.export. */
void page_org_export_people(Request *req, Response *resp) {
  OrgViewer v;
  OrgPerson *p = NULL;
  size_t n = 0;
  int64_t unit = 0;
  ExportColumn cols[16];
  Buf err = BUF_INIT;
  const char *us = params_get(&req->query, "unit");
  if (us && *us) str_to_int64(us, 1, INT64_MAX, &unit);
  OrgPersonFilter f = {params_get(&req->query, "q"),
                       params_get(&req->query, "jur"), unit};
  orgw_viewer(req, P_PEOPLE_READ, &v);
  if (org_people_list(req->db, &v, &f, EXPORT_MAX, 0, &p, &n, NULL) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取人员失败，请稍后重试", NULL);
    return;
  }
  Export *e = begin_sheet(IMPORT_PERSON, cols, &err);
  for (size_t i = 0; e && i < n; i++) {
    export_text(e, p[i].code);
    export_text(e, p[i].name);
    export_text(e, p[i].unit_code);
    export_text(e, p[i].post);
    export_text(e, p[i].rank);
    export_text(e, p[i].party_member ? "是" : "否");
    export_text(e, p[i].supervisory_object ? "是" : "否");
    export_text(e, p[i].managed_by);
    export_text(e, p[i].note);
    export_row_end(e);
  }
  orgw_audit(req, "person", 0, "导出干部人员 %zu 条", n);
  send_sheet(req, resp, e, "people", &err);
  org_people_free(p, n);
  buf_release(&err);
}

/* ROUTE: GET /org/export/staff.xlsx */
void page_org_export_staff(Request *req, Response *resp) {
  OrgViewer v;
  OrgStaff *s = NULL;
  size_t n = 0;
  ExportColumn cols[16];
  Buf err = BUF_INIT;
  OrgStaffFilter f = {params_get(&req->query, "q"),
                      params_get(&req->query, "jur"),
                      params_get(&req->query, "expertise"),
                      params_get(&req->query, "post")};
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_staff_list(req->db, &v, &f, EXPORT_MAX, 0, &s, &n, NULL) != DB_OK) {
    web_error(req, resp, 500, "db_error", "读取力量库失败，请稍后重试", NULL);
    return;
  }
  Export *e = begin_sheet(IMPORT_STAFF, cols, &err);
  for (size_t i = 0; e && i < n; i++) {
    OrgAvail *a = NULL;
    size_t na = 0;
    org_staff_avail(req->db, s[i].id, &a, &na);
    export_text(e, s[i].code);
    export_text(e, s[i].name);
    export_text(e, s[i].jurisdiction_code);
    export_text(e, s[i].office_code);
    export_text(e, s[i].rank);
    export_text(e, s[i].post);
    export_text(e, s[i].expertise);
    export_text(e, na ? a[0].from_date : "");
    export_text(e, na ? a[0].to_date : "");
    export_text(e, s[i].note);
    export_row_end(e);
    org_avail_free(a, na);
  }
  orgw_audit(req, "staff", 0, "导出巡察力量库 %zu 条", n);
  send_sheet(req, resp, e, "staff", &err);
  org_staff_free(s, n);
  buf_release(&err);
}
