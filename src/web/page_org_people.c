/* page_org_people.c: the people registry (干部, confidential: every page
** needs P_PEOPLE_READ and reads are audited) and the staff pool for
** inspection teams (巡察力量库) with past posts, expertise, declared ties
** and availability windows.  Declared ties describe relatives, so they are
** shown only to P_PEOPLE_READ holders.  Rules: domain/org.h. */
#include <stdlib.h>

#include "auth/auth.h"
#include "web/api.h"
#include "web/html.h"
#include "web/page_org.h"
#include "web/pages.h"

/* Editing people needs both: the route's P_ORG_EDIT and this. */
static int may_people(Request *req, Response *resp) {
  if (auth_route_allowed(req, P_PEOPLE_READ)) return 1;
  web_error(req, resp, 403, "forbidden", "您没有查看干部人员信息的权限", NULL);
  return 0;
}

/* ---- people ---- */

/* ROUTE: GET /org/people */
void page_org_people(Request *req, Response *resp) {
  OrgViewer v;
  OrgPerson *p = NULL;
  size_t n = 0;
  int64_t total = 0, page = orgw_page(req), unit = 0;
  Buf *b = &resp->body;
  Buf q = BUF_INIT;
  const char *us = params_get(&req->query, "unit");
  if (us && *us) str_to_int64(us, 1, INT64_MAX, &unit);
  OrgPersonFilter f = {params_get(&req->query, "q"),
                       params_get(&req->query, "jur"), unit};
  orgw_viewer(req, P_PEOPLE_READ, &v);
  orgw_audit(req, "person", 0, "查询干部人员名单");
  page_begin(req, resp, "干部人员", "org");
  orgw_tabs(req, resp, "people");
  html_raw(b, "<p class=\"notice info\">干部人员信息属工作秘密，"
              "查看记录将被审计。</p>\n");
  html_printf(b,
              "<form class=\"search\" method=\"get\" action=\"/org/people\">"
              "<label>姓名或编号<input name=\"q\" maxlength=\"50\" "
              "value=\"%s\"></label><label>辖区",
              org_s(f.q));
  orgw_jur_select(req, resp, &v, "jur", f.jurisdiction, "全部");
  html_raw(b, "</label><button type=\"submit\">查询</button></form>\n");
  buf_puts(&q, "q=");
  url_encode(&q, org_s(f.q));
  buf_puts(&q, "&jur=");
  url_encode(&q, org_s(f.jurisdiction));
  if (unit) buf_printf(&q, "&unit=%lld", (long long)unit);
  html_printf(b, "<p><a href=\"/org/export/people.xlsx?%s\">导出 Excel</a>",
              buf_str(&q));
  if (auth_route_allowed(req, P_ORG_EDIT))
    html_raw(b, " · <a href=\"/org/people/new\">新增人员</a>");
  html_raw(b, "</p>\n");
  buf_putc(&q, '&');
  if (org_people_list(req->db, &v, &f, ORGW_PER_PAGE,
                      (page - 1) * ORGW_PER_PAGE, &p, &n, &total) != DB_OK) {
    page_notice(resp, "error", "读取人员失败，请稍后重试");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编号</th><th>姓名</th>"
             "<th>单位</th><th>职务</th><th>职级</th><th>党员</th>"
             "<th>监察对象</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++)
      html_printf(b,
                  "<tr><td>%s</td><td><a href=\"/org/people/%lld\">%s</a></td>"
                  "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                  "</tr>\n",
                  p[i].code, (long long)p[i].id, p[i].name, p[i].unit_name,
                  p[i].post, p[i].rank, p[i].party_member ? "是" : "否",
                  p[i].supervisory_object ? "是" : "否");
    html_raw(b, "</tbody></table>\n");
    orgw_pager(resp, "/org/people", buf_str(&q), page, total);
  }
  org_people_free(p, n);
  buf_release(&q);
  page_end(req, resp);
}

/* ROUTE: GET /org/people/{id} — audited as person.read. */
void page_org_person(Request *req, Response *resp) {
  OrgViewer v;
  OrgPerson p;
  Buf *b = &resp->body;
  int64_t id = orgw_id(req, 0);
  orgw_viewer(req, P_PEOPLE_READ, &v);
  orgw_audit(req, "person", id, "查看干部人员 #%lld", (long long)id);
  if (org_person_get(req->db, &v, id, &p) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  page_begin(req, resp, p.name, "org");
  orgw_tabs(req, resp, "people");
  html_printf(b,
              "<dl class=\"props\"><dt>人员编号</dt><dd>%s</dd><dt>所在单位</dt>"
              "<dd><a href=\"/org/units/%lld\">%s</a></dd><dt>职务</dt>"
              "<dd>%s</dd><dt>职级</dt><dd>%s</dd><dt>党员</dt><dd>%s</dd>"
              "<dt>监察对象</dt><dd>%s</dd><dt>干部管理权限</dt><dd>%s</dd>"
              "<dt>备注</dt><dd>%s</dd></dl>\n",
              p.code, (long long)p.unit_id, p.unit_name, p.post, p.rank,
              p.party_member ? "是" : "否", p.supervisory_object ? "是" : "否",
              p.managed_by, p.note);
  if (auth_route_allowed(req, P_ORG_EDIT))
    html_printf(b, "<p><a href=\"/org/people/%lld/edit\">编辑</a></p>\n",
                (long long)p.id);
  org_person_clear(&p);
  page_end(req, resp);
}

static void person_form(Request *req, Response *resp, int64_t id,
                        const OrgPerson *p, const char *error) {
  Buf *b = &resp->body;
  Buf action = BUF_INIT;
  page_begin(req, resp, id ? "编辑干部人员" : "新增干部人员", "org");
  orgw_tabs(req, resp, "people");
  if (error) page_notice(resp, "error", error);
  if (id) buf_printf(&action, "/org/people/%lld", (long long)id);
  form_begin(req, resp, id ? buf_str(&action) : "/org/people");
  int party = p ? p->party_member : str_eq(req_param(req, "party_member"), "1");
  int supv = p ? p->supervisory_object
               : str_eq(req_param(req, "supervisory_object"), "1");
  html_printf(
      b,
      "\n<label>人员编号<input name=\"code\" required maxlength=\"32\" "
      "value=\"%s\"></label>\n<label>姓名<input name=\"name\" required "
      "maxlength=\"50\" value=\"%s\"></label>\n<label>所在单位编码<input "
      "name=\"unit_code\" required maxlength=\"32\" value=\"%s\"></label>\n"
      "<label>职务<input name=\"post\" maxlength=\"100\" value=\"%s\"></label>\n"
      "<label>职级<input name=\"rank\" maxlength=\"50\" value=\"%s\"></label>\n"
      "<label class=\"check\"><input type=\"checkbox\" name=\"party_member\" "
      "value=\"1\"%s> 中共党员</label>\n<label class=\"check\"><input "
      "type=\"checkbox\" name=\"supervisory_object\" value=\"1\"%s> 监察对象"
      "</label>\n<label>干部管理权限<input name=\"managed_by\" maxlength=\"50\" "
      "value=\"%s\" placeholder=\"如 市委管理\"></label>\n<label>备注<input "
      "name=\"note\" maxlength=\"500\" value=\"%s\"></label>\n"
      "<button type=\"submit\">保存</button></form>\n",
      p ? p->code : org_s(req_param(req, "code")),
      p ? p->name : org_s(req_param(req, "name")),
      p ? p->unit_code : org_s(req_param(req, "unit_code")),
      p ? p->post : org_s(req_param(req, "post")),
      p ? p->rank : org_s(req_param(req, "rank")), party ? " checked" : "",
      supv ? " checked" : "",
      p ? p->managed_by : org_s(req_param(req, "managed_by")),
      p ? p->note : org_s(req_param(req, "note")));
  buf_release(&action);
  page_end(req, resp);
}

/* ROUTE: GET /org/people/new */
void page_org_person_new(Request *req, Response *resp) {
  if (may_people(req, resp)) person_form(req, resp, 0, NULL, NULL);
}

/* ROUTE: GET /org/people/{id}/edit */
void page_org_person_edit(Request *req, Response *resp) {
  OrgViewer v;
  OrgPerson p;
  if (!may_people(req, resp)) return;
  orgw_viewer(req, P_ORG_EDIT, &v);
  if (org_person_get(req->db, &v, orgw_id(req, 0), &p) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  person_form(req, resp, p.id, &p, NULL);
  org_person_clear(&p);
}

static void person_post(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t out = 0;
  if (!may_people(req, resp)) return;
  orgw_viewer(req, P_ORG_EDIT, &v);
  char *code = orgw_param(req, "code"), *name = orgw_param(req, "name"),
       *unit = orgw_param(req, "unit_code"), *post = orgw_param(req, "post"),
       *rank = orgw_param(req, "rank"), *mb = orgw_param(req, "managed_by"),
       *note = orgw_param(req, "note");
  OrgPersonIn in = {code, name, unit, post, rank, mb, note,
                    str_eq(req_param(req, "party_member"), "1"),
                    str_eq(req_param(req, "supervisory_object"), "1")};
  OrgResult r = org_person_save(req->db, &v, id, &in, &out, &err, &field);
  orgw_audit(req, "person", out ? out : id, "%s干部人员 #%lld",
             id ? "修改" : "新增", (long long)(out ? out : id));
  if (r == ORG_OK) {
    Buf loc = BUF_INIT;
    buf_printf(&loc, "/org/people/%lld", (long long)out);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else if (r == ORG_ENOTFOUND) {
    orgw_fail(req, resp, r, &err, field);
  } else {
    resp->status = org_http_status(r);
    person_form(req, resp, id, NULL, buf_str(&err));
  }
  free(code);
  free(name);
  free(unit);
  free(post);
  free(rank);
  free(mb);
  free(note);
  buf_release(&err);
}

/* ROUTE: POST /org/people */
void page_org_person_create(Request *req, Response *resp) {
  person_post(req, resp, 0);
}

/* ROUTE: POST /org/people/{id} */
void page_org_person_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  person_post(req, resp, id);
}

/* ---- the staff pool ---- */

/* ROUTE: GET /org/staff */
void page_org_staff(Request *req, Response *resp) {
  OrgViewer v;
  OrgStaff *s = NULL;
  size_t n = 0;
  int64_t total = 0, page = orgw_page(req);
  Buf *b = &resp->body;
  Buf q = BUF_INIT;
  OrgStaffFilter f = {params_get(&req->query, "q"),
                      params_get(&req->query, "jur"),
                      params_get(&req->query, "expertise"),
                      params_get(&req->query, "post")};
  orgw_viewer(req, P_ORG_READ, &v);
  page_begin(req, resp, "巡察力量库", "org");
  orgw_tabs(req, resp, "staff");
  html_printf(b,
              "<form class=\"search\" method=\"get\" action=\"/org/staff\">"
              "<label>姓名或编号<input name=\"q\" maxlength=\"50\" value=\"%s\">"
              "</label><label>专长<input name=\"expertise\" maxlength=\"20\" "
              "value=\"%s\" placeholder=\"如 财务\"></label><label>曾任职务"
              "<input name=\"post\" maxlength=\"50\" value=\"%s\" "
              "placeholder=\"如 县区纪委常务副书记\"></label><label>辖区",
              org_s(f.q), org_s(f.expertise), org_s(f.past_post));
  orgw_jur_select(req, resp, &v, "jur", f.jurisdiction, "全部");
  html_raw(b, "</label><button type=\"submit\">查询</button></form>\n");
  buf_puts(&q, "q=");
  url_encode(&q, org_s(f.q));
  buf_puts(&q, "&jur=");
  url_encode(&q, org_s(f.jurisdiction));
  buf_puts(&q, "&expertise=");
  url_encode(&q, org_s(f.expertise));
  buf_puts(&q, "&post=");
  url_encode(&q, org_s(f.past_post));
  html_printf(b, "<p><a href=\"/org/export/staff.xlsx?%s\">导出 Excel</a>",
              buf_str(&q));
  if (auth_route_allowed(req, P_ORG_EDIT))
    html_raw(b, " · <a href=\"/org/staff/new\">新增人员</a>");
  html_raw(b, "</p>\n");
  buf_putc(&q, '&');
  if (org_staff_list(req->db, &v, &f, ORGW_PER_PAGE, (page - 1) * ORGW_PER_PAGE,
                     &s, &n, &total) != DB_OK) {
    page_notice(resp, "error", "读取力量库失败，请稍后重试");
  } else {
    html_raw(b,
             "<table class=\"grid\"><thead><tr><th>编号</th><th>姓名</th>"
             "<th>辖区</th><th>部门</th><th>职务</th><th>职级</th><th>专长</th>"
             "<th>状态</th></tr></thead><tbody>\n");
    for (size_t i = 0; i < n; i++)
      html_printf(b,
                  "<tr><td>%s</td><td><a href=\"/org/staff/%lld\">%s</a></td>"
                  "<td>%s</td><td>%s</td><td>%s</td><td>%s</td><td>%s</td>"
                  "<td>%s</td></tr>\n",
                  s[i].code, (long long)s[i].id, s[i].name,
                  s[i].jurisdiction_name, s[i].office_name, s[i].post,
                  s[i].rank, s[i].expertise, s[i].active ? "在库" : "已退出");
    html_raw(b, "</tbody></table>\n");
    orgw_pager(resp, "/org/staff", buf_str(&q), page, total);
  }
  org_staff_free(s, n);
  buf_release(&q);
  page_end(req, resp);
}

/* A small POST form with one button to delete sub-record kind/sid. */
static void delete_button(Request *req, Response *resp, int64_t staff,
                          const char *kind, int64_t sid) {
  Buf a = BUF_INIT;
  buf_printf(&a, "/org/staff/%lld/%s/%lld/delete", (long long)staff, kind,
             (long long)sid);
  form_begin(req, resp, buf_str(&a));
  html_raw(&resp->body, "<button type=\"submit\">删除</button></form>");
  buf_release(&a);
}

static void staff_page(Request *req, Response *resp, int64_t id,
                       const char *error) {
  OrgViewer v;
  OrgStaff s;
  OrgStaffPost *p = NULL;
  OrgStaffTie *t = NULL;
  OrgAvail *a = NULL;
  size_t np = 0, nt = 0, na = 0;
  Buf *b = &resp->body;
  Buf act = BUF_INIT;
  int edit = auth_route_allowed(req, P_ORG_EDIT);
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_staff_get(req->db, &v, id, &s) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  page_begin(req, resp, s.name, "org");
  orgw_tabs(req, resp, "staff");
  if (error) page_notice(resp, "error", error);
  html_printf(b,
              "<dl class=\"props\"><dt>人员编号</dt><dd>%s</dd><dt>辖区</dt>"
              "<dd>%s</dd><dt>部门</dt><dd>%s</dd><dt>现任职务</dt><dd>%s</dd>"
              "<dt>职级</dt><dd>%s</dd><dt>专长</dt><dd>%s</dd><dt>状态</dt>"
              "<dd>%s</dd><dt>备注</dt><dd>%s</dd></dl>\n",
              s.code, s.jurisdiction_name, s.office_name, s.post, s.rank,
              s.expertise, s.active ? "在库" : "已退出", s.note);
  if (edit)
    html_printf(b, "<p><a href=\"/org/staff/%lld/edit\">编辑基本信息</a></p>\n",
                (long long)id);

  html_raw(b, "<h2>工作经历</h2>\n");
  org_staff_posts(req->db, id, &p, &np);
  html_raw(b, "<table class=\"grid\"><thead><tr><th>职务</th><th>任职单位</th>"
              "<th>起</th><th>止</th><th></th></tr></thead><tbody>\n");
  for (size_t i = 0; i < np; i++) {
    html_printf(b, "<tr><td>%s</td><td>%s%s%s</td><td>%s</td><td>%s</td><td>",
                p[i].title, p[i].org_name,
                p[i].unit_id && p[i].org_name[0] ? " / " : "", p[i].unit_name,
                p[i].from_date, p[i].to_date[0] ? p[i].to_date : "至今");
    if (edit) delete_button(req, resp, id, "posts", p[i].id);
    html_raw(b, "</td></tr>\n");
  }
  html_raw(b, "</tbody></table>\n");
  org_posts_free(p, np);
  if (edit) {
    buf_printf(&act, "/org/staff/%lld/posts", (long long)id);
    form_begin(req, resp, buf_str(&act));
    html_raw(b,
             "\n<label>职务<input name=\"title\" required maxlength=\"50\" "
             "placeholder=\"如 县区纪委常务副书记\"></label>\n<label>任职单位"
             "<input name=\"org_name\" maxlength=\"100\"></label>\n<label>"
             "单位编码（在册单位可填，用于回避核查）<input name=\"unit_code\" "
             "maxlength=\"32\"></label>\n<label>起始日期<input "
             "name=\"from_date\" type=\"date\"></label>\n<label>截止日期（空为"
             "至今）<input name=\"to_date\" type=\"date\"></label>\n"
             "<button type=\"submit\">添加经历</button></form>\n");
  }

  if (auth_route_allowed(req, P_PEOPLE_READ)) {
    html_raw(b, "<h2>申报的关联关系（回避依据）</h2>\n");
    org_staff_ties(req->db, id, &t, &nt);
    html_raw(b, "<table class=\"grid\"><thead><tr><th>单位</th><th>类型</th>"
                "<th>说明</th><th>起</th><th>止</th><th></th></tr></thead>"
                "<tbody>\n");
    for (size_t i = 0; i < nt; i++) {
      const char *k = org_label(org_tie_kinds, n_org_tie_kinds, t[i].kind);
      html_printf(b,
                  "<tr><td>%s（%s）</td><td>%s</td><td>%s</td><td>%s</td>"
                  "<td>%s</td><td>",
                  t[i].unit_name, t[i].unit_code, k ? k : t[i].kind, t[i].note,
                  t[i].from_date, t[i].to_date);
      if (edit) delete_button(req, resp, id, "ties", t[i].id);
      html_raw(b, "</td></tr>\n");
    }
    html_raw(b, "</tbody></table>\n");
    org_ties_free(t, nt);
    if (edit) {
      buf_clear(&act);
      buf_printf(&act, "/org/staff/%lld/ties", (long long)id);
      form_begin(req, resp, buf_str(&act));
      html_raw(b, "\n<label>单位编码<input name=\"unit_code\" required "
                  "maxlength=\"32\"></label>\n<label>类型");
      orgw_label_select(resp, "kind", org_tie_kinds, n_org_tie_kinds, NULL,
                        NULL);
      html_raw(b,
               "</label>\n<label>说明<input name=\"note\" maxlength=\"500\" "
               "placeholder=\"如 配偶任该单位副校长\"></label>\n<label>起始日期"
               "<input name=\"from_date\" type=\"date\"></label>\n<label>"
               "截止日期<input name=\"to_date\" type=\"date\"></label>\n"
               "<button type=\"submit\">添加关联</button></form>\n");
    }
  }

  html_raw(b, "<h2>可派出时段</h2>\n");
  org_staff_avail(req->db, id, &a, &na);
  html_raw(b, "<table class=\"grid\"><thead><tr><th>起</th><th>止</th>"
              "<th>说明</th><th></th></tr></thead><tbody>\n");
  for (size_t i = 0; i < na; i++) {
    html_printf(b, "<tr><td>%s</td><td>%s</td><td>%s</td><td>", a[i].from_date,
                a[i].to_date, a[i].note);
    if (edit) delete_button(req, resp, id, "availability", a[i].id);
    html_raw(b, "</td></tr>\n");
  }
  html_raw(b, "</tbody></table>\n");
  org_avail_free(a, na);
  if (edit) {
    buf_clear(&act);
    buf_printf(&act, "/org/staff/%lld/availability", (long long)id);
    form_begin(req, resp, buf_str(&act));
    html_raw(b,
             "\n<label>起始日期<input name=\"from_date\" type=\"date\" "
             "required></label>\n<label>截止日期<input name=\"to_date\" "
             "type=\"date\" required></label>\n<label>说明<input name=\"note\" "
             "maxlength=\"500\"></label>\n<button type=\"submit\">添加时段"
             "</button></form>\n");
  }
  buf_release(&act);
  org_staff_clear(&s);
  page_end(req, resp);
}

/* ROUTE: GET /org/staff/{id} */
void page_org_staff_one(Request *req, Response *resp) {
  staff_page(req, resp, orgw_id(req, 0), NULL);
}

static void staff_form(Request *req, Response *resp, int64_t id,
                       const OrgStaff *s, const char *error) {
  OrgViewer v;
  OrgOffice *o = NULL;
  size_t no = 0;
  Buf *b = &resp->body;
  Buf action = BUF_INIT;
  orgw_viewer(req, P_ORG_EDIT, &v);
  page_begin(req, resp, id ? "编辑力量库人员" : "新增力量库人员", "org");
  orgw_tabs(req, resp, "staff");
  if (error) page_notice(resp, "error", error);
  if (id) buf_printf(&action, "/org/staff/%lld", (long long)id);
  form_begin(req, resp, id ? buf_str(&action) : "/org/staff");
  html_printf(b,
              "\n<label>人员编号<input name=\"code\" required maxlength=\"32\" "
              "value=\"%s\"></label>\n<label>姓名<input name=\"name\" required "
              "maxlength=\"50\" value=\"%s\"></label>\n<label>所属辖区",
              s ? s->code : org_s(req_param(req, "code")),
              s ? s->name : org_s(req_param(req, "name")));
  orgw_jur_select(req, resp, &v, "jurisdiction_code",
                  s ? s->jurisdiction_code : req_param(req, "jurisdiction_code"),
                  NULL);
  html_raw(b, "</label>\n<label>部门<select name=\"office_code\">"
              "<option value=\"\">—</option>");
  const char *cur = s ? s->office_code : req_param(req, "office_code");
  org_offices_list(req->db, &v, NULL, NULL, 1000, 0, &o, &no, NULL);
  for (size_t i = 0; i < no; i++)
    html_printf(b, "<option value=\"%s\"%s>%s</option>", o[i].code,
                str_eq(o[i].code, cur) ? " selected" : "", o[i].name);
  org_offices_free(o, no);
  int active = s ? s->active : !str_eq(req_param(req, "active"), "0");
  html_printf(
      b,
      "</select></label>\n<label>现任职务<input name=\"post\" maxlength=\"100\""
      " value=\"%s\"></label>\n<label>职级<input name=\"rank\" "
      "maxlength=\"50\" value=\"%s\"></label>\n<label>专长（用“、”分隔）"
      "<input name=\"expertise\" maxlength=\"400\" value=\"%s\"></label>\n"
      "<label>状态<select name=\"active\"><option value=\"1\"%s>在库</option>"
      "<option value=\"0\"%s>已退出</option></select></label>\n<label>备注"
      "<input name=\"note\" maxlength=\"500\" value=\"%s\"></label>\n"
      "<button type=\"submit\">保存</button></form>\n",
      s ? s->post : org_s(req_param(req, "post")),
      s ? s->rank : org_s(req_param(req, "rank")),
      s ? s->expertise : org_s(req_param(req, "expertise")),
      active ? " selected" : "", active ? "" : " selected",
      s ? s->note : org_s(req_param(req, "note")));
  buf_release(&action);
  page_end(req, resp);
}

/* ROUTE: GET /org/staff/new */
void page_org_staff_new(Request *req, Response *resp) {
  staff_form(req, resp, 0, NULL, NULL);
}

/* ROUTE: GET /org/staff/{id}/edit */
void page_org_staff_edit(Request *req, Response *resp) {
  OrgViewer v;
  OrgStaff s;
  orgw_viewer(req, P_ORG_EDIT, &v);
  if (org_staff_get(req->db, &v, orgw_id(req, 0), &s) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  staff_form(req, resp, s.id, &s, NULL);
  org_staff_clear(&s);
}

static void staff_post(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  Buf err = BUF_INIT;
  const char *field = NULL;
  int64_t out = 0;
  orgw_viewer(req, P_ORG_EDIT, &v);
  char *code = orgw_param(req, "code"), *name = orgw_param(req, "name"),
       *post = orgw_param(req, "post"), *rank = orgw_param(req, "rank"),
       *exp = orgw_param(req, "expertise"), *note = orgw_param(req, "note");
  OrgStaffIn in = {code, name, req_param(req, "office_code"),
                   req_param(req, "jurisdiction_code"), rank, post, note, exp,
                   !str_eq(req_param(req, "active"), "0")};
  OrgResult r = org_staff_save(req->db, &v, id, &in, &out, &err, &field);
  orgw_audit(req, "staff", out ? out : id, "%s力量库人员 %s",
             id ? "修改" : "新增", code);
  if (r == ORG_OK) {
    Buf loc = BUF_INIT;
    buf_printf(&loc, "/org/staff/%lld", (long long)out);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else if (r == ORG_ENOTFOUND) {
    orgw_fail(req, resp, r, &err, field);
  } else {
    resp->status = org_http_status(r);
    staff_form(req, resp, id, NULL, buf_str(&err));
  }
  free(code);
  free(name);
  free(post);
  free(rank);
  free(exp);
  free(note);
  buf_release(&err);
}

/* ROUTE: POST /org/staff */
void page_org_staff_create(Request *req, Response *resp) {
  staff_post(req, resp, 0);
}

/* ROUTE: POST /org/staff/{id} */
void page_org_staff_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  staff_post(req, resp, id);
}

/* The staff member of {id} in the editor's scope: its id, or 0 after
** rendering 404. */
static int64_t staff_for_edit(Request *req, Response *resp, OrgViewer *v) {
  OrgStaff s;
  orgw_viewer(req, P_ORG_EDIT, v);
  int64_t id = orgw_id(req, 0);
  if (!id || org_staff_get(req->db, v, id, &s) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return 0;
  }
  org_staff_clear(&s);
  return id;
}

/* After adding or deleting a sub-record: back to the page, or the page
** with the error. */
static void sub_done(Request *req, Response *resp, int64_t id, OrgResult r,
                     const Buf *err) {
  if (r == ORG_OK) {
    Buf loc = BUF_INIT;
    buf_printf(&loc, "/org/staff/%lld", (long long)id);
    resp_redirect(resp, buf_str(&loc));
    buf_release(&loc);
  } else if (r == ORG_ENOTFOUND) {
    web_error(req, resp, 404, "not_found", "记录不存在", NULL);
  } else {
    resp->status = org_http_status(r);
    staff_page(req, resp, id, err->len ? buf_str(err) : "保存失败");
  }
}

/* ROUTE: POST /org/staff/{id}/posts */
void page_org_staff_post_add(Request *req, Response *resp) {
  OrgViewer v;
  Buf err = BUF_INIT;
  const char *field;
  int64_t id = staff_for_edit(req, resp, &v);
  if (!id) return;
  char *title = orgw_param(req, "title"), *org = orgw_param(req, "org_name"),
       *unit = orgw_param(req, "unit_code");
  OrgStaffPostIn in = {title, org, unit, req_param(req, "from_date"),
                       req_param(req, "to_date")};
  OrgResult r = org_staff_post_add(req->db, &v, id, &in, &err, &field);
  orgw_audit(req, "staff", id, "添加力量库人员工作经历");
  sub_done(req, resp, id, r, &err);
  free(title);
  free(org);
  free(unit);
  buf_release(&err);
}

/* ROUTE: POST /org/staff/{id}/ties */
void page_org_staff_tie_add(Request *req, Response *resp) {
  OrgViewer v;
  Buf err = BUF_INIT;
  const char *field;
  if (!may_people(req, resp)) return;
  int64_t id = staff_for_edit(req, resp, &v);
  if (!id) return;
  char *unit = orgw_param(req, "unit_code"), *note = orgw_param(req, "note");
  OrgStaffTieIn in = {unit, req_param(req, "kind"), note,
                      req_param(req, "from_date"), req_param(req, "to_date")};
  OrgResult r = org_staff_tie_add(req->db, &v, id, &in, &err, &field);
  orgw_audit(req, "staff", id, "添加力量库人员关联关系");
  sub_done(req, resp, id, r, &err);
  free(unit);
  free(note);
  buf_release(&err);
}

/* ROUTE: POST /org/staff/{id}/availability */
void page_org_staff_avail_add(Request *req, Response *resp) {
  OrgViewer v;
  Buf err = BUF_INIT;
  const char *field;
  int64_t id = staff_for_edit(req, resp, &v);
  if (!id) return;
  char *note = orgw_param(req, "note");
  OrgResult r =
      org_staff_avail_add(req->db, id, req_param(req, "from_date"),
                          req_param(req, "to_date"), note, &err, &field);
  orgw_audit(req, "staff", id, "添加力量库人员可派出时段");
  sub_done(req, resp, id, r, &err);
  free(note);
  buf_release(&err);
}

static void sub_delete(Request *req, Response *resp,
                       OrgResult (*del)(Db *, int64_t, int64_t),
                       const char *what) {
  OrgViewer v;
  Buf err = BUF_INIT;
  int64_t id = staff_for_edit(req, resp, &v);
  if (!id) return;
  OrgResult r = del(req->db, id, orgw_id(req, 1));
  orgw_audit(req, "staff", id, "删除力量库人员%s #%lld", what,
             (long long)orgw_id(req, 1));
  sub_done(req, resp, id, r, &err);
  buf_release(&err);
}

/* ROUTE: POST /org/staff/{id}/posts/{pid}/delete */
void page_org_staff_post_delete(Request *req, Response *resp) {
  sub_delete(req, resp, org_staff_post_delete, "工作经历");
}

/* ROUTE: POST /org/staff/{id}/ties/{tid}/delete */
void page_org_staff_tie_delete(Request *req, Response *resp) {
  if (may_people(req, resp))
    sub_delete(req, resp, org_staff_tie_delete, "关联关系");
}

/* ROUTE: POST /org/staff/{id}/availability/{aid}/delete */
void page_org_staff_avail_delete(Request *req, Response *resp) {
  sub_delete(req, resp, org_staff_avail_delete, "可派出时段");
}
