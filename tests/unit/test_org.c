/* test_org.c: the organisation registries (domain/org*.c) on SQLite and
** PostgreSQL: input rules, the unit tree, jurisdiction scoping of every
** list and single record, sector tags, the staff sub-records, and the
** import (CSV in UTF-8 with and without BOM and in GBK, XLSX written here
** with libxlsxwriter in both string modes) — all or nothing, with its
** error list for malformed files, wrong encodings, duplicates and unknown
** references.  The fixture is the demo city (demo_org.c). */
#include "unit.h"

#include <iconv.h>
#include <xlsxwriter.h>

#include "domain/org.h"
#include "domain/org_import.h"

#define T0 1795860660 /* 2026-11-28T10:11:00Z */

typedef struct Fx {
  char *dir, *loc;
  Db *db;
} Fx;

static Fx *fx_open(int pg) {
  Fx *fx = xcalloc(1, sizeof *fx);
  Buf err = BUF_INIT;
  int applied = 0;
  fx->dir = unit_tmpdir();
  fx->loc = pg ? unit_pg_fresh_url() : xasprintf("%s/test.db", fx->dir);
  if (db_open(fx->loc, &fx->db, &err) != 0)
    fail_msg("db_open %s: %s", fx->loc, buf_str(&err));
  if (db_migrate(fx->db, &applied, &err) != DB_OK)
    fail_msg("migrate: %s", buf_str(&err));
  clock_set(T0);
  assert_int_equal(db_begin(fx->db), DB_OK);
  if (demo_org_load(fx->db, &err) != 0) fail_msg("demo: %s", buf_str(&err));
  assert_int_equal(db_commit(fx->db), DB_OK);
  buf_release(&err);
  return fx;
}

UNIT_FIXTURE(Fx, fx_open)

/* A viewer rooted at jur ("" for none) with scope. */
static OrgViewer viewer(const char *jur, Scope scope) {
  OrgViewer v;
  memset(&v, 0, sizeof v);
  v.who.user_id = 42;
  v.who.now = T0;
  str_copy(v.who.jurisdiction_code, jur, sizeof v.who.jurisdiction_code);
  v.scope = scope;
  return v;
}

static int64_t count_units(Db *db, const OrgViewer *v, const char *jur) {
  OrgUnit *u = NULL;
  size_t n = 0;
  int64_t total = -1;
  OrgUnitFilter f = {.jurisdiction = jur};
  assert_int_equal(org_units_list(db, v, &f, 1, 0, &u, &n, &total), DB_OK);
  org_units_free(u, n);
  return total;
}

/* ---- pure rules ---- */

static void test_validation(void **state) {
  (void)state;
  Buf err = BUF_INIT;
  assert_true(org_code_valid("BL-EDU-S01"));
  assert_true(org_code_valid("a.b_c"));
  assert_false(org_code_valid(""));
  assert_false(org_code_valid("单位"));
  assert_false(org_code_valid("a b"));
  assert_false(org_code_valid("A23456789012345678901234567890123"));
  assert_true(org_tag_code_valid("edu_2"));
  assert_false(org_tag_code_valid("Edu"));
  assert_true(org_date_valid("2024-02-29"));
  assert_false(org_date_valid("2023-02-29"));
  assert_false(org_date_valid("2100-02-29"));
  assert_true(org_date_valid("2000-02-29"));
  assert_false(org_date_valid("2024-13-01"));
  assert_false(org_date_valid("2024-1-01"));
  assert_int_equal(org_text_check("", 1, 5, "名称", &err), -1);
  assert_string_equal(buf_str(&err), "名称不能为空");
  buf_clear(&err);
  assert_int_equal(org_text_check("一二三四五", 1, 5, "名称", &err), 0);
  assert_int_equal(org_text_check("一二三四五六", 1, 5, "名称", &err), -1);
  buf_clear(&err);
  assert_int_equal(org_text_check("a\nb", 0, 5, "名称", &err), -1);
  assert_non_null(strstr(buf_str(&err), "换行"));
  buf_release(&err);

  char **v = NULL;
  size_t n = 0;
  org_split(" 教育、卫生健康,医保；；住建 ", &v, &n);
  assert_int_equal(n, 4);
  assert_string_equal(v[0], "教育");
  assert_string_equal(v[1], "卫生健康");
  assert_string_equal(v[3], "住建");
  org_strv_free(v, n);

  assert_string_equal(org_code_of(org_unit_levels, n_org_unit_levels, "县区级"),
                      "county");
  assert_string_equal(org_code_of(org_unit_levels, n_org_unit_levels, "乡镇"),
                      "township");
  assert_string_equal(org_code_of(org_office_kinds, n_org_office_kinds, "派驻组"),
                      "stationed");
  assert_null(org_code_of(org_unit_levels, n_org_unit_levels, "省级"));

  const char *field;
  Buf e2 = BUF_INIT;
  OrgUnitIn in = {.code = "X-1", .name = "单位", .jurisdiction_code = "ML",
                  .level = "city", .parent_code = "X-1"};
  assert_int_equal(org_unit_check(&in, &e2, &field), -1);
  assert_string_equal(field, "parent_code");
  in.parent_code = "";
  in.level = "province";
  buf_clear(&e2);
  assert_int_equal(org_unit_check(&in, &e2, &field), -1);
  assert_string_equal(field, "level");
  buf_release(&e2);

  char d[11];
  assert_int_equal(sheet_serial_date(45658, 0, d), 0);
  assert_string_equal(d, "2025-01-01");
  assert_int_equal(sheet_serial_date(1, 0, d), 0);
  assert_string_equal(d, "1900-01-01");
  assert_int_equal(sheet_serial_date(61, 0, d), 0);
  assert_string_equal(d, "1900-03-01");
  assert_int_equal(sheet_serial_date(0, 1, d), -1);
  assert_int_equal(sheet_serial_date(44196, 1, d), 0);
  assert_string_equal(d, "2025-01-01");
}

/* ---- the unit tree ---- */

static OrgResult save_unit(Fx *fx, const OrgViewer *v, int64_t id,
                           const char *code, const char *jur,
                           const char *parent, const char *office,
                           int64_t *out, Buf *err) {
  const char *field;
  const char *sectors[] = {"教育"};
  OrgUnitIn in = {.code = code, .name = "测试单位", .jurisdiction_code = jur,
                  .level = "county", .parent_code = parent,
                  .office_code = office, .sectors = sectors, .n_sectors = 1};
  buf_clear(err);
  return org_unit_save(fx->db, v, id, &in, out, err, &field);
}

static void test_tree(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer v = viewer("ML", SCOPE_JURISDICTION);
  Buf err = BUF_INIT;
  int64_t a = 0, b = 0, c = 0;
  assert_int_equal(save_unit(fx, &v, 0, "T-A", "ML.BL", "", "", &a, &err), ORG_OK);
  assert_int_equal(save_unit(fx, &v, 0, "T-B", "ML.BL", "T-A", "", &b, &err),
                   ORG_OK);
  assert_int_equal(save_unit(fx, &v, 0, "T-C", "ML.BL", "T-B", "", &c, &err),
                   ORG_OK);
  /* A under C would close the loop A → B → C → A. */
  assert_int_equal(save_unit(fx, &v, a, "T-A", "ML.BL", "T-C", "", NULL, &err),
                   ORG_EINVALID);
  assert_non_null(strstr(buf_str(&err), "循环"));
  assert_int_equal(save_unit(fx, &v, a, "T-A", "ML.BL", "T-A", "", NULL, &err),
                   ORG_EINVALID);
  /* Parents stay in the unit's jurisdiction. */
  assert_int_equal(save_unit(fx, &v, 0, "T-D", "ML.ND", "T-A", "", NULL, &err),
                   ORG_EINVALID);
  assert_non_null(strstr(buf_str(&err), "同一辖区"));
  /* A unit with children cannot move to another jurisdiction. */
  assert_int_equal(save_unit(fx, &v, b, "T-B", "ML.ND", "", "", NULL, &err),
                   ORG_EINVALID);
  assert_non_null(strstr(buf_str(&err), "下级单位"));
  /* A leaf may move (and loses its parent). */
  assert_int_equal(save_unit(fx, &v, c, "T-C", "ML.ND", "", "", NULL, &err),
                   ORG_OK);
  /* The 派驻组: a stationed office of the same jurisdiction. */
  assert_int_equal(
      save_unit(fx, &v, 0, "T-E", "ML.BL", "", "ML.BL.PZ1", NULL, &err), ORG_OK);
  assert_int_equal(
      save_unit(fx, &v, 0, "T-F", "ML.BL", "", "ML.BL.AGS", NULL, &err),
      ORG_EINVALID);
  assert_non_null(strstr(buf_str(&err), "不是派驻"));
  assert_int_equal(
      save_unit(fx, &v, 0, "T-G", "ML.BL", "", "ML.ND.PZ1", NULL, &err),
      ORG_EINVALID);
  /* Duplicate codes and unknown references. */
  assert_int_equal(save_unit(fx, &v, 0, "T-A", "ML.BL", "", "", NULL, &err),
                   ORG_ECONFLICT);
  assert_int_equal(save_unit(fx, &v, 0, "T-H", "ML.XX", "", "", NULL, &err),
                   ORG_EINVALID);
  assert_int_equal(save_unit(fx, &v, 0, "T-H", "ML.BL", "NO-SUCH", "", NULL, &err),
                   ORG_EINVALID);
  assert_non_null(strstr(buf_str(&err), "不存在"));
  /* A chain deeper than any real hierarchy is refused as such. */
  char code[16], parent[16] = "T-C";
  OrgResult deep = ORG_OK;
  for (int i = 0; i < 70 && deep == ORG_OK; i++) {
    snprintf(code, sizeof code, "T-Z%d", i);
    deep = save_unit(fx, &v, 0, code, "ML.ND", parent, "", NULL, &err);
    str_copy(parent, code, sizeof parent);
  }
  assert_int_equal(deep, ORG_EINVALID);
  assert_non_null(strstr(buf_str(&err), "层级过深"));
  /* The record as stored. */
  OrgUnit u;
  assert_int_equal(org_unit_get(fx->db, &v, b, &u), DB_OK);
  assert_string_equal(u.parent_code, "T-A");
  assert_string_equal(u.sector_names, "教育");
  org_unit_clear(&u);
  buf_release(&err);
}

/* ---- jurisdiction scoping ---- */

static void test_scoping(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION),
            bl = viewer("ML.BL", SCOPE_JURISDICTION),
            nd = viewer("ML.ND", SCOPE_JURISDICTION),
            all = viewer("", SCOPE_ALL), none = viewer("", SCOPE_JURISDICTION),
            nothing = viewer("ML", SCOPE_NONE);
  int64_t n_bl = count_units(fx->db, &city, "ML.BL");
  int64_t n_nd = count_units(fx->db, &city, "ML.ND");
  int64_t n_all = count_units(fx->db, &city, NULL);
  assert_true(n_bl > 20 && n_nd > 20 && n_all >= 140);
  assert_int_equal(count_units(fx->db, &all, NULL), n_all);
  assert_int_equal(count_units(fx->db, &bl, NULL), n_bl);
  assert_int_equal(count_units(fx->db, &bl, "ML.ND"), 0);
  assert_int_equal(count_units(fx->db, &nd, NULL), n_nd);
  assert_int_equal(count_units(fx->db, &none, NULL), 0);
  assert_int_equal(count_units(fx->db, &nothing, NULL), 0);

  /* Every row a county user gets is the county's. */
  OrgUnit *u = NULL;
  size_t n = 0;
  assert_int_equal(org_units_list(fx->db, &bl, NULL, 1000, 0, &u, &n, NULL),
                   DB_OK);
  assert_int_equal((int64_t)n, n_bl);
  int64_t nd_unit = 0;
  for (size_t i = 0; i < n; i++)
    assert_string_equal(u[i].jurisdiction_code, "ML.BL");
  org_units_free(u, n);
  nd_unit = org_unit_find(fx->db, NULL, "ND-EDU");
  assert_true(nd_unit > 0);
  OrgUnit one;
  assert_int_equal(org_unit_get(fx->db, &bl, nd_unit, &one), DB_DONE);
  assert_int_equal(org_unit_get(fx->db, &city, nd_unit, &one), DB_OK);
  org_unit_clear(&one);
  assert_int_equal(org_unit_find(fx->db, &bl, "ND-EDU"), 0);

  /* People, staff, offices and jurisdictions likewise. */
  OrgPerson *p = NULL;
  int64_t total = 0;
  assert_int_equal(org_people_list(fx->db, &bl, NULL, 1000, 0, &p, &n, &total),
                   DB_OK);
  assert_true(total > 0 && (int64_t)n == total);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(p[i].jurisdiction_code, "ML.BL");
  int64_t bl_person = p[0].id;
  org_people_free(p, n);
  OrgPerson pp;
  assert_int_equal(org_person_get(fx->db, &nd, bl_person, &pp), DB_DONE);
  assert_int_equal(org_person_get(fx->db, &bl, bl_person, &pp), DB_OK);
  org_person_clear(&pp);
  OrgStaff *s = NULL;
  assert_int_equal(org_staff_list(fx->db, &nd, NULL, 1000, 0, &s, &n, &total),
                   DB_OK);
  assert_int_equal(total, 10);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(s[i].jurisdiction_code, "ML.ND");
  org_staff_free(s, n);
  assert_int_equal(org_staff_list(fx->db, &city, NULL, 1000, 0, &s, &n, &total),
                   DB_OK);
  assert_int_equal(total, 40);
  org_staff_free(s, n);
  OrgOffice *o = NULL;
  assert_int_equal(
      org_offices_list(fx->db, &bl, NULL, NULL, 1000, 0, &o, &n, &total), DB_OK);
  for (size_t i = 0; i < n; i++)
    assert_string_equal(o[i].jurisdiction_code, "ML.BL");
  org_offices_free(o, n);
  OrgJur *j = NULL;
  assert_int_equal(org_jurs_list(fx->db, &bl, &j, &n), DB_OK);
  assert_int_equal(n, 1);
  assert_string_equal(j[0].code, "ML.BL");
  org_jurs_free(j, n);
  assert_int_equal(org_jurs_list(fx->db, &city, &j, &n), DB_OK);
  assert_int_equal(n, 3);
  org_jurs_free(j, n);

  /* Writes stay inside the scope: no unit in another county, no parent
   * or office from there. */
  Buf err = BUF_INIT;
  assert_int_equal(save_unit(fx, &bl, 0, "S-1", "ML.ND", "", "", NULL, &err),
                   ORG_EINVALID);
  assert_int_equal(save_unit(fx, &bl, nd_unit, "ND-EDU", "ML.ND", "", "", NULL,
                             &err),
                   ORG_ENOTFOUND);
  assert_int_equal(save_unit(fx, &bl, 0, "S-2", "ML.BL", "", "", NULL, &err),
                   ORG_OK);
  OrgJurIn jin = {"ML.XS", "西山区", "", "", "", 0};
  const char *field;
  buf_clear(&err);
  assert_int_equal(org_jur_save(fx->db, &bl, &jin, 1, &err, &field),
                   ORG_EINVALID);
  buf_clear(&err);
  assert_int_equal(org_jur_save(fx->db, &city, &jin, 1, &err, &field), ORG_OK);
  OrgJurIn deep = {"ML.XS.A", "某乡", "", "", "", 0};
  buf_clear(&err);
  assert_int_equal(org_jur_save(fx->db, &city, &deep, 1, &err, &field),
                   ORG_EINVALID);
  buf_release(&err);
}

/* ---- search ---- */

static void test_search(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgUnit *u = NULL;
  size_t n = 0;
  int64_t total = 0;
  OrgUnitFilter f = {.q = "人民医院"};
  assert_int_equal(org_units_list(fx->db, &city, &f, 100, 0, &u, &n, &total),
                   DB_OK);
  assert_int_equal(total, 4); /* 市人民医院, 市第二人民医院, two county ones */
  org_units_free(u, n);
  f = (OrgUnitFilter){.q = "%"};
  assert_int_equal(org_units_list(fx->db, &city, &f, 100, 0, &u, &n, &total),
                   DB_OK);
  assert_int_equal(total, 0); /* a literal %, not a wildcard */
  org_units_free(u, n);
  f = (OrgUnitFilter){.q = "BL-EDU"};
  assert_int_equal(org_units_list(fx->db, &city, &f, 100, 0, &u, &n, &total),
                   DB_OK);
  assert_int_equal(total, 1); /* exact code */
  org_units_free(u, n);
  f = (OrgUnitFilter){.sector = "medins", .jurisdiction = "ML"};
  assert_int_equal(org_units_list(fx->db, &city, &f, 100, 0, &u, &n, &total),
                   DB_OK);
  assert_int_equal(total, 3);
  for (size_t i = 0; i < n; i++)
    assert_non_null(strstr(u[i].sector_codes, "medins"));
  org_units_free(u, n);
  OrgStaff *s = NULL;
  OrgStaffFilter sf = {.past_post = "县区纪委常务副书记"};
  assert_int_equal(org_staff_list(fx->db, &city, &sf, 100, 0, &s, &n, &total),
                   DB_OK);
  assert_int_equal(total, 5);
  org_staff_free(s, n);
  sf = (OrgStaffFilter){.expertise = "财务"};
  assert_int_equal(org_staff_list(fx->db, &city, &sf, 100, 0, &s, &n, &total),
                   DB_OK);
  assert_true(total > 0);
  for (size_t i = 0; i < n; i++) assert_non_null(strstr(s[i].expertise, "财务"));
  org_staff_free(s, n);
}

/* ---- tags and staff sub-records ---- */

static void test_tags_and_staff(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  Buf err = BUF_INIT;
  const char *field;
  assert_int_equal(org_tag_save(fx->db, "food", "校园餐", 5, 1, &err, &field),
                   ORG_OK);
  assert_int_equal(org_tag_save(fx->db, "food2", "校园餐", 5, 1, &err, &field),
                   ORG_ECONFLICT);
  assert_int_equal(org_tag_save(fx->db, "Food", "x", 5, 1, &err, &field),
                   ORG_EINVALID);
  buf_clear(&err);
  assert_int_equal(org_tag_delete(fx->db, "edu", &err), ORG_ECONFLICT);
  assert_int_equal(org_tag_delete(fx->db, "food", &err), ORG_OK);
  assert_int_equal(org_tag_delete(fx->db, "food", &err), ORG_ENOTFOUND);

  OrgStaffIn in = {.code = "T-S1", .name = "测试员", .jurisdiction_code = "ML",
                   .office_code = "ML.JJ1", .expertise = "财务、工程、财务",
                   .active = 1};
  int64_t id = 0;
  assert_int_equal(org_staff_save(fx->db, &city, 0, &in, &id, &err, &field),
                   ORG_OK);
  OrgStaff s;
  assert_int_equal(org_staff_get(fx->db, &city, id, &s), DB_OK);
  assert_string_equal(s.expertise, "工程、财务");
  org_staff_clear(&s);
  OrgStaffPostIn post = {"县区纪委常务副书记", "北岭县纪委监委", "BL-EDU",
                         "2018-01-01", "2020-12-31"};
  assert_int_equal(org_staff_post_add(fx->db, &city, id, &post, &err, &field),
                   ORG_OK);
  post.from_date = "2021-01-01";
  buf_clear(&err);
  assert_int_equal(org_staff_post_add(fx->db, &city, id, &post, &err, &field),
                   ORG_EINVALID);
  assert_string_equal(field, "to_date");
  OrgStaffTieIn tie = {"NO-SUCH", "relative", "", "", ""};
  assert_int_equal(org_staff_tie_add(fx->db, &city, id, &tie, &err, &field),
                   ORG_EINVALID);
  tie.unit_code = "BL-HEALTH-H01";
  tie.kind = "cousin";
  assert_int_equal(org_staff_tie_add(fx->db, &city, id, &tie, &err, &field),
                   ORG_EINVALID);
  tie.kind = "relative";
  assert_int_equal(org_staff_tie_add(fx->db, &city, id, &tie, &err, &field),
                   ORG_OK);
  assert_int_equal(org_staff_avail_add(fx->db, id, "2027-02-30", "2027-03-01",
                                       "", &err, &field),
                   ORG_EINVALID);
  assert_int_equal(org_staff_avail_add(fx->db, id, "2027-01-01", "2027-03-01",
                                       "", &err, &field),
                   ORG_OK);
  OrgStaffPost *p = NULL;
  OrgStaffTie *t = NULL;
  size_t np = 0, nt = 0;
  assert_int_equal(org_staff_posts(fx->db, id, &p, &np), DB_OK);
  assert_int_equal(np, 1);
  assert_string_equal(p[0].unit_code, "BL-EDU");
  assert_int_equal(org_staff_post_delete(fx->db, id + 1000, p[0].id),
                   ORG_ENOTFOUND);
  assert_int_equal(org_staff_post_delete(fx->db, id, p[0].id), ORG_OK);
  org_posts_free(p, np);
  assert_int_equal(org_staff_ties(fx->db, id, &t, &nt), DB_OK);
  assert_int_equal(nt, 1);
  org_ties_free(t, nt);
  buf_release(&err);
}

/* ---- import ---- */

static int import(Fx *fx, const OrgViewer *v, OrgImportKind k, const char *data,
                  size_t len, int commit, OrgImportReport *rep) {
  return org_import_run(fx->db, v, k, data, len, commit, rep);
}

/* Is there a problem at row with column col whose reason contains what? */
static int has_error(const OrgImportReport *r, int64_t row, const char *col,
                     const char *what) {
  for (size_t i = 0; i < r->n_errors; i++)
    if (r->errors[i].row == row && str_eq(r->errors[i].column, col) &&
        strstr(r->errors[i].reason, what))
      return 1;
  return 0;
}

static void dump(const OrgImportReport *r) {
  for (size_t i = 0; i < r->n_errors; i++)
    print_message("  row %lld [%s] %s\n", (long long)r->errors[i].row,
                  r->errors[i].column, r->errors[i].reason);
}

static const char units_ok[] =
    "\xEF\xBB\xBF单位编码,单位名称,所属辖区编码,上级单位编码,层级,领域标签,派驻组编码,备注\r\n"
    "IMP-2,北岭县测试小学,ML.BL,IMP-1,乡镇级,教育,,\r\n"
    "IMP-1,北岭县测试学区,ML.BL,BL-EDU,县区级,\"教育、民政\",ML.BL.PZ1,\"备注，含逗号\"\r\n"
    "IMP-3,南渡区测试医院,ML.ND,,县区级,卫生健康,ML.ND.PZ2,\r\n";

static void test_import_units(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  int64_t before = count_units(fx->db, &city, NULL);
  /* The preview writes nothing. */
  assert_int_equal(import(fx, &city, IMPORT_UNIT, units_ok, sizeof units_ok - 1,
                          0, &rep),
                   0);
  assert_int_equal(rep.rows, 3);
  assert_string_equal(rep.encoding, "UTF-8（带 BOM）");
  org_import_report_free(&rep);
  assert_int_equal(count_units(fx->db, &city, NULL), before);
  /* The import writes all three; a parent listed after its child is fine. */
  assert_int_equal(db_begin(fx->db), DB_OK);
  int rc = import(fx, &city, IMPORT_UNIT, units_ok, sizeof units_ok - 1, 1, &rep);
  if (rc) dump(&rep);
  assert_int_equal(rc, 0);
  assert_int_equal(rep.imported, 3);
  org_import_report_free(&rep);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(count_units(fx->db, &city, NULL), before + 3);
  OrgUnit u;
  assert_int_equal(
      org_unit_get(fx->db, &city, org_unit_find(fx->db, NULL, "IMP-2"), &u),
      DB_OK);
  assert_string_equal(u.parent_code, "IMP-1");
  assert_string_equal(u.level, "township");
  org_unit_clear(&u);
  assert_int_equal(
      org_unit_get(fx->db, &city, org_unit_find(fx->db, NULL, "IMP-1"), &u),
      DB_OK);
  assert_string_equal(u.note, "备注，含逗号");
  assert_string_equal(u.sector_codes, "edu,civil");
  assert_string_equal(u.office_code, "ML.BL.PZ1");
  org_unit_clear(&u);
  /* The same file again: every code is now a duplicate of the database. */
  assert_int_equal(import(fx, &city, IMPORT_UNIT, units_ok, sizeof units_ok - 1,
                          1, &rep),
                   1);
  assert_int_equal(rep.bad_rows, 3);
  assert_true(has_error(&rep, 2, "单位编码", "已存在"));
  org_import_report_free(&rep);
}

static const char units_bad[] =
    "单位编码,单位名称,所属辖区编码,上级单位编码,层级,领域标签,派驻组编码\n"
    "B-1,好单位,ML.BL,,县区级,教育,\n"            /* 2: fine */
    "B-1,重复单位,ML.BL,,县区级,,\n"              /* 3: duplicate in file */
    "BL-EDU,已有单位,ML.BL,,县区级,,\n"          /* 4: duplicate of the db */
    "B-4,无辖区,ML.XX,,县区级,,\n"               /* 5: unknown jurisdiction */
    "B-5,无上级,ML.BL,NO-SUCH,县区级,,\n"        /* 6: unknown parent */
    "B-6,无标签,ML.BL,,县区级,教育、殡葬,\n"      /* 7: unknown tag */
    "B-7,层级错,ML.BL,,省级,,\n"                 /* 8: bad level */
    "B-8,环一,ML.BL,B-9,县区级,,\n"              /* 9: loop */
    "B-9,环二,ML.BL,B-8,县区级,,\n"              /* 10: loop */
    "B-10,跨辖区,ML.ND,B-1,县区级,,\n"           /* 11: parent elsewhere */
    "B-11,派驻组错,ML.BL,,县区级,,ML.BL.AGS\n"   /* 12: not stationed */
    ",无编码,ML.BL,,县区级,,\n"                  /* 13: no code */
    "B 13,,ML.BL,,县区级,,\n";                   /* 14: bad code, no name */

static void test_import_errors(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  int64_t before = count_units(fx->db, &city, NULL);
  assert_int_equal(db_begin(fx->db), DB_OK);
  assert_int_equal(import(fx, &city, IMPORT_UNIT, units_bad,
                          sizeof units_bad - 1, 1, &rep),
                   1);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(rep.rows, 13);
  assert_int_equal(rep.imported, 0);
  assert_int_equal(rep.bad_rows, 12); /* all but row 2 */
  assert_true(has_error(&rep, 3, "单位编码", "与第 2 行"));
  assert_true(has_error(&rep, 4, "单位编码", "已存在"));
  assert_true(has_error(&rep, 5, "所属辖区编码", "ML.XX"));
  assert_true(has_error(&rep, 6, "上级单位编码", "NO-SUCH"));
  assert_true(has_error(&rep, 7, "领域标签", "殡葬"));
  assert_true(has_error(&rep, 8, "层级", "省级"));
  assert_true(has_error(&rep, 9, "上级单位编码", "循环"));
  assert_true(has_error(&rep, 10, "上级单位编码", "循环"));
  assert_true(has_error(&rep, 11, "上级单位编码", "同一辖区"));
  assert_true(has_error(&rep, 12, "派驻组编码", "不是派驻"));
  assert_true(has_error(&rep, 13, "单位编码", "不能为空"));
  assert_true(has_error(&rep, 14, "单位编码", "格式不正确"));
  assert_true(has_error(&rep, 14, "单位名称", "不能为空"));
  for (size_t i = 0; i < rep.n_errors; i++) assert_true(rep.errors[i].row != 2);
  org_import_report_free(&rep);
  /* Nothing of it, not even the good row, was written. */
  assert_int_equal(count_units(fx->db, &city, NULL), before);
  assert_int_equal(org_unit_find(fx->db, NULL, "B-1"), 0);

  /* A county user's file naming the other county's codes: unknown. */
  OrgViewer bl = viewer("ML.BL", SCOPE_JURISDICTION);
  static const char cross[] =
      "单位编码,单位名称,所属辖区编码,上级单位编码,层级\n"
      "C-1,甲,ML.ND,,县区级\n"
      "C-2,乙,ML.BL,ND-EDU,县区级\n";
  assert_int_equal(import(fx, &bl, IMPORT_UNIT, cross, sizeof cross - 1, 0, &rep),
                   1);
  assert_true(has_error(&rep, 2, "所属辖区编码", "不存在"));
  assert_true(has_error(&rep, 3, "上级单位编码", "不存在"));
  org_import_report_free(&rep);
}

/* Whole-file refusals: each has one problem at row 0 (or the header). */
static void test_import_malformed(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  static const struct {
    const char *data;
    size_t len;
    const char *what;
  } cases[] = {
      {"", 0, "文件为空"},
      {"\xFF\xFE\x41\x00", 4, "UTF-16"},
      {"单位编码,单位名称\n\"未闭合,x\n", 0, "引号未闭合"},
      {"PK\x03\x04garbage-not-a-zip", 21, "不是有效的 XLSX"},
      {"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1", 8, ".xls"},
      {"单位编码,单位名称,所属辖区编码,层级\n", 0, "没有数据"},
      {"编码,名称\nA,B\n", 0, "缺少必填列“单位编码”"},
      {"a,b\x00,c\n", 7, "空字节"},
      /* Neither UTF-8 nor GB18030: 0xFF is not a lead byte in either. */
      {"单位编码,单位名称\n\xFF\xFF,\xFF\n", 0, "GB18030"},
      {"\xEF\xBB\xBF单位编码\n\xC3\x28\n", 0, "UTF-8"},
      /* Found by fuzz_sheet: once made the bad-offset search loop. */
      {"\xEF\xBB\xBFu\"\"\xBF\xBB\xE0\xE0)a\n", 0, "第 7 字节"},
  };
  for (size_t i = 0; i < JX_COUNT(cases); i++) {
    size_t len = cases[i].len ? cases[i].len : strlen(cases[i].data);
    int rc = import(fx, &city, IMPORT_UNIT, cases[i].data, len, 1, &rep);
    if (rc != 1 || rep.n_errors < 1 || !strstr(rep.errors[0].reason, cases[i].what)) {
      dump(&rep);
      fail_msg("case %zu: want \"%s\"", i, cases[i].what);
    }
    assert_int_equal(rep.imported, 0);
    org_import_report_free(&rep);
  }
  /* The encoding message names both encodings tried. */
  static const char bad[] = "单位编码\n\xFF\n";
  import(fx, &city, IMPORT_UNIT, bad, sizeof bad - 1, 0, &rep);
  assert_non_null(strstr(rep.errors[0].reason, "UTF-8"));
  assert_non_null(strstr(rep.errors[0].reason, "GB18030"));
  org_import_report_free(&rep);
}

/* UTF-8 text converted to GBK, for a file as Excel writes it in China. */
static char *to_gbk(const char *utf8, size_t *len) {
  iconv_t cd = iconv_open("GBK", "UTF-8");
  assert_true(cd != (iconv_t)-1);
  size_t in_left = strlen(utf8), out_left = in_left * 2 + 16;
  char *out = xmalloc(out_left), *o = out, *in = (char *)utf8;
  assert_true(iconv(cd, &in, &in_left, &o, &out_left) != (size_t)-1);
  iconv_close(cd);
  *len = (size_t)(o - out);
  return out;
}

static void test_import_gbk(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  size_t len;
  char *gbk = to_gbk("人员编号,姓名,所在单位编码,职务,职级,是否党员,是否监察对象,干部管理权限\r\n"
                     "G-1,甄测一,BL-EDU,局长,正科级,是,是,县委管理\r\n"
                     "G-2,甄测二,BL-EDU-S01,校长,,否,是,\r\n",
                     &len);
  assert_false(utf8_valid(gbk, len));
  assert_int_equal(db_begin(fx->db), DB_OK);
  int rc = import(fx, &city, IMPORT_PERSON, gbk, len, 1, &rep);
  if (rc) dump(&rep);
  assert_int_equal(rc, 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_string_equal(rep.encoding, "GB18030（GBK）");
  assert_int_equal(rep.imported, 2);
  org_import_report_free(&rep);
  OrgPerson *p = NULL;
  size_t n = 0;
  OrgPersonFilter f = {.q = "甄测"};
  assert_int_equal(org_people_list(fx->db, &city, &f, 10, 0, &p, &n, NULL), DB_OK);
  assert_int_equal(n, 2);
  assert_string_equal(p[0].name, "甄测一");
  assert_string_equal(p[0].managed_by, "县委管理");
  assert_true(p[0].party_member);
  assert_false(p[1].party_member);
  assert_true(p[1].supervisory_object);
  org_people_free(p, n);
  free(gbk);

  /* People: bad yes/no and an unknown unit are listed; nothing written. */
  static const char bad[] =
      "人员编号,姓名,所在单位编码,是否党员\n"
      "G-3,甄测三,BL-EDU,也许\n"
      "G-4,甄测四,NO-UNIT,是\n"
      "G-1,甄测一,BL-EDU,是\n";
  assert_int_equal(import(fx, &city, IMPORT_PERSON, bad, sizeof bad - 1, 1, &rep),
                   1);
  assert_true(has_error(&rep, 2, "是否党员", "也许"));
  assert_true(has_error(&rep, 3, "所在单位编码", "NO-UNIT"));
  assert_true(has_error(&rep, 4, "人员编号", "已存在"));
  org_import_report_free(&rep);
}

/* Write an XLSX of staff rows with libxlsxwriter (constant_memory: inline
** strings; otherwise shared strings), numbers and date cells.  Caller
** frees; *len receives the size. */
static char *staff_xlsx(const char *dir, int constant_memory, size_t *len) {
  char *path = xasprintf("%s/staff%d.xlsx", dir, constant_memory);
  lxw_workbook_options opt = {.constant_memory = constant_memory ? LXW_TRUE : LXW_FALSE,
                              .tmpdir = (char *)dir};
  lxw_workbook *wb = workbook_new_opt(path, &opt);
  assert_non_null(wb);
  lxw_worksheet *ws = workbook_add_worksheet(wb, "力量库");
  lxw_format *date = workbook_add_format(wb);
  format_set_num_format(date, "yyyy-mm-dd");
  const char *head[] = {"人员编号", "姓名", "所属辖区编码", "部门编码", "职级",
                        "现任职务", "专长", "可派出起始日期", "可派出截止日期",
                        "无关列"};
  for (int c = 0; c < 10; c++) worksheet_write_string(ws, 0, (lxw_col_t)c, head[c], NULL);
  /* Row 2: the code is a number cell; dates are date cells. */
  worksheet_write_number(ws, 1, 0, 9001, NULL);
  worksheet_write_string(ws, 1, 1, "柯测甲", NULL);
  worksheet_write_string(ws, 1, 2, "ML.BL", NULL);
  worksheet_write_string(ws, 1, 3, "ML.BL.JJ1", NULL);
  worksheet_write_string(ws, 1, 6, "财务、审计", NULL);
  lxw_datetime d1 = {2027, 3, 1, 0, 0, 0}, d2 = {2027, 9, 30, 0, 0, 0};
  worksheet_write_datetime(ws, 1, 7, &d1, date);
  worksheet_write_datetime(ws, 1, 8, &d2, date);
  worksheet_write_string(ws, 1, 9, "忽略", NULL);
  /* Row 3 is empty (skipped); row 4 has text dates. */
  worksheet_write_string(ws, 3, 0, "X-9002", NULL);
  worksheet_write_string(ws, 3, 1, "柯测乙", NULL);
  worksheet_write_string(ws, 3, 2, "ML", NULL);
  worksheet_write_string(ws, 3, 7, "2027/1/5", NULL);
  worksheet_write_string(ws, 3, 8, "2027年2月5日", NULL);
  assert_int_equal(workbook_close(wb), LXW_NO_ERROR);
  FILE *f = fopen(path, "rb");
  assert_non_null(f);
  Buf b = BUF_INIT;
  char chunk[4096];
  size_t got;
  while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, got);
  fclose(f);
  free(path);
  *len = b.len;
  return buf_detach(&b);
}

static void test_import_xlsx(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  for (int cm = 0; cm < 2; cm++) {
    size_t len;
    char *x = staff_xlsx(fx->dir, cm, &len);
    Sheet sh;
    Buf err = BUF_INIT;
    assert_int_equal(sheet_read(x, len, &sh, &err), 0);
    assert_string_equal(sh.format, "xlsx");
    assert_int_equal(sh.n, 3); /* header, row 2, row 4 */
    assert_int_equal(sh.rows[2].number, 4);
    assert_string_equal(sh.rows[1].cells[0], "9001");
    assert_string_equal(sh.rows[1].cells[1], "柯测甲");
    assert_string_equal(sh.rows[1].cells[7], "2027-03-01");
    sheet_free(&sh);
    buf_release(&err);
    if (cm == 0) {
      assert_int_equal(db_begin(fx->db), DB_OK);
      int rc = import(fx, &city, IMPORT_STAFF, x, len, 1, &rep);
      if (rc) dump(&rep);
      assert_int_equal(rc, 0);
      assert_int_equal(db_commit(fx->db), DB_OK);
      assert_int_equal(rep.imported, 2);
      assert_string_equal(rep.ignored_columns, "无关列");
      org_import_report_free(&rep);
    } else { /* the same people again: duplicates of the database */
      assert_int_equal(import(fx, &city, IMPORT_STAFF, x, len, 1, &rep), 1);
      assert_true(has_error(&rep, 2, "人员编号", "已存在"));
      assert_true(has_error(&rep, 4, "人员编号", "已存在"));
      org_import_report_free(&rep);
    }
    free(x);
  }
  OrgStaff *s = NULL;
  size_t n = 0;
  OrgStaffFilter f = {.q = "9001"};
  assert_int_equal(org_staff_list(fx->db, &city, &f, 10, 0, &s, &n, NULL), DB_OK);
  assert_int_equal(n, 1);
  assert_string_equal(s[0].office_code, "ML.BL.JJ1");
  assert_string_equal(s[0].expertise, "审计、财务");
  OrgAvail *a = NULL;
  size_t na = 0;
  assert_int_equal(org_staff_avail(fx->db, s[0].id, &a, &na), DB_OK);
  assert_int_equal(na, 1);
  assert_string_equal(a[0].from_date, "2027-03-01");
  assert_string_equal(a[0].to_date, "2027-09-30");
  org_avail_free(a, na);
  org_staff_free(s, n);
  f.q = "X-9002";
  assert_int_equal(org_staff_list(fx->db, &city, &f, 10, 0, &s, &n, NULL), DB_OK);
  assert_int_equal(n, 1);
  assert_int_equal(org_staff_avail(fx->db, s[0].id, &a, &na), DB_OK);
  assert_string_equal(a[0].from_date, "2027-01-05");
  assert_string_equal(a[0].to_date, "2027-02-05");
  org_avail_free(a, na);
  org_staff_free(s, n);

  /* Staff rows with bad dates and an unknown office. */
  static const char bad[] =
      "人员编号,姓名,所属辖区编码,部门编码,可派出起始日期,可派出截止日期\n"
      "Y-1,甲,ML,ML.NOPE,2027-01-01,2026-01-01\n"
      "Y-2,乙,ML,,2027-02-30,\n";
  assert_int_equal(import(fx, &city, IMPORT_STAFF, bad, sizeof bad - 1, 0, &rep),
                   1);
  assert_true(has_error(&rep, 2, "部门编码", "ML.NOPE"));
  assert_true(has_error(&rep, 2, "可派出截止日期", "早于"));
  assert_true(has_error(&rep, 3, "可派出起始日期", "2027-02-30"));
  org_import_report_free(&rep);
}

/* A CSV of many rows imports in one go (and quickly enough to run here). */
static void test_import_large(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  Buf csv = BUF_INIT;
  buf_puts(&csv, "单位编码,单位名称,所属辖区编码,上级单位编码,层级\n");
  for (int i = 0; i < 2000; i++)
    buf_printf(&csv, "L-%d,批量单位%d,ML.ND,%s,村级\n", i, i,
               i ? "L-0" : "ND-TN01");
  assert_int_equal(db_begin(fx->db), DB_OK);
  int rc = import(fx, &city, IMPORT_UNIT, buf_str(&csv), csv.len, 1, &rep);
  if (rc) dump(&rep);
  assert_int_equal(rc, 0);
  assert_int_equal(db_commit(fx->db), DB_OK);
  assert_int_equal(rep.imported, 2000);
  org_import_report_free(&rep);
  OrgUnitFilter f = {.parent_id = org_unit_find(fx->db, NULL, "L-0")};
  OrgUnit *u = NULL;
  size_t n = 0;
  int64_t total = 0;
  assert_int_equal(org_units_list(fx->db, &city, &f, 1, 0, &u, &n, &total), DB_OK);
  assert_int_equal(total, 1999);
  org_units_free(u, n);
  buf_release(&csv);
}

/* Checking in chunks: each chunk checks only its rows, duplicates and
** parents are found across chunks, and loops are judged with the last
** chunk; the chunks' problems together are the whole file's. */
static void test_import_chunks(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  OrgImportReport rep;
  Buf csv = BUF_INIT;
  buf_puts(&csv, "单位编码,单位名称,所属辖区编码,上级单位编码,层级\n");
  for (int i = 0; i < 25; i++) /* rows 2..26; C-24's parent is in chunk 1 */
    buf_printf(&csv, "C-%d,分批单位%d,ML.ND,%s,村级\n", i, i,
               i == 24 ? "C-0" : "");
  buf_puts(&csv, "C-3,重复,ML.ND,,村级\n"); /* row 27: duplicate of row 5 */
  buf_puts(&csv, "C-90,环一,ML.ND,C-91,村级\n" /* rows 28, 29: a loop */
                 "C-91,环二,ML.ND,C-90,村级\n");
  int64_t from = 0, bad = 0;
  size_t n_errors = 0, chunks = 0;
  do {
    int rc = org_import_check(fx->db, &city, IMPORT_UNIT, buf_str(&csv),
                              csv.len, from, 10, &rep);
    assert_int_equal(rep.rows, 28);
    assert_true(rep.checked > from);
    assert_true(rep.checked <= from + 10);
    if (rep.checked < 28) { /* chunks 1 and 2 are clean */
      assert_int_equal(rc, 0);
      assert_int_equal(rep.n_errors, 0);
    } else {
      assert_int_equal(rc, 1);
      assert_true(has_error(&rep, 27, "单位编码", "与第 5 行"));
      assert_true(has_error(&rep, 28, "上级单位编码", "循环"));
      assert_true(has_error(&rep, 29, "上级单位编码", "循环"));
    }
    from = rep.checked;
    bad += rep.bad_rows;
    n_errors += rep.n_errors;
    chunks++;
    org_import_report_free(&rep);
  } while (from < 28);
  assert_int_equal(chunks, 3);
  assert_int_equal(bad, 3);
  /* The same as checking the file in one go. */
  assert_int_equal(import(fx, &city, IMPORT_UNIT, buf_str(&csv), csv.len, 0,
                          &rep),
                   1);
  assert_int_equal(rep.checked, 28);
  assert_int_equal(rep.n_errors, n_errors);
  assert_int_equal(rep.bad_rows, bad);
  org_import_report_free(&rep);
  /* A bad header ends checking at once, whatever the chunk. */
  assert_int_equal(org_import_check(fx->db, &city, IMPORT_UNIT,
                                    "单位编码\nX-1\nX-2\nX-3\n", 25, 0, 1,
                                    &rep),
                   1);
  assert_int_equal(rep.checked, rep.rows);
  org_import_report_free(&rep);
  buf_release(&csv);
}

/* The samples in docs/import/ stay valid against the demo data (the
** tests run from the repository root). */
static void test_import_samples(void **state) {
  Fx *fx = fx_get(state);
  OrgViewer city = viewer("ML", SCOPE_JURISDICTION);
  static const struct {
    const char *file;
    OrgImportKind kind;
    int64_t rows;
  } samples[] = {{"docs/import/units.csv", IMPORT_UNIT, 4},
                 {"docs/import/units-gbk.csv", IMPORT_UNIT, 4},
                 {"docs/import/people.csv", IMPORT_PERSON, 2},
                 {"docs/import/staff.csv", IMPORT_STAFF, 2}};
  for (size_t i = 0; i < JX_COUNT(samples); i++) {
    FILE *f = fopen(samples[i].file, "rb");
    if (!f) fail_msg("cannot open %s (run from the repository root)", samples[i].file);
    Buf b = BUF_INIT;
    char chunk[4096];
    size_t got;
    while ((got = fread(chunk, 1, sizeof chunk, f)) > 0) buf_append(&b, chunk, got);
    fclose(f);
    OrgImportReport rep;
    int rc = import(fx, &city, samples[i].kind, buf_str(&b), b.len, 0, &rep);
    if (rc) dump(&rep);
    assert_int_equal(rc, 0);
    assert_int_equal(rep.rows, samples[i].rows);
    org_import_report_free(&rep);
    buf_release(&b);
  }
}

#define BOTH(fn)                                               \
  cmocka_unit_test_setup_teardown(fn, setup_sqlite, teardown), \
      cmocka_unit_test_setup_teardown(fn, setup_pg, teardown)

int main(void) {
  const struct CMUnitTest tests[] = {
      cmocka_unit_test(test_validation),
      BOTH(test_tree),
      BOTH(test_scoping),
      BOTH(test_search),
      BOTH(test_tags_and_staff),
      BOTH(test_import_units),
      BOTH(test_import_errors),
      BOTH(test_import_malformed),
      BOTH(test_import_gbk),
      BOTH(test_import_xlsx),
      BOTH(test_import_large),
      BOTH(test_import_chunks),
      BOTH(test_import_samples),
  };
  return cmocka_run_group_tests(tests, NULL, NULL);
}
