/* page_org_import.c: import of units, people and staff from XLSX or CSV
** with a preview (all or nothing), the empty templates, and the XLSX
** exports of the same lists (domain/org_import.h, docs/IMPORT.md).
**
** The upload is checked row by row without writing anything; a file with
** any problem is answered 422 with every problem (行号, 列, 原因) and is
** not kept.  A clean file is kept as a pending org_import row for its
** uploader, and the preview page shows the counts; confirming re-reads
** and re-checks it (the registry may have changed) and writes every row
** in the request's one transaction, or nothing.  "Progress" is this
** two-step flow: the preview reports the rows read before anything is
** written; the import itself is one request. */
#include <stdlib.h>

#include "auth/auth.h"
#include "domain/org_import.h"
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

/* The problems of a report as a table. */
static void errors_table(Response *resp, const OrgImportReport *r) {
  Buf *b = &resp->body;
  html_printf(b,
              "<p class=\"notice error\" role=\"alert\">文件有 %lld 处问题"
              "（涉及 %lld 行），未导入任何数据。请修改后重新上传。</p>\n",
              (long long)r->n_errors, (long long)r->bad_rows);
  html_raw(b, "<table class=\"grid errors\"><thead><tr><th>行号</th><th>列</th>"
              "<th>原因</th></tr></thead><tbody>\n");
  for (size_t i = 0; i < r->n_errors; i++) {
    char row[24] = "—";
    if (r->errors[i].row)
      snprintf(row, sizeof row, "%lld", (long long)r->errors[i].row);
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td></tr>\n", row,
                r->errors[i].column[0] ? r->errors[i].column : "—",
                r->errors[i].reason);
  }
  html_raw(b, "</tbody></table>\n");
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

/* ROUTE: POST /org/import — upload and check; nothing is written to the
** registry. */
void page_org_import_post(Request *req, Response *resp) {
  OrgViewer v;
  OrgImportReport rep = {0};
  Buf boundary = BUF_INIT;
  PartList parts;
  Buf *b = &resp->body;
  const Part *file = NULL, *kindp = NULL;
  parts_init(&parts);
  orgw_audit(req, "org_import", 0, "上传导入文件");
  if (multipart_boundary(req_header(req, "content-type"), &boundary) != 0 ||
      parse_multipart(req->body, req->body_len, buf_str(&boundary), &parts) !=
          0) {
    web_error(req, resp, 400, "bad_upload", "上传格式不正确，请通过页面选择文件上传",
              NULL);
    goto done;
  }
  for (size_t i = 0; i < parts.n; i++) {
    if (str_eq(parts.items[i].name, "file") && parts.items[i].filename)
      file = &parts.items[i];
    else if (str_eq(parts.items[i].name, "kind") && !parts.items[i].filename)
      kindp = &parts.items[i];
  }
  char kc[16] = "";
  if (kindp && kindp->len < sizeof kc) snprintf(kc, sizeof kc, "%.*s",
                                                (int)kindp->len, kindp->data);
  int k = org_import_kind_of(kc);
  if (k < 0 || !may_kind(req, (OrgImportKind)k)) {
    web_error(req, resp, 400, "invalid", "请选择导入内容：被巡察单位、干部人员或巡察力量库人员",
              "kind");
    goto done;
  }
  if (!file || file->len == 0) {
    web_error(req, resp, 400, "invalid", "请选择要上传的文件（不能为空）", "file");
    goto done;
  }
  const char *fname = utf8_valid(file->filename, strlen(file->filename))
                          ? file->filename
                          : "(文件名无法识别)";
  orgw_viewer(req, P_ORG_EDIT, &v);
  int rc = org_import_run(req->db, &v, (OrgImportKind)k, file->data, file->len,
                          0, &rep);
  orgw_audit(req, "org_import", 0, "上传导入文件（%s）：%lld 行，%zu 处问题",
             org_import_kind_label((OrgImportKind)k), (long long)rep.rows,
             rep.n_errors);
  if (rc < 0) {
    web_error(req, resp, 500, "db_error", "检查文件时读取数据库失败，请稍后重试",
              NULL);
    goto done;
  }
  page_begin(req, resp, "导入预览", "org");
  orgw_tabs(req, resp, "import");
  report_facts(resp, &rep, fname, file->len);
  if (rc == 1) {
    resp->status = 422;
    errors_table(resp, &rep);
    html_raw(b, "<p><a href=\"/org/import\">重新上传</a></p>\n");
    page_end(req, resp);
    goto done;
  }
  /* Clean: keep it for confirmation (earlier pending uploads go). */
  Stmt *st = db_stmt(req->db, STMT_ORG_IMPORT_DISCARD_MINE);
  int ok = st != NULL;
  if (ok) {
    db_bind_blob(st, 1, "", 0);
    db_bind_int64(st, 2, jx_now());
    db_bind_int64(st, 3, req->user_id);
    ok = db_step(st) == DB_DONE;
    db_reset(st);
  }
  int64_t id = 0;
  st = ok ? db_stmt(req->db, STMT_ORG_IMPORT_INSERT) : NULL;
  if (st) {
    db_bind_text(st, 1, org_import_kind_code((OrgImportKind)k));
    db_bind_text(st, 2, fname);
    db_bind_text(st, 3, rep.format);
    db_bind_blob(st, 4, file->data, file->len);
    db_bind_int64(st, 5, rep.rows);
    db_bind_int64(st, 6, 0);
    db_bind_int64(st, 7, req->user_id);
    db_bind_int64(st, 8, jx_now());
    if (db_step(st) == DB_ROW) id = db_column_int64(st, 0);
    db_reset(st);
  }
  if (!id) {
    resp_reset(resp);
    web_error(req, resp, 500, "db_error", "保存上传文件失败，请稍后重试", NULL);
    goto done;
  }
  req->audit_object_id = id;
  html_printf(b,
              "<p class=\"notice ok\" role=\"status\">检查通过：%lld 行数据均无"
              "问题。确认后将一次性全部导入。</p>\n",
              (long long)rep.rows);
  Buf a = BUF_INIT;
  buf_printf(&a, "/org/import/%lld/confirm", (long long)id);
  form_begin(req, resp, buf_str(&a));
  html_printf(b, "<button type=\"submit\">确认导入 %lld 行</button></form>\n",
              (long long)rep.rows);
  buf_clear(&a);
  buf_printf(&a, "/org/import/%lld/discard", (long long)id);
  form_begin(req, resp, buf_str(&a));
  html_raw(b, "<button type=\"submit\" class=\"link\">放弃</button></form>\n");
  buf_release(&a);
  page_end(req, resp);
done:
  org_import_report_free(&rep);
  parts_free(&parts);
  buf_release(&boundary);
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
  return rc;
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

/* ROUTE: POST /org/import/{id}/confirm — write every row, or none. */
void page_org_import_confirm(Request *req, Response *resp) {
  OrgViewer v;
  OrgImportReport rep = {0};
  Buf data = BUF_INIT, fname = BUF_INIT;
  Buf *b = &resp->body;
  int kind = -1;
  int64_t id = orgw_id(req, 0);
  orgw_audit(req, "org_import", id, "确认导入 #%lld", (long long)id);
  if (load_upload(req, resp, id, &kind, &data, &fname) != 0) goto done;
  if (!may_kind(req, (OrgImportKind)kind)) {
    web_error(req, resp, 403, "forbidden", "您没有导入干部人员信息的权限", NULL);
    goto done;
  }
  orgw_viewer(req, P_ORG_EDIT, &v);
  int rc = org_import_run(req->db, &v, (OrgImportKind)kind, buf_str(&data),
                          data.len, 1, &rep);
  if (rc < 0 || (rc == 0 && finish_upload(req->db, id, "imported") != 0)) {
    web_error(req, resp, 500, "db_error", "导入失败，未写入任何数据，请稍后重试",
              NULL);
    goto done;
  }
  orgw_audit(req, "org_import", id, "导入%s #%lld：%lld 行%s",
             org_import_kind_label((OrgImportKind)kind), (long long)id,
             (long long)(rc == 0 ? rep.imported : 0),
             rc == 0 ? "" : "（有误，未导入）");
  page_begin(req, resp, rc == 0 ? "导入完成" : "导入未完成", "org");
  orgw_tabs(req, resp, "import");
  report_facts(resp, &rep, buf_str(&fname), data.len);
  if (rc == 1) { /* the registry changed since the preview */
    resp->status = 422;
    errors_table(resp, &rep);
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
