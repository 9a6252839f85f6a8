/* page_org_api.c: the JSON API of the organisation registries under
** /api/v1/: jurisdictions, offices, units, people, staff and sector tags
** (rules in domain/org.h).  Lists are paginated ({"items","total","page",
** "per_page"}) and fenced by the caller's jurisdiction; a record outside
** it is 404.  POST creates, PUT updates the fields it names (others keep
** their values).  Reading a person is audited (person.read). */
#include <stdlib.h>

#include "auth/auth.h"
#include "web/api.h"
#include "web/page_org.h"
#include "web/pages.h"

/* ---- input ---- */

/* An optional string member: 0 with *out (NULL when absent or null), or
** -1 after rendering 400. */
static int jstr(Request *req, Response *resp, const char *field,
                const char **out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  *out = NULL;
  if (!v || json_is_null(v)) return 0;
  if (!json_is_string(v)) {
    char msg[96];
    snprintf(msg, sizeof msg, "字段 %s 的类型应为字符串", field);
    web_error(req, resp, 400, "bad_field", msg, field);
    return -1;
  }
  *out = json_string_value(v);
  return 0;
}

/* An optional boolean (true/false or 0/1): 0 with *out unchanged when
** absent, or -1 after rendering 400. */
static int jbool(Request *req, Response *resp, const char *field, int *out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!v || json_is_null(v)) return 0;
  if (json_is_boolean(v)) *out = json_is_true(v);
  else if (json_is_integer(v) && (json_integer_value(v) & ~1) == 0)
    *out = (int)json_integer_value(v);
  else {
    char msg[96];
    snprintf(msg, sizeof msg, "字段 %s 应为 true 或 false", field);
    web_error(req, resp, 400, "bad_field", msg, field);
    return -1;
  }
  return 0;
}

/* An optional list of strings, given as an array or as one "、"-separated
** string, joined with "、" into out.  1 when present, 0 when absent, -1
** after rendering 400. */
static int jlist(Request *req, Response *resp, const char *field, Buf *out) {
  json_t *v = req->json ? json_object_get(req->json, field) : NULL;
  if (!v || json_is_null(v)) return 0;
  if (json_is_string(v)) {
    buf_puts(out, json_string_value(v));
    return 1;
  }
  size_t i;
  json_t *e;
  if (json_is_array(v)) {
    json_array_foreach(v, i, e) {
      if (!json_is_string(e)) goto bad;
      if (out->len) buf_puts(out, "、");
      buf_puts(out, json_string_value(e));
    }
    return 1;
  }
bad:;
  char msg[96];
  snprintf(msg, sizeof msg, "字段 %s 应为字符串数组", field);
  web_error(req, resp, 400, "bad_field", msg, field);
  return -1;
}

static json_t *opt_str(const char *s) {
  return s && *s ? json_string(s) : json_null();
}

static json_t *ref(int64_t id, const char *code, const char *name) {
  return id ? json_pack("{s:I, s:s, s:s}", "id", (json_int_t)id, "code", code,
                        "name", name)
            : json_null();
}

/* A database failure on a list. */
static void list_failed(Request *req, Response *resp) {
  web_error(req, resp, 500, "db_error", "读取失败，请稍后重试", NULL);
}

/* ---- jurisdictions ---- */

static json_t *jur_json(const OrgJur *j) {
  return json_pack("{s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:I, s:I}", "code",
                   j->code, "parent_code", opt_str(j->parent_code), "name",
                   j->name, "level", j->level, "commission_name",
                   j->commission_name, "inspection_office_name",
                   j->inspection_office_name, "audit_office_name",
                   j->audit_office_name, "sort_order",
                   (json_int_t)j->sort_order, "unit_count",
                   (json_int_t)j->unit_count);
}

/* ROUTE: GET /api/v1/jurisdictions */
void api_org_jurisdictions(Request *req, Response *resp) {
  OrgViewer v;
  OrgJur *j = NULL;
  size_t n = 0;
  int64_t page, per;
  if (api_paging(req, resp, &page, &per) != 0) return;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_jurs_list(req->db, &v, &j, &n) != DB_OK) return list_failed(req, resp);
  json_t *items = json_array();
  for (size_t i = (size_t)((page - 1) * per); i < n &&
       (int64_t)json_array_size(items) < per; i++)
    json_array_append_new(items, jur_json(&j[i]));
  org_jurs_free(j, n);
  api_json(resp, 200, api_page(items, (int64_t)n, page, per));
}

static void jur_write(Request *req, Response *resp, const char *code,
                      int create) {
  OrgViewer v;
  OrgJur cur = {0};
  Buf err = BUF_INIT;
  const char *field = NULL, *name, *cm, *io, *ao;
  json_t *so = req->json ? json_object_get(req->json, "sort_order") : NULL;
  orgw_viewer(req, P_ORG_EDIT, &v);
  orgw_audit(req, "jurisdiction", 0, "%s辖区 %s", create ? "新增" : "修改",
             org_s(code));
  if (jstr(req, resp, "name", &name) || jstr(req, resp, "commission_name", &cm) ||
      jstr(req, resp, "inspection_office_name", &io) ||
      jstr(req, resp, "audit_office_name", &ao))
    return;
  if (so && !json_is_null(so) && !json_is_integer(so)) {
    web_error(req, resp, 400, "bad_field", "字段 sort_order 应为整数",
              "sort_order");
    return;
  }
  if (!create && org_jur_get(req->db, &v, code, &cur) != DB_OK) {
    web_error(req, resp, 404, "not_found", "辖区不存在", NULL);
    return;
  }
  OrgJurIn in = {code,
                 name ? name : cur.name,
                 cm ? cm : cur.commission_name,
                 io ? io : cur.inspection_office_name,
                 ao ? ao : cur.audit_office_name,
                 json_is_integer(so) ? json_integer_value(so) : cur.sort_order};
  OrgResult r = org_jur_save(req->db, &v, &in, create, &err, &field);
  org_jur_clear(&cur);
  if (r != ORG_OK) {
    orgw_fail(req, resp, r, &err, field);
  } else if (org_jur_get(req->db, &v, code, &cur) == DB_OK) {
    api_json(resp, create ? 201 : 200, jur_json(&cur));
    org_jur_clear(&cur);
  } else {
    list_failed(req, resp);
  }
  buf_release(&err);
}

/* ROUTE: POST /api/v1/jurisdictions */
void api_org_jurisdiction_create(Request *req, Response *resp) {
  const char *code = api_string(req, resp, "code");
  if (code) jur_write(req, resp, code, 1);
}

/* ROUTE: PUT /api/v1/jurisdictions/{code} */
void api_org_jurisdiction_update(Request *req, Response *resp) {
  jur_write(req, resp, req_arg(req, 0), 0);
}

/* ---- offices ---- */

static json_t *office_json(const OrgOffice *o) {
  const char *kl = org_label(org_office_kinds, n_org_office_kinds, o->kind);
  return json_pack("{s:I, s:s, s:s, s:s, s:s, s:s, s:s, s:s, s:I, s:o}", "id",
                   (json_int_t)o->id, "code", o->code, "jurisdiction_code",
                   o->jurisdiction_code, "jurisdiction_name",
                   o->jurisdiction_name, "name", o->name, "kind", o->kind,
                   "kind_label", kl ? kl : "", "note", o->note, "unit_count",
                   (json_int_t)o->unit_count, "created_at",
                   api_time(o->created_at));
}

/* ROUTE: GET /api/v1/offices (?kind=&jurisdiction=) */
void api_org_offices(Request *req, Response *resp) {
  OrgViewer v;
  OrgOffice *o = NULL;
  size_t n = 0;
  int64_t page, per, total = 0;
  if (api_paging(req, resp, &page, &per) != 0) return;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_offices_list(req->db, &v, params_get(&req->query, "kind"),
                       params_get(&req->query, "jurisdiction"), per,
                       (page - 1) * per, &o, &n, &total) != DB_OK)
    return list_failed(req, resp);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, office_json(&o[i]));
  org_offices_free(o, n);
  api_json(resp, 200, api_page(items, total, page, per));
}

/* ROUTE: GET /api/v1/offices/{id} */
void api_org_office(Request *req, Response *resp) {
  OrgViewer v;
  OrgOffice o;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_office_get(req->db, &v, orgw_id(req, 0), &o) != DB_OK) {
    web_error(req, resp, 404, "not_found", "部门不存在", NULL);
    return;
  }
  api_json(resp, 200, office_json(&o));
  org_office_clear(&o);
}

static void office_write(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  OrgOffice cur = {0};
  Buf err = BUF_INIT;
  const char *field = NULL, *code, *jur, *name, *kind, *note;
  int64_t out = 0;
  orgw_viewer(req, P_ORG_EDIT, &v);
  orgw_audit(req, "office", id, "%s部门", id ? "修改" : "新增");
  if (jstr(req, resp, "code", &code) || jstr(req, resp, "jurisdiction_code", &jur) ||
      jstr(req, resp, "name", &name) || jstr(req, resp, "kind", &kind) ||
      jstr(req, resp, "note", &note))
    return;
  if (id && org_office_get(req->db, &v, id, &cur) != DB_OK) {
    web_error(req, resp, 404, "not_found", "部门不存在", NULL);
    return;
  }
  if (kind) kind = org_code_of(org_office_kinds, n_org_office_kinds, kind)
                       ? org_code_of(org_office_kinds, n_org_office_kinds, kind)
                       : kind;
  OrgOfficeIn in = {code ? code : cur.code, jur ? jur : cur.jurisdiction_code,
                    name ? name : cur.name, kind ? kind : cur.kind,
                    note ? note : cur.note};
  OrgResult r = org_office_save(req->db, &v, id, &in, &out, &err, &field);
  org_office_clear(&cur);
  req->audit_object_id = out;
  if (r != ORG_OK) {
    orgw_fail(req, resp, r, &err, field);
  } else if (org_office_get(req->db, &v, out, &cur) == DB_OK) {
    api_json(resp, id ? 200 : 201, office_json(&cur));
    org_office_clear(&cur);
  } else {
    list_failed(req, resp);
  }
  buf_release(&err);
}

/* ROUTE: POST /api/v1/offices */
void api_org_office_create(Request *req, Response *resp) {
  office_write(req, resp, 0);
}

/* ROUTE: PUT /api/v1/offices/{id} */
void api_org_office_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) web_error(req, resp, 404, "not_found", "部门不存在", NULL);
  else office_write(req, resp, id);
}

/* ---- sector tags ---- */

/* ROUTE: GET /api/v1/sector-tags */
void api_org_tags(Request *req, Response *resp) {
  OrgTag *t = NULL;
  size_t n = 0;
  int64_t page, per;
  if (api_paging(req, resp, &page, &per) != 0) return;
  if (org_tags_list(req->db, &t, &n) != DB_OK) return list_failed(req, resp);
  json_t *items = json_array();
  for (size_t i = (size_t)((page - 1) * per);
       i < n && (int64_t)json_array_size(items) < per; i++)
    json_array_append_new(
        items, json_pack("{s:s, s:s, s:I, s:I}", "code", t[i].code, "name",
                         t[i].name, "sort_order", (json_int_t)t[i].sort_order,
                         "unit_count", (json_int_t)t[i].unit_count));
  org_tags_free(t, n);
  api_json(resp, 200, api_page(items, (int64_t)n, page, per));
}

static void tag_write(Request *req, Response *resp, const char *code,
                      int create) {
  Buf err = BUF_INIT;
  const char *field = NULL, *name;
  json_t *so = req->json ? json_object_get(req->json, "sort_order") : NULL;
  orgw_audit(req, "sector_tag", 0, "%s领域标签 %s", create ? "新增" : "修改",
             org_s(code));
  if (jstr(req, resp, "name", &name)) return;
  if (so && !json_is_null(so) && !json_is_integer(so)) {
    web_error(req, resp, 400, "bad_field", "字段 sort_order 应为整数",
              "sort_order");
    return;
  }
  int64_t sort = json_is_integer(so) ? json_integer_value(so) : 0;
  OrgResult r = org_tag_save(req->db, code, name, sort, create, &err, &field);
  if (r != ORG_OK)
    orgw_fail(req, resp, r, &err, field);
  else
    api_json(resp, create ? 201 : 200,
             json_pack("{s:s, s:s, s:I}", "code", code, "name", name,
                       "sort_order", (json_int_t)sort));
  buf_release(&err);
}

/* ROUTE: POST /api/v1/sector-tags */
void api_org_tag_create(Request *req, Response *resp) {
  const char *code = api_string(req, resp, "code");
  if (code) tag_write(req, resp, code, 1);
}

/* ROUTE: PUT /api/v1/sector-tags/{code} */
void api_org_tag_update(Request *req, Response *resp) {
  tag_write(req, resp, req_arg(req, 0), 0);
}

/* ROUTE: DELETE /api/v1/sector-tags/{code} */
void api_org_tag_delete(Request *req, Response *resp) {
  Buf err = BUF_INIT;
  orgw_audit(req, "sector_tag", 0, "删除领域标签 %s", req_arg(req, 0));
  OrgResult r = org_tag_delete(req->db, req_arg(req, 0), &err);
  if (r != ORG_OK) orgw_fail(req, resp, r, &err, NULL);
  else resp->status = 204;
  buf_release(&err);
}

/* ---- units ---- */

static json_t *unit_json(const OrgUnit *u) {
  json_t *sectors = json_array();
  char **codes = NULL;
  size_t n = 0;
  org_split(u->sector_codes, &codes, &n);
  for (size_t i = 0; i < n; i++) json_array_append_new(sectors, json_string(codes[i]));
  org_strv_free(codes, n);
  return json_pack(
      "{s:I, s:s, s:s, s:s, s:s, s:o, s:s, s:o, s:o, s:s, s:s, s:o, s:o}", "id",
      (json_int_t)u->id, "code", u->code, "name", u->name, "jurisdiction_code",
      u->jurisdiction_code, "jurisdiction_name", u->jurisdiction_name, "parent",
      ref(u->parent_id, u->parent_code, u->parent_name), "level", u->level,
      "office", ref(u->office_id, u->office_code, u->office_name), "sectors",
      sectors, "sector_names", u->sector_names, "note", u->note, "created_at",
      api_time(u->created_at), "updated_at", api_time(u->updated_at));
}

/* ROUTE: GET /api/v1/units (?q=&jurisdiction=&sector=&parent_id=) */
void api_org_units(Request *req, Response *resp) {
  OrgViewer v;
  OrgUnit *u = NULL;
  size_t n = 0;
  int64_t page, per, total = 0, parent = 0;
  if (api_paging(req, resp, &page, &per) != 0) return;
  const char *ps = params_get(&req->query, "parent_id");
  if (ps && str_to_int64(ps, 1, INT64_MAX, &parent) != 0) {
    web_error(req, resp, 400, "bad_parameter", "参数 parent_id 应为正整数",
              "parent_id");
    return;
  }
  OrgUnitFilter f = {params_get(&req->query, "q"),
                     params_get(&req->query, "jurisdiction"),
                     params_get(&req->query, "sector"), parent};
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_units_list(req->db, &v, &f, per, (page - 1) * per, &u, &n, &total) !=
      DB_OK)
    return list_failed(req, resp);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, unit_json(&u[i]));
  org_units_free(u, n);
  api_json(resp, 200, api_page(items, total, page, per));
}

/* ROUTE: GET /api/v1/units/{id} */
void api_org_unit(Request *req, Response *resp) {
  OrgViewer v;
  OrgUnit u;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_unit_get(req->db, &v, orgw_id(req, 0), &u) != DB_OK) {
    web_error(req, resp, 404, "not_found", "单位不存在", NULL);
    return;
  }
  api_json(resp, 200, unit_json(&u));
  org_unit_clear(&u);
}

static void unit_write(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  OrgUnit cur = {0};
  Buf err = BUF_INIT, sec = BUF_INIT;
  const char *field = NULL, *code, *name, *jur, *parent, *level, *office, *note;
  char **sectors = NULL;
  size_t ns = 0;
  int64_t out = 0;
  orgw_viewer(req, P_ORG_EDIT, &v);
  orgw_audit(req, "unit", id, "%s被巡察单位", id ? "修改" : "新建");
  int has_sec;
  if (jstr(req, resp, "code", &code) || jstr(req, resp, "name", &name) ||
      jstr(req, resp, "jurisdiction_code", &jur) ||
      jstr(req, resp, "parent_code", &parent) || jstr(req, resp, "level", &level) ||
      jstr(req, resp, "office_code", &office) || jstr(req, resp, "note", &note) ||
      (has_sec = jlist(req, resp, "sectors", &sec)) < 0)
    goto done;
  if (id && org_unit_get(req->db, &v, id, &cur) != DB_OK) {
    web_error(req, resp, 404, "not_found", "单位不存在", NULL);
    goto done;
  }
  if (level && org_code_of(org_unit_levels, n_org_unit_levels, level))
    level = org_code_of(org_unit_levels, n_org_unit_levels, level);
  org_split(has_sec ? buf_str(&sec) : cur.sector_codes, &sectors, &ns);
  OrgUnitIn in = {code ? code : cur.code,
                  name ? name : cur.name,
                  jur ? jur : cur.jurisdiction_code,
                  level ? level : cur.level,
                  note ? note : cur.note,
                  parent ? parent : cur.parent_code,
                  office ? office : cur.office_code,
                  (const char *const *)sectors,
                  ns};
  OrgResult r = org_unit_save(req->db, &v, id, &in, &out, &err, &field);
  org_unit_clear(&cur);
  req->audit_object_id = out;
  if (r != ORG_OK) {
    orgw_fail(req, resp, r, &err, field);
  } else if (org_unit_get(req->db, &v, out, &cur) == DB_OK) {
    api_json(resp, id ? 200 : 201, unit_json(&cur));
  } else {
    list_failed(req, resp);
  }
done:
  org_unit_clear(&cur);
  org_strv_free(sectors, ns);
  buf_release(&err);
  buf_release(&sec);
}

/* ROUTE: POST /api/v1/units */
void api_org_unit_create(Request *req, Response *resp) {
  unit_write(req, resp, 0);
}

/* ROUTE: PUT /api/v1/units/{id} */
void api_org_unit_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) web_error(req, resp, 404, "not_found", "单位不存在", NULL);
  else unit_write(req, resp, id);
}

/* ---- people ---- */

static json_t *person_json(const OrgPerson *p) {
  return json_pack(
      "{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:b, s:b, s:s, s:s, s:o, s:o}", "id",
      (json_int_t)p->id, "code", p->code, "name", p->name, "unit",
      ref(p->unit_id, p->unit_code, p->unit_name), "jurisdiction_code",
      p->jurisdiction_code, "post", p->post, "rank", p->rank, "party_member",
      p->party_member, "supervisory_object", p->supervisory_object,
      "managed_by", p->managed_by, "note", p->note, "created_at",
      api_time(p->created_at), "updated_at", api_time(p->updated_at));
}

/* ROUTE: GET /api/v1/people (?q=&jurisdiction=&unit_id=) — audited. */
void api_org_people(Request *req, Response *resp) {
  OrgViewer v;
  OrgPerson *p = NULL;
  size_t n = 0;
  int64_t page, per, total = 0, unit = 0;
  orgw_audit(req, "person", 0, "查询干部人员名单");
  if (api_paging(req, resp, &page, &per) != 0) return;
  const char *us = params_get(&req->query, "unit_id");
  if (us && str_to_int64(us, 1, INT64_MAX, &unit) != 0) {
    web_error(req, resp, 400, "bad_parameter", "参数 unit_id 应为正整数",
              "unit_id");
    return;
  }
  OrgPersonFilter f = {params_get(&req->query, "q"),
                       params_get(&req->query, "jurisdiction"), unit};
  orgw_viewer(req, P_PEOPLE_READ, &v);
  if (org_people_list(req->db, &v, &f, per, (page - 1) * per, &p, &n, &total) !=
      DB_OK)
    return list_failed(req, resp);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++) json_array_append_new(items, person_json(&p[i]));
  org_people_free(p, n);
  api_json(resp, 200, api_page(items, total, page, per));
}

/* ROUTE: GET /api/v1/people/{id} — audited as person.read. */
void api_org_person(Request *req, Response *resp) {
  OrgViewer v;
  OrgPerson p;
  int64_t id = orgw_id(req, 0);
  orgw_viewer(req, P_PEOPLE_READ, &v);
  orgw_audit(req, "person", id, "查看干部人员 #%lld", (long long)id);
  if (org_person_get(req->db, &v, id, &p) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  api_json(resp, 200, person_json(&p));
  org_person_clear(&p);
}

static void person_write(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  OrgPerson cur = {0};
  Buf err = BUF_INIT;
  const char *field = NULL, *code, *name, *unit, *post, *rank, *mb, *note;
  int64_t out = 0;
  orgw_audit(req, "person", id, "%s干部人员", id ? "修改" : "新增");
  if (!auth_route_allowed(req, P_PEOPLE_READ)) {
    web_error(req, resp, 403, "forbidden", "您没有维护干部人员信息的权限", NULL);
    return;
  }
  orgw_viewer(req, P_ORG_EDIT, &v);
  if (jstr(req, resp, "code", &code) || jstr(req, resp, "name", &name) ||
      jstr(req, resp, "unit_code", &unit) || jstr(req, resp, "post", &post) ||
      jstr(req, resp, "rank", &rank) || jstr(req, resp, "managed_by", &mb) ||
      jstr(req, resp, "note", &note))
    return;
  if (id && org_person_get(req->db, &v, id, &cur) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  int party = cur.party_member, supv = cur.supervisory_object;
  if (jbool(req, resp, "party_member", &party) ||
      jbool(req, resp, "supervisory_object", &supv))
    goto done;
  OrgPersonIn in = {code ? code : cur.code,       name ? name : cur.name,
                    unit ? unit : cur.unit_code,  post ? post : cur.post,
                    rank ? rank : cur.rank,       mb ? mb : cur.managed_by,
                    note ? note : cur.note,       party,
                    supv};
  OrgResult r = org_person_save(req->db, &v, id, &in, &out, &err, &field);
  org_person_clear(&cur);
  req->audit_object_id = out;
  if (r != ORG_OK)
    orgw_fail(req, resp, r, &err, field);
  else if (org_person_get(req->db, &v, out, &cur) == DB_OK)
    api_json(resp, id ? 200 : 201, person_json(&cur));
  else
    list_failed(req, resp);
done:
  org_person_clear(&cur);
  buf_release(&err);
}

/* ROUTE: POST /api/v1/people */
void api_org_person_create(Request *req, Response *resp) {
  person_write(req, resp, 0);
}

/* ROUTE: PUT /api/v1/people/{id} */
void api_org_person_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) web_error(req, resp, 404, "not_found", "人员不存在", NULL);
  else person_write(req, resp, id);
}

/* ---- staff ---- */

static json_t *staff_json(Request *req, const OrgStaff *s, int detail) {
  json_t *exp = json_array();
  char **tags = NULL;
  size_t n = 0;
  org_split(s->expertise, &tags, &n);
  for (size_t i = 0; i < n; i++) json_array_append_new(exp, json_string(tags[i]));
  org_strv_free(tags, n);
  json_t *o = json_pack(
      "{s:I, s:s, s:s, s:o, s:s, s:s, s:s, s:s, s:s, s:b, s:o, s:o, s:o}", "id",
      (json_int_t)s->id, "code", s->code, "name", s->name, "office",
      ref(s->office_id, s->office_code, s->office_name), "jurisdiction_code",
      s->jurisdiction_code, "jurisdiction_name", s->jurisdiction_name, "rank",
      s->rank, "post", s->post, "note", s->note, "active", s->active,
      "expertise", exp, "created_at", api_time(s->created_at), "updated_at",
      api_time(s->updated_at));
  if (!detail) return o;
  OrgStaffPost *p = NULL;
  OrgAvail *a = NULL;
  size_t np = 0, na = 0;
  json_t *posts = json_array(), *avail = json_array();
  org_staff_posts(req->db, s->id, &p, &np);
  for (size_t i = 0; i < np; i++)
    json_array_append_new(
        posts, json_pack("{s:I, s:s, s:s, s:o, s:o, s:o}", "id",
                         (json_int_t)p[i].id, "title", p[i].title, "org_name",
                         p[i].org_name,
                         "unit", ref(p[i].unit_id, p[i].unit_code, p[i].unit_name),
                         "from_date", opt_str(p[i].from_date), "to_date",
                         opt_str(p[i].to_date)));
  org_posts_free(p, np);
  org_staff_avail(req->db, s->id, &a, &na);
  for (size_t i = 0; i < na; i++)
    json_array_append_new(
        avail, json_pack("{s:I, s:s, s:s, s:s}", "id", (json_int_t)a[i].id,
                         "from_date", a[i].from_date, "to_date", a[i].to_date,
                         "note", a[i].note));
  org_avail_free(a, na);
  json_object_set_new(o, "posts", posts);
  json_object_set_new(o, "availability", avail);
  if (auth_route_allowed(req, P_PEOPLE_READ)) { /* ties describe relatives */
    OrgStaffTie *t = NULL;
    size_t nt = 0;
    json_t *ties = json_array();
    org_staff_ties(req->db, s->id, &t, &nt);
    for (size_t i = 0; i < nt; i++)
      json_array_append_new(
          ties, json_pack("{s:I, s:o, s:s, s:s, s:o, s:o}", "id",
                          (json_int_t)t[i].id, "unit",
                          ref(t[i].unit_id, t[i].unit_code, t[i].unit_name),
                          "kind", t[i].kind, "note", t[i].note, "from_date",
                          opt_str(t[i].from_date), "to_date",
                          opt_str(t[i].to_date)));
    org_ties_free(t, nt);
    json_object_set_new(o, "ties", ties);
  }
  return o;
}

/* ROUTE: GET /api/v1/staff (?q=&jurisdiction=&expertise=&past_post=) */
void api_org_staff(Request *req, Response *resp) {
  OrgViewer v;
  OrgStaff *s = NULL;
  size_t n = 0;
  int64_t page, per, total = 0;
  if (api_paging(req, resp, &page, &per) != 0) return;
  OrgStaffFilter f = {params_get(&req->query, "q"),
                      params_get(&req->query, "jurisdiction"),
                      params_get(&req->query, "expertise"),
                      params_get(&req->query, "past_post")};
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_staff_list(req->db, &v, &f, per, (page - 1) * per, &s, &n, &total) !=
      DB_OK)
    return list_failed(req, resp);
  json_t *items = json_array();
  for (size_t i = 0; i < n; i++)
    json_array_append_new(items, staff_json(req, &s[i], 0));
  org_staff_free(s, n);
  api_json(resp, 200, api_page(items, total, page, per));
}

/* ROUTE: GET /api/v1/staff/{id} — with posts, availability and (for
** P_PEOPLE_READ) declared ties. */
void api_org_staff_one(Request *req, Response *resp) {
  OrgViewer v;
  OrgStaff s;
  orgw_viewer(req, P_ORG_READ, &v);
  if (org_staff_get(req->db, &v, orgw_id(req, 0), &s) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    return;
  }
  api_json(resp, 200, staff_json(req, &s, 1));
  org_staff_clear(&s);
}

/* The string member name of JSON object o, or "" (NULL when not a
** string or null). */
static const char *member(json_t *o, const char *name) {
  json_t *v = json_object_get(o, name);
  if (!v || json_is_null(v)) return "";
  return json_is_string(v) ? json_string_value(v) : NULL;
}

/* Replace posts, ties or availability from the body's arrays (when
** present).  ORG_OK, or a refusal with err and *field. */
static OrgResult replace_subs(Request *req, const OrgViewer *v, int64_t id,
                              Buf *err, const char **field) {
  static const char *const names[] = {"posts", "ties", "availability"};
  for (int k = 0; k < 3; k++) {
    json_t *arr = json_object_get(req->json, names[k]), *e;
    size_t i;
    if (!arr || json_is_null(arr)) continue;
    *field = names[k];
    if (!json_is_array(arr)) {
      buf_printf(err, "字段 %s 应为数组", names[k]);
      return ORG_EINVALID;
    }
    if (k == 1 && !auth_route_allowed(req, P_PEOPLE_READ)) {
      buf_puts(err, "您没有维护关联关系的权限");
      return ORG_EINVALID;
    }
    OrgStaffPost *p = NULL;
    OrgStaffTie *t = NULL;
    OrgAvail *a = NULL;
    size_t n = 0;
    if (k == 0) org_staff_posts(req->db, id, &p, &n);
    else if (k == 1) org_staff_ties(req->db, id, &t, &n);
    else org_staff_avail(req->db, id, &a, &n);
    for (size_t j = 0; j < n; j++)
      if (k == 0) org_staff_post_delete(req->db, id, p[j].id);
      else if (k == 1) org_staff_tie_delete(req->db, id, t[j].id);
      else org_staff_avail_delete(req->db, id, a[j].id);
    org_posts_free(p, k == 0 ? n : 0);
    org_ties_free(t, k == 1 ? n : 0);
    org_avail_free(a, k == 2 ? n : 0);
    json_array_foreach(arr, i, e) {
      OrgResult r;
      const char *from = json_is_object(e) ? member(e, "from_date") : NULL,
                 *to = json_is_object(e) ? member(e, "to_date") : NULL;
      if (!from || !to) {
        buf_printf(err, "字段 %s 的第 %zu 项格式不正确", names[k], i + 1);
        return ORG_EINVALID;
      }
      const char *sub_field = NULL;
      if (k == 0) {
        OrgStaffPostIn in = {member(e, "title"), member(e, "org_name"),
                             member(e, "unit_code"), from, to};
        r = in.title && in.org_name && in.unit_code
                ? org_staff_post_add(req->db, v, id, &in, err, &sub_field)
                : ORG_EINVALID;
      } else if (k == 1) {
        OrgStaffTieIn in = {member(e, "unit_code"), member(e, "kind"),
                            member(e, "note"), from, to};
        r = in.unit_code && in.kind && in.note
                ? org_staff_tie_add(req->db, v, id, &in, err, &sub_field)
                : ORG_EINVALID;
      } else {
        const char *note = member(e, "note");
        r = note ? org_staff_avail_add(req->db, id, from, to, note, err,
                                       &sub_field)
                 : ORG_EINVALID;
      }
      if (r != ORG_OK) {
        if (!err->len) buf_printf(err, "字段 %s 的第 %zu 项格式不正确", names[k], i + 1);
        return r;
      }
    }
  }
  *field = NULL;
  return ORG_OK;
}

static void staff_write(Request *req, Response *resp, int64_t id) {
  OrgViewer v;
  OrgStaff cur = {0};
  Buf err = BUF_INIT, exp = BUF_INIT;
  const char *field = NULL, *code, *name, *office, *jur, *rank, *post, *note;
  int64_t out = 0;
  orgw_viewer(req, P_ORG_EDIT, &v);
  orgw_audit(req, "staff", id, "%s力量库人员", id ? "修改" : "新增");
  int has_exp;
  if (jstr(req, resp, "code", &code) || jstr(req, resp, "name", &name) ||
      jstr(req, resp, "office_code", &office) ||
      jstr(req, resp, "jurisdiction_code", &jur) || jstr(req, resp, "rank", &rank) ||
      jstr(req, resp, "post", &post) || jstr(req, resp, "note", &note) ||
      (has_exp = jlist(req, resp, "expertise", &exp)) < 0)
    goto done;
  if (id && org_staff_get(req->db, &v, id, &cur) != DB_OK) {
    web_error(req, resp, 404, "not_found", "人员不存在", NULL);
    goto done;
  }
  int active = id ? cur.active : 1;
  if (jbool(req, resp, "active", &active)) goto done;
  OrgStaffIn in = {code ? code : cur.code,     name ? name : cur.name,
                   office ? office : cur.office_code,
                   jur ? jur : cur.jurisdiction_code,
                   rank ? rank : cur.rank,     post ? post : cur.post,
                   note ? note : cur.note,     has_exp ? buf_str(&exp) : NULL,
                   active};
  OrgResult r = org_staff_save(req->db, &v, id, &in, &out, &err, &field);
  org_staff_clear(&cur);
  req->audit_object_id = out;
  if (r == ORG_OK) r = replace_subs(req, &v, out, &err, &field);
  if (r != ORG_OK)
    orgw_fail(req, resp, r, &err, field);
  else if (org_staff_get(req->db, &v, out, &cur) == DB_OK)
    api_json(resp, id ? 200 : 201, staff_json(req, &cur, 1));
  else
    list_failed(req, resp);
done:
  org_staff_clear(&cur);
  buf_release(&err);
  buf_release(&exp);
}

/* ROUTE: POST /api/v1/staff */
void api_org_staff_create(Request *req, Response *resp) {
  staff_write(req, resp, 0);
}

/* ROUTE: PUT /api/v1/staff/{id} */
void api_org_staff_update(Request *req, Response *resp) {
  int64_t id = orgw_id(req, 0);
  if (!id) web_error(req, resp, 404, "not_found", "人员不存在", NULL);
  else staff_write(req, resp, id);
}
