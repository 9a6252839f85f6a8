/* page_org.c: the organisation registry pages — jurisdictions (辖区),
** offices (部门/科室), sector tags (领域标签) and the units that can be
** inspected (被巡察单位): browse, search, create, edit.  The rules are in
** domain/org.h; people and the staff pool are in page_org_people.c, the
** JSON API in page_org_api.c, import and export in page_org_import.c.
** Every list is fenced by the viewer's jurisdiction (JUR_WITHIN). */
#include <stdlib.h>

#include "auth/auth.h"
#include "web/api.h"
#include "web/html.h"
#include "web/page_org.h"
#include "web/pages.h"

/* ---- helpers (page_org.h) ---- */

void orgw_viewer(Request *req, Perm perm, OrgViewer *v) {
  ntk_subject_from_request(req, &v->who);
  v->scope = policy_scope(v->who.roles, perm);
}

void orgw_tabs(Request *req, Response *resp, const char *active) {
  static const struct {
    const char *key, *href, *label;
    Perm perm;
  } tabs[] = {
      {"units", "/org/units", "被巡察单位", P_ORG_READ},
      {"people", "/org/people", "干部人员", P_PEOPLE_READ},
      {"staff", "/org/staff", "巡察力量库", P_ORG_READ},
      {"jurisdictions", "/org/jurisdictions", "辖区", P_ORG_READ},
      {"offices", "/org/offices", "部门/科室", P_ORG_READ},
      {"tags", "/org/sector-tags", "领域标签", P_ORG_READ},
      {"import", "/org/import", "导入", P_ORG_EDIT},
  };
  Buf *b = &resp->body;
  html_raw(b, "<p class=\"tabs\">");
  for (size_t i = 0; i < JX_COUNT(tabs); i++) {
    if (!auth_route_allowed(req, tabs[i].perm)) continue;
    if (str_eq(tabs[i].key, active))
      html_printf(b, "<a href=\"%s\" aria-current=\"page\">%s</a> ",
                  tabs[i].href, tabs[i].label);
    else
      html_printf(b, "<a href=\"%s\">%s</a> ", tabs[i].href, tabs[i].label);
  }
  html_raw(b, "</p>\n");
}

int64_t orgw_page(Request *req) {
  int64_t p;
  const char *v = params_get(&req->query, "page");
  return v && str_to_int64(v, 1, 1000000, &p) == 0 ? p : 1;
}

int64_t orgw_id(Request *req, int i) {
  int64_t id;
  const char *s = req_arg(req, i);
  return s && str_to_int64(s, 1, INT64_MAX, &id) == 0 ? id : 0;
}

void orgw_pager(Response *resp, const char *path, const char *query,
                int64_t page, int64_t total) {
  int64_t pages = (total + ORGW_PER_PAGE - 1) / ORGW_PER_PAGE;
  Buf *b = &resp->body;
  html_printf(b, "<p class=\"pager\">共 %lld 条", (long long)total);
  if (pages > 1) {
    html_printf(b, "，第 %lld / %lld 页 ", (long long)page, (long long)pages);
    if (page > 1)
      html_printf(b, "<a href=\"%s?%spage=%lld\">上一页</a>", path, query,
                  (long long)(page - 1));
    if (page < pages)
      html_printf(b, "<a href=\"%s?%spage=%lld\">下一页</a>", path, query,
                  (long long)(page + 1));
  }
  html_raw(b, "</p>\n");
}

void orgw_fail(Request *req, Response *resp, OrgResult r, const Buf *err,
               const char *field) {
  web_error(req, resp, org_http_status(r), org_result_code(r),
            err->len ? buf_str(err) : "操作失败，请稍后重试", field);
}

void orgw_label_select(Response *resp, const char *name, const OrgLabel *t,
                       size_t n, const char *selected, const char *empty) {
  Buf *b = &resp->body;
  html_printf(b, "<select name=\"%s\">", name);
  if (empty) html_printf(b, "<option value=\"\">%s</option>", empty);
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", t[i].code,
                str_eq(t[i].code, selected) ? " selected" : "", t[i].label);
  html_raw(b, "</select>");
}

void orgw_jur_select(Request *req, Response *resp, const OrgViewer *v,
                     const char *name, const char *selected,
                     const char *empty) {
  OrgJur *j = NULL;
  size_t n = 0;
  Buf *b = &resp->body;
  org_jurs_list(req->db, v, &j, &n);
  html_printf(b, "<select name=\"%s\">", name);
  if (empty) html_printf(b, "<option value=\"\">%s</option>", empty);
  for (size_t i = 0; i < n; i++)
    html_printf(b, "<option value=\"%s\"%s>%s（%s）</option>", j[i].code,
                str_eq(j[i].code, selected) ? " selected" : "", j[i].name,
                j[i].code);
  html_raw(b, "</select>");
  org_jurs_free(j, n);
}

const char *orgw_time(jx_time t, char out[24]) {
  if (!t) return "—";
  time_local(t, out); /* 北京时间 */
  return out;
}

void orgw_audit(Request *req, const char *type, int64_t id, const char *fmt,
                ...) {
  va_list ap;
  req->audit_object = type;
  req->audit_object_id = id;
  buf_clear(&req->audit_summary);
  va_start(ap, fmt);
  buf_vprintf(&req->audit_summary, fmt, ap);
  va_end(ap);
}

char *orgw_param(Request *req, const char *name) {
  const char *s = req_param(req, name);
  if (!s) return xstrdup("");
  while (*s == ' ' || *s == '\t') s++;
  size_t n = strlen(s);
  while (n && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r' ||
               s[n - 1] == '\n'))
    n--;
  return xstrndup(s, n);
}

/* ---- jurisdictions ---- */

static void jur_page(Request *req, Response *resp, const char *error) {
  OrgViewer v;
  OrgJur *j = NULL;
  size_t n = 0;
  Buf *b = &resp->body;
  orgw_viewer(req, P_ORG_READ, &v);
  page_begin(req, resp, "辖区", "org");
  orgw_tabs(req, resp, "jurisdictions");
  if (error) page_notice(resp, "error", error);
  if (org_jurs_list(req->db, &v, &j, &n) != DB_OK) {
    page_notice(resp, "error", "读取辖区失败，请稍后重试");
  } else if (n == 0) {
    html_raw(b, "<p class=\"hint\">您的账号未设置辖区，或辖区内尚无记录。</p>\n");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编码</th><th>名称</th>"
             "<th>级别</th><th>纪委监委</th><th>巡察机构</th><th>审计机关</th>"
             "<th>单位数</th><th></th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
      const char *lv = org_label(org_jur_levels, n_org_jur_levels, j[i].level);
      html_printf(b,
                  "<tr><td>%s</td><td>%s%s</td><td>%s</td><td>%s</td>"
                  "<td>%s</td><td>%s</td><td><a href=\"/org/units?jur=%s\">"
                  "%lld</a></td><td>",
                  j[i].code, j[i].parent_code[0] ? "└ " : "", j[i].name,
                  lv ? lv : j[i].level, j[i].commission_name,
                  j[i].inspection_office_name, j[i].audit_office_name,
                  j[i].code, (long long)j[i].unit_count);
      if (auth_route_allowed(req, P_ORG_EDIT))
        html_printf(b, "<a href=\"/org/jurisdictions/%s\">编辑</a>",
                    j[i].code);
      html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table>\n");
  }
  org_jurs_free(j, n);
  if (auth_route_allowed(req, P_ORG_EDIT)) {
    html_raw(b, "<h2>新增县区</h2>\n");
    form_begin(req, resp, "/org/jurisdictions");
    html_raw(b,
             "\n<label>辖区编码<input name=\"code\" required maxlength=\"63\" "
             "placeholder=\"如 ML.XS（上级编码加点）\"></label>\n"
             "<label>名称<input name=\"name\" required maxlength=\"100\">"
             "</label>\n<label>纪委监委<input name=\"commission_name\" "
             "maxlength=\"100\"></label>\n<label>巡察机构<input "
             "name=\"inspection_office_name\" maxlength=\"100\"></label>\n"
             "<label>审计机关<input name=\"audit_office_name\" "
             "maxlength=\"100\"></label>\n<button type=\"submit\">新增</button>"
             "</form>\n");
  }
  page_end(req, resp);
}

/* ROUTE: GET /org/jurisdictions */
void page_org_jurisdictions(Request *req, Response *resp) {
  jur_page(req, resp, NULL);
}

static OrgResult jur_save(Request *req, const char *code, int create, Buf *err,
                          const char **field) {
  OrgViewer v;
  orgw_viewer(req, P_ORG_EDIT, &v);
  char *name = orgw_param(req, "name"), *cm = orgw_param(req, "commission_name"),
       *io = orgw_param(req, "inspection_office_name"),
       *ao = orgw_param(req, "audit_office_name");
  int64_t sort = 0;
  const char *so = req_param(req, "sort_order");
  if (so && *so) str_to_int64(so, 0, 1000000, &sort);
  OrgJurIn in = {code, name, cm, io, ao, sort};
  OrgResult r = org_jur_save(req->db, &v, &in, create, err, field);
  orgw_audit(req, "jurisdiction", 0, "%s辖区 %s", create ? "新增" : "修改",
             code ? code : "");
  free(name);
  free(cm);
  free(io);
  free(ao);
  return r;
}

/* ROUTE: POST /org/jurisdictions */
void page_org_jurisdiction_create(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *field;
  char *code = orgw_param(req, "code");
  OrgResult r = jur_save(req, code, 1, &err, &field);
  if (r == ORG_OK) {
    resp_redirect(resp, "/org/jurisdictions");
  } else {
    resp->status = org_http_status(r);
    jur_page(req, resp, buf_str(&err));
  }
  free(code);
  buf_release(&err);
}

static void jur_edit_page(Request *req, Response *resp, const OrgJur *j,
                          const char *error) {
  Buf *b = &resp->body;
  Buf action = BUF_INIT;
  page_begin(req, resp, "编辑辖区", "org");
  orgw_tabs(req, resp, "jurisdictions");
  if (error) page_notice(resp, "error", error);
  buf_printf(&action, "/org/jurisdictions/%s", j->code);
  form_begin(req, resp, buf_str(&action));
  html_printf(b,
              "\n<p>辖区编码：%s</p>\n<label>名称<input name=\"name\" required "
              "maxlength=\"100\" value=\"%s\"></label>\n<label>纪委监委<input "
              "name=\"commission_name\" maxlength=\"100\" value=\"%s\">"
              "</label>\n<label>巡察机构<input name=\"inspection_office_name\" "
              "maxlength=\"100\" value=\"%s\"></label>\n<label>审计机关<input "
              "name=\"audit_office_name\" maxlength=\"100\" value=\"%s\">"
              "</label>\n<label>排序<input name=\"sort_order\" type=\"number\" "
              "min=\"0\" value=\"%lld\"></label>\n<button type=\"submit\">保存"
              "</button></form>\n",
              j->code, j->name, j->commission_name, j->inspection_office_name,
              j->audit_office_name, (long long)j->sort_order);
  buf_release(&action);
  page_end(req, resp);
}

/* ROUTE: GET /org/jurisdictions/{code} */
void page_org_jurisdiction(Request *req, Response *resp) {
  OrgViewer v;
  OrgJur j;
  orgw_viewer(req, P_ORG_EDIT, &v);
  if (org_jur_get(req->db, &v, req_arg(req, 0), &j) != DB_OK) {
    web_error(req, resp, 404, "not_found", "辖区不存在", NULL);
    return;
  }
  jur_edit_page(req, resp, &j, NULL);
  org_jur_clear(&j);
}

/* ROUTE: POST /org/jurisdictions/{code} */
void page_org_jurisdiction_update(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *field;
  OrgResult r = jur_save(req, req_arg(req, 0), 0, &err, &field);
  if (r == ORG_OK) {
    resp_redirect(resp, "/org/jurisdictions");
  } else if (r == ORG_ENOTFOUND) {
    orgw_fail(req, resp, r, &err, field);
  } else {
    OrgViewer v;
    OrgJur j;
    orgw_viewer(req, P_ORG_EDIT, &v);
    if (org_jur_get(req->db, &v, req_arg(req, 0), &j) == DB_OK) {
      resp->status = org_http_status(r);
      jur_edit_page(req, resp, &j, buf_str(&err));
      org_jur_clear(&j);
    } else {
      orgw_fail(req, resp, r, &err, field);
    }
  }
  buf_release(&err);
}

/* ---- offices ---- */

static void office_form(Request *req, Response *resp, const OrgViewer *v,
                        const OrgOffice *o) {
  Buf *b = &resp->body;
  Buf action = BUF_INIT;
  if (o) buf_printf(&action, "/org/offices/%lld", (long long)o->id);
  form_begin(req, resp, o ? buf_str(&action) : "/org/offices");
  html_raw(b, "\n");
  if (!o) {
    html_raw(b, "<label>所属辖区");
    orgw_jur_select(req, resp, v, "jurisdiction_code",
                    req_param(req, "jurisdiction_code"), NULL);
    html_raw(b, "</label>\n");
  }
  html_printf(b,
              "<label>部门编码<input name=\"code\" required maxlength=\"63\" "
              "value=\"%s\" placeholder=\"辖区编码加点，如 ML.AGS\"></label>\n"
              "<label>名称<input name=\"name\" required maxlength=\"100\" "
              "value=\"%s\"></label>\n<label>类别",
              o ? o->code : org_s(req_param(req, "code")),
              o ? o->name : org_s(req_param(req, "name")));
  orgw_label_select(resp, "kind", org_office_kinds, n_org_office_kinds,
                    o ? o->kind : req_param(req, "kind"), NULL);
  html_printf(b,
              "</label>\n<label>备注<input name=\"note\" maxlength=\"500\" "
              "value=\"%s\"></label>\n<button type=\"submit\">%s</button>"
              "</form>\n",
              o ? o->note : org_s(req_param(req, "note")),
              o ? "保存" : "新增");
  buf_release(&action);
}

static void offices_page(Request *req, Response *resp, const char *error) {
  OrgViewer v;
  OrgOffice *o = NULL;
  size_t n = 0;
  int64_t total = 0, page = orgw_page(req);
  Buf *b = &resp->body;
  Buf q = BUF_INIT;
  const char *kind = params_get(&req->query, "kind");
  const char *jur = params_get(&req->query, "jur");
  orgw_viewer(req, P_ORG_READ, &v);
  page_begin(req, resp, "部门/科室", "org");
  orgw_tabs(req, resp, "offices");
  if (error) page_notice(resp, "error", error);
  html_raw(b, "<form class=\"search\" method=\"get\" action=\"/org/offices\">"
              "<label>辖区");
  orgw_jur_select(req, resp, &v, "jur", jur, "全部");
  html_raw(b, "</label><label>类别");
  orgw_label_select(resp, "kind", org_office_kinds, n_org_office_kinds, kind,
                    "全部");
  html_raw(b, "</label><button type=\"submit\">查询</button></form>\n");
  buf_puts(&q, "kind=");
  url_encode(&q, org_s(kind));
  buf_puts(&q, "&jur=");
  url_encode(&q, org_s(jur));
  buf_putc(&q, '&');
  if (org_offices_list(req->db, &v, kind, jur, ORGW_PER_PAGE,
                       (page - 1) * ORGW_PER_PAGE, &o, &n, &total) != DB_OK) {
    page_notice(resp, "error", "读取部门失败，请稍后重试");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编码</th><th>名称</th>"
             "<th>类别</th><th>辖区</th><th>监督单位数</th><th></th></tr>"
             "</thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
      const char *kl = org_label(org_office_kinds, n_org_office_kinds, o[i].kind);
      html_printf(b,
                  "<tr><td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%lld"
                  "</td><td><a href=\"/org/offices/%lld\">详情</a></td></tr>\n",
                  o[i].code, o[i].name, kl ? kl : o[i].kind,
                  o[i].jurisdiction_name, (long long)o[i].unit_count,
                  (long long)o[i].id);
    }
    html_raw(b, "</tbody></table>\n");
    orgw_pager(resp, "/org/offices", buf_str(&q), page, total);
  }
  org_offices_free(o, n);
  buf_release(&q);
  if (auth_route_allowed(req, P_ORG_EDIT)) {
    OrgViewer ve;
    orgw_viewer(req, P_ORG_EDIT, &ve);
    html_raw(b, "<h2>新增部门</h2>\n");
    office_form(req, resp, &ve, NULL);
  }
  page_end(req, resp);
}

/* ROUTE: GET /org/offices */
void page_org_offices(Request *req, Response *resp) {
  offices_page(req, resp, NULL);
}

static void office_page(Request *req, Response *resp, int64_t id,
                        const char *error) {
  OrgViewer v;
  OrgOffice o;
  Buf *b = &resp->body;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_office_get(req->db, &v, id, &o) != DB_OK) {
    web_error(req, resp, 404, "not_found", "部门不存在", NULL);
    return;
  }
  const char *kl = org_label(org_office_kinds, n_org_office_kinds, o.kind);
  page_begin(req, resp, o.name, "org");
  orgw_tabs(req, resp, "offices");
  if (error) page_notice(resp, "error", error);
  html_printf(b,
              "<dl class=\"props\"><dt>编码</dt><dd>%s</dd><dt>类别</dt>"
              "<dd>%s</dd><dt>辖区</dt><dd>%s</dd><dt>备注</dt><dd>%s</dd>"
              "<dt>监督单位</dt><dd>%lld 个</dd></dl>\n",
              o.code, kl ? kl : o.kind, o.jurisdiction_name, o.note,
              (long long)o.unit_count);
  if (auth_route_allowed(req, P_ORG_EDIT)) {
    html_raw(b, "<h2>编辑</h2>\n");
    office_form(req, resp, &v, &o);
  }
  org_office_clear(&o);
  page_end(req, resp);
}

/* ROUTE: GET /org/offices/{id} */
void page_org_office(Request *req, Response *resp) {
  office_page(req, resp, orgw_id(req, 0), NULL);
}

static OrgResult office_save(Request *req, int64_t id, Buf *err,
                             const char **field) {
  OrgViewer v;
  int64_t out = 0;
  orgw_viewer(req, P_ORG_EDIT, &v);
  char *code = orgw_param(req, "code"), *name = orgw_param(req, "name"),
       *note = orgw_param(req, "note");
  OrgOfficeIn in = {code, req_param(req, "jurisdiction_code"), name,
                    req_param(req, "kind"), note};
  OrgResult r = org_office_save(req->db, &v, id, &in, &out, err, field);
  orgw_audit(req, "office", out ? out : id, "%s部门 %s", id ? "修改" : "新增",
             code);
  free(code);
  free(name);
  free(note);
  return r;
}

/* ROUTE: POST /org/offices */
void page_org_office_create(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *field;
  OrgResult r = office_save(req, 0, &err, &field);
  if (r == ORG_OK) {
    Buf loc = BUF_INIT;
    buf_printf(&loc, "/org/offices/%lld", (long long)req->audit_object_id);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else {
    resp->status = org_http_status(r);
    offices_page(req, resp, buf_str(&err));
  }
  buf_release(&err);
}

/* ROUTE: POST /org/offices/{id} */
void page_org_office_update(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *field;
  int64_t id = orgw_id(req, 0);
  OrgResult r = office_save(req, id, &err, &field);
  if (r == ORG_OK) {
    Buf loc = BUF_INIT;
    buf_printf(&loc, "/org/offices/%lld", (long long)id);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else if (r == ORG_ENOTFOUND) {
    orgw_fail(req, resp, r, &err, field);
  } else {
    resp->status = org_http_status(r);
    office_page(req, resp, id, buf_str(&err));
  }
  buf_release(&err);
}

/* ---- sector tags ---- */

static void tags_page(Request *req, Response *resp, const char *error) {
  OrgTag *t = NULL;
  size_t n = 0;
  Buf *b = &resp->body;
  int edit = auth_route_allowed(req, P_ORG_EDIT);
  page_begin(req, resp, "领域标签", "org");
  orgw_tabs(req, resp, "tags");
  if (error) page_notice(resp, "error", error);
  if (org_tags_list(req->db, &t, &n) != DB_OK) {
    page_notice(resp, "error", "读取领域标签失败，请稍后重试");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编码</th><th>名称与排序</th>"
             "<th>单位数</th><th></th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
      html_printf(b, "<tr><td>%s</td><td>", t[i].code);
      if (edit) {
        Buf a = BUF_INIT;
        buf_printf(&a, "/org/sector-tags/%s", t[i].code);
        form_begin(req, resp, buf_str(&a));
        html_printf(b,
                    "<input name=\"name\" required maxlength=\"50\" "
                    "value=\"%s\" aria-label=\"名称\"><input name=\"sort_order\""
                    " type=\"number\" min=\"0\" value=\"%lld\" "
                    "aria-label=\"排序\"><button type=\"submit\">保存</button>"
                    "</form>",
                    t[i].name, (long long)t[i].sort_order);
        buf_release(&a);
      } else {
        html_printf(b, "%s", t[i].name);
      }
      html_printf(b, "</td><td><a href=\"/org/units?sector=%s\">%lld</a></td><td>",
                  t[i].code, (long long)t[i].unit_count);
      if (edit && t[i].unit_count == 0) {
        Buf a = BUF_INIT;
        buf_printf(&a, "/org/sector-tags/%s/delete", t[i].code);
        form_begin(req, resp, buf_str(&a));
        html_raw(b, "<button type=\"submit\">删除</button></form>");
        buf_release(&a);
      }
      html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table>\n");
  }
  org_tags_free(t, n);
  if (edit) {
    html_raw(b, "<h2>新增标签</h2>\n");
    form_begin(req, resp, "/org/sector-tags");
    html_raw(b,
             "\n<label>编码<input name=\"code\" required maxlength=\"32\" "
             "pattern=\"[a-z0-9_]+\" placeholder=\"如 food（小写字母、数字）\">"
             "</label>\n<label>名称<input name=\"name\" required "
             "maxlength=\"50\"></label>\n<label>排序<input name=\"sort_order\" "
             "type=\"number\" min=\"0\" value=\"100\"></label>\n"
             "<button type=\"submit\">新增</button></form>\n");
  }
  page_end(req, resp);
}

/* ROUTE: GET /org/sector-tags */
void page_org_tags(Request *req, Response *resp) { tags_page(req, resp, NULL); }

static void tag_done(Request *req, Response *resp, OrgResult r, Buf *err,
                     const char *field) {
  if (r == ORG_OK) {
    resp_redirect(resp, "/org/sector-tags");
  } else if (r == ORG_ENOTFOUND) {
    orgw_fail(req, resp, r, err, field);
  } else {
    resp->status = org_http_status(r);
    tags_page(req, resp, buf_str(err));
  }
  buf_release(err);
}

/* Sort order from the form: 0 when absent, -1 when malformed. */
static int64_t sort_param(Request *req) {
  int64_t v = 0;
  const char *s = req_param(req, "sort_order");
  if (s && *s && str_to_int64(s, 0, 1000000, &v) != 0) return -1;
  return v;
}

/* ROUTE: POST /org/sector-tags */
void page_org_tag_create(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *field;
  char *code = orgw_param(req, "code"), *name = orgw_param(req, "name");
  OrgResult r = org_tag_save(req->db, code, name, sort_param(req), 1, &err,
                             &field);
  orgw_audit(req, "sector_tag", 0, "新增领域标签 %s", code);
  tag_done(req, resp, r, &err, field);
  free(code);
  free(name);
}

/* ROUTE: POST /org/sector-tags/{code} */
void page_org_tag_update(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  const char *field;
  char *name = orgw_param(req, "name");
  OrgResult r = org_tag_save(req->db, req_arg(req, 0), name, sort_param(req),
                             0, &err, &field);
  orgw_audit(req, "sector_tag", 0, "修改领域标签 %s", req_arg(req, 0));
  tag_done(req, resp, r, &err, field);
  free(name);
}

/* ROUTE: POST /org/sector-tags/{code}/delete */
void page_org_tag_delete(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  OrgResult r = org_tag_delete(req->db, req_arg(req, 0), &err);
  orgw_audit(req, "sector_tag", 0, "删除领域标签 %s", req_arg(req, 0));
  tag_done(req, resp, r, &err, NULL);
}

/* ---- units ---- */

/* What the unit form shows: a stored unit's values, or the submitted ones
** after an error. */
typedef struct UnitVals {
  const char *code, *name, *jur, *parent, *level, *office, *note;
  Buf sectors; /* ",edu,health," */
} UnitVals;

static void unit_vals_from_req(Request *req, UnitVals *u) {
  u->code = req_param(req, "code");
  u->name = req_param(req, "name");
  u->jur = req_param(req, "jurisdiction_code");
  u->parent = req_param(req, "parent_code");
  u->level = req_param(req, "level");
  u->office = req_param(req, "office_code");
  u->note = req_param(req, "note");
  buf_init(&u->sectors);
  buf_putc(&u->sectors, ',');
  for (size_t i = 0; i < req->form.n; i++)
    if (str_eq(req->form.items[i].name, "sector"))
      buf_printf(&u->sectors, "%s,", req->form.items[i].value);
}

static void unit_vals_from(const OrgUnit *x, UnitVals *u) {
  *u = (UnitVals){x->code,  x->name,        x->jurisdiction_code,
                  x->parent_code, x->level, x->office_code,
                  x->note,  BUF_INIT};
  buf_printf(&u->sectors, ",%s,", x->sector_codes);
}

static void unit_form_page(Request *req, Response *resp, int64_t id,
                           UnitVals *u, const char *error) {
  OrgViewer v;
  OrgTag *t = NULL;
  OrgOffice *o = NULL;
  size_t nt = 0, no = 0;
  Buf *b = &resp->body;
  Buf action = BUF_INIT;
  orgw_viewer(req, P_ORG_EDIT, &v);
  page_begin(req, resp, id ? "编辑被巡察单位" : "新建被巡察单位", "org");
  orgw_tabs(req, resp, "units");
  if (error) page_notice(resp, "error", error);
  if (id) buf_printf(&action, "/org/units/%lld", (long long)id);
  form_begin(req, resp, id ? buf_str(&action) : "/org/units");
  html_printf(b,
              "\n<label>单位编码<input name=\"code\" required maxlength=\"32\" "
              "value=\"%s\" placeholder=\"如 BL-EDU-S09\"></label>\n"
              "<label>单位名称<input name=\"name\" required maxlength=\"100\" "
              "value=\"%s\"></label>\n<label>所属辖区",
              org_s(u->code), org_s(u->name));
  orgw_jur_select(req, resp, &v, "jurisdiction_code", u->jur, NULL);
  html_printf(b,
              "</label>\n<label>上级单位编码（可空，须同一辖区）<input "
              "name=\"parent_code\" maxlength=\"32\" value=\"%s\"></label>\n"
              "<label>层级",
              org_s(u->parent));
  orgw_label_select(resp, "level", org_unit_levels, n_org_unit_levels,
                    u->level, NULL);
  html_raw(b, "</label>\n<label>派驻纪检监察组<select name=\"office_code\">"
              "<option value=\"\">—</option>");
  org_offices_list(req->db, &v, "stationed", NULL, 1000, 0, &o, &no, NULL);
  for (size_t i = 0; i < no; i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", o[i].code,
                str_eq(o[i].code, u->office) ? " selected" : "", o[i].name);
  org_offices_free(o, no);
  html_raw(b, "</select></label>\n<fieldset><legend>领域标签</legend>");
  org_tags_list(req->db, &t, &nt);
  for (size_t i = 0; i < nt; i++) {
    char key[48];
    snprintf(key, sizeof key, ",%s,", t[i].code);
    html_printf(b,
                "<label class=\"check\"><input type=\"checkbox\" "
                "name=\"sector\" value=\"%s\"%s> %s</label> ",
                t[i].code, strstr(buf_str(&u->sectors), key) ? " checked" : "",
                t[i].name);
  }
  org_tags_free(t, nt);
  html_printf(b,
              "</fieldset>\n<label>备注<input name=\"note\" maxlength=\"500\" "
              "value=\"%s\"></label>\n<button type=\"submit\">保存</button>"
              "</form>\n",
              org_s(u->note));
  buf_release(&action);
  page_end(req, resp);
}

/* ROUTE: GET /org/units */
void page_org_units(Request *req, Response *resp) {
  OrgViewer v;
  OrgUnit *u = NULL;
  OrgTag *t = NULL;
  size_t n = 0, nt = 0;
  int64_t total = 0, page = orgw_page(req);
  Buf *b = &resp->body;
  Buf q = BUF_INIT;
  OrgUnitFilter f = {params_get(&req->query, "q"),
                     params_get(&req->query, "jur"),
                     params_get(&req->query, "sector"), 0};
  orgw_viewer(req, P_ORG_READ, &v);
  page_begin(req, resp, "被巡察单位", "org");
  orgw_tabs(req, resp, "units");
  html_printf(b,
              "<form class=\"search\" method=\"get\" action=\"/org/units\">"
              "<label>名称或编码<input name=\"q\" maxlength=\"50\" "
              "value=\"%s\"></label><label>辖区",
              org_s(f.q));
  orgw_jur_select(req, resp, &v, "jur", f.jurisdiction, "全部");
  html_raw(b, "</label><label>领域<select name=\"sector\">"
              "<option value=\"\">全部</option>");
  org_tags_list(req->db, &t, &nt);
  for (size_t i = 0; i < nt; i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", t[i].code,
                str_eq(t[i].code, f.sector) ? " selected" : "", t[i].name);
  org_tags_free(t, nt);
  html_raw(b, "</select></label><button type=\"submit\">查询</button></form>\n");
  buf_puts(&q, "q=");
  url_encode(&q, org_s(f.q));
  buf_puts(&q, "&jur=");
  url_encode(&q, org_s(f.jurisdiction));
  buf_puts(&q, "&sector=");
  url_encode(&q, org_s(f.sector));
  html_printf(b, "<p><a href=\"/org/export/units.xlsx?%s\">导出 Excel</a></p>\n",
              buf_str(&q));
  if (auth_route_allowed(req, P_ORG_EDIT))
    html_raw(b, "<p><a href=\"/org/units/new\">新建单位</a> · "
                "<a href=\"/org/import\">从 Excel/CSV 导入</a></p>\n");
  buf_putc(&q, '&');
  if (org_units_list(req->db, &v, &f, ORGW_PER_PAGE, (page - 1) * ORGW_PER_PAGE,
                     &u, &n, &total) != DB_OK) {
    page_notice(resp, "error", "读取单位失败，请稍后重试");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编码</th><th>名称</th>"
             "<th>辖区</th><th>上级单位</th><th>层级</th><th>领域</th>"
             "<th>派驻组</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++) {
      const char *lv = org_label(org_unit_levels, n_org_unit_levels, u[i].level);
      html_printf(b,
                  "<tr><td>%s</td><td><a href=\"/org/units/%lld\">%s</a></td>"
                  "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                  "</tr>\n",
                  u[i].code, (long long)u[i].id, u[i].name,
                  u[i].jurisdiction_name, u[i].parent_name, lv ? lv : "",
                  u[i].sector_names, u[i].office_name);
    }
    html_raw(b, "</tbody></table>\n");
    orgw_pager(resp, "/org/units", buf_str(&q), page, total);
  }
  org_units_free(u, n);
  buf_release(&q);
  page_end(req, resp);
}

/* ROUTE: GET /org/units/{id} */
void page_org_unit(Request *req, Response *resp) {
  OrgViewer v;
  OrgUnit u, *kids = NULL;
  size_t nk = 0;
  int64_t total = 0;
  Buf *b = &resp->body;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_unit_get(req->db, &v, orgw_id(req, 0), &u) != DB_OK) {
    web_error(req, resp, 404, "not_found", "单位不存在", NULL);
    return;
  }
  const char *lv = org_label(org_unit_levels, n_org_unit_levels, u.level);
  page_begin(req, resp, u.name, "org");
  orgw_tabs(req, resp, "units");
  html_printf(b,
              "<dl class=\"props\"><dt>单位编码</dt><dd>%s</dd><dt>辖区</dt>"
              "<dd>%s（%s）</dd><dt>层级</dt><dd>%s</dd><dt>上级单位</dt>"
              "<dd>%s</dd><dt>领域</dt><dd>%s</dd><dt>派驻组</dt><dd>%s</dd>"
              "<dt>备注</dt><dd>%s</dd></dl>\n",
              u.code, u.jurisdiction_name, u.jurisdiction_code, lv ? lv : "",
              u.parent_id ? u.parent_name : "—", u.sector_names,
              u.office_id ? u.office_name : "—", u.note);
  if (u.parent_id)
    html_printf(b, "<p><a href=\"/org/units/%lld\">查看上级单位</a></p>\n",
                (long long)u.parent_id);
  if (auth_route_allowed(req, P_ORG_EDIT))
    html_printf(b, "<p><a href=\"/org/units/%lld/edit\">编辑</a></p>\n",
                (long long)u.id);
  if (auth_route_allowed(req, P_PEOPLE_READ))
    html_printf(b, "<p><a href=\"/org/people?unit=%lld\">本单位干部</a></p>\n",
                (long long)u.id);
  OrgUnitFilter f = {.parent_id = u.id};
  if (org_units_list(req->db, &v, &f, 200, 0, &kids, &nk, &total) == DB_OK &&
      nk > 0) {
    html_printf(b, "<h2>下级单位（%lld）</h2>\n<ul>", (long long)total);
    for (size_t i = 0; i < nk; i++)
      html_printf(b, "<li><a href=\"/org/units/%lld\">%s</a>（%s）</li>",
                  (long long)kids[i].id, kids[i].name, kids[i].code);
    html_raw(b, "</ul>\n");
  }
  org_units_free(kids, nk);
  org_unit_clear(&u);
  page_end(req, resp);
}

/* ROUTE: GET /org/units/new */
void page_org_unit_new(Request *req, Response *resp) {
  UnitVals u;
  unit_vals_from_req(req, &u);
  unit_form_page(req, resp, 0, &u, NULL);
  buf_release(&u.sectors);
}

/* ROUTE: GET /org/units/{id}/edit */
void page_org_unit_edit(Request *req, Response *resp) {
  OrgViewer v;
  OrgUnit x;
  UnitVals u;
  orgw_viewer(req, P_ORG_EDIT, &v);
  if (org_unit_get(req->db, &v, orgw_id(req, 0), &x) != DB_OK) {
    web_error(req, resp, 404, "not_found", "单位不存在", NULL);
    return;
  }
  unit_vals_from(&x, &u);
  unit_form_page(req, resp, x.id, &u, NULL);
  buf_release(&u.sectors);
  org_unit_clear(&x);
}

/* Create (id 0) or update a unit from the form. */
static void unit_post(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  Buf err = BUF_INIT;
  const char *field = NULL;
  const char **sectors = NULL;
  size_t ns = 0;
  int64_t out = 0;
  orgw_viewer(req, P_ORG_EDIT, &v);
  for (size_t i = 0; i < req->form.n; i++)
    if (str_eq(req->form.items[i].name, "sector")) {
      sectors = xrealloc(sectors, (ns + 1) * sizeof *sectors);
      sectors[ns++] = req->form.items[i].value;
    }
  char *code = orgw_param(req, "code"), *name = orgw_param(req, "name"),
       *parent = orgw_param(req, "parent_code"), *note = orgw_param(req, "note");
  OrgUnitIn in = {code, name, req_param(req, "jurisdiction_code"),
                  req_param(req, "level"), note, parent,
                  req_param(req, "office_code"), sectors, ns};
  OrgResult r = org_unit_save(req->db, &v, id, &in, &out, &err, &field);
  orgw_audit(req, "unit", out ? out : id, "%s被巡察单位 %s",
             id ? "修改" : "新建", code);
  if (r == ORG_OK) {
    Buf loc = BUF_INIT;
    buf_printf(&loc, "/org/units/%lld", (long long)out);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else if (r == ORG_ENOTFOUND) {
    orgw_fail(req, resp, r, &err, field);
  } else {
    UnitVals u;
    unit_vals_from_req(req, &u);
    resp->status = org_http_status(r);
    unit_form_page(req, resp, id, &u, buf_str(&err));
    buf_release(&u.sectors);
  }
  free(sectors);
  free(code);
  free(name);
  free(parent);
  free(note);
  buf_release(&err);
}

/* ROUTE: POST /org/units */
void page_org_unit_create(Request *req, Response *resp) {
  unit_post(req, resp, 0);
}

/* ROUTE: POST /org/units/{id} */
void page_org_unit_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) {
    web_error(req, resp, 404, "not_found", "单位不存在", NULL);
    return;
  }
  unit_post(req, resp, id);
}
