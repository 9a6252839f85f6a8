/* org_unit.c: the units that can be inspected (with their tree and sector
** tags) and the people registry (see org.h). */
#include "domain/org.h"

#include <stdlib.h>

#define TREE_DEPTH_MAX 64 /* deeper than any real hierarchy: a cycle guard */

/* ---- units ---- */

void org_unit_clear(OrgUnit *u) {
  if (!u) return;
  free(u->code);
  free(u->name);
  free(u->jurisdiction_code);
  free(u->jurisdiction_name);
  free(u->parent_code);
  free(u->parent_name);
  free(u->level);
  free(u->office_code);
  free(u->office_name);
  free(u->note);
  free(u->sector_codes);
  free(u->sector_names);
  memset(u, 0, sizeof *u);
}

void org_units_free(OrgUnit *u, size_t n) {
  for (size_t i = 0; u && i < n; i++) org_unit_clear(&u[i]);
  free(u);
}

static void unit_row(Stmt *st, OrgUnit *u) {
  u->id = db_column_int64(st, 0);
  u->code = org_col(st, 1);
  u->name = org_col(st, 2);
  u->jurisdiction_code = org_col(st, 3);
  u->jurisdiction_name = org_col(st, 4);
  u->parent_id = db_column_int64(st, 5);
  u->parent_code = org_col(st, 6);
  u->parent_name = org_col(st, 7);
  u->level = org_col(st, 8);
  u->office_id = db_column_int64(st, 9);
  u->office_code = org_col(st, 10);
  u->office_name = org_col(st, 11);
  u->note = org_col(st, 12);
  u->created_at = db_column_int64(st, 13);
  u->updated_at = db_column_int64(st, 14);
}

/* Fill u's sector_codes / sector_names. */
static int unit_sectors(Db *db, OrgUnit *u) {
  Buf codes = BUF_INIT, names = BUF_INIT;
  Stmt *st = db_stmt(db, STMT_ORG_UNIT_SECTORS);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, u->id);
  int rc;
  while ((rc = db_step(st)) == DB_ROW) {
    if (codes.len) {
      buf_putc(&codes, ',');
      buf_puts(&names, "、");
    }
    buf_puts(&codes, org_s(db_column_text(st, 0)));
    buf_puts(&names, org_s(db_column_text(st, 1)));
  }
  db_reset(st);
  free(u->sector_codes);
  free(u->sector_names);
  u->sector_codes = xstrdup(buf_str(&codes));
  u->sector_names = xstrdup(buf_str(&names));
  buf_release(&codes);
  buf_release(&names);
  return rc == DB_DONE ? DB_OK : rc;
}

static int unit_filter(Stmt *st, int i, const OrgViewer *v, const void *arg) {
  const OrgUnitFilter *f = arg;
  i = ntk_bind_jur(st, i, &v->who, v->scope);
  db_bind_text(st, i++, org_s(f->q));
  org_bind_like(st, i++, f->q);
  db_bind_text(st, i++, org_s(f->q));
  db_bind_text(st, i++, org_s(f->jurisdiction));
  db_bind_text(st, i++, org_s(f->jurisdiction));
  db_bind_text(st, i++, org_s(f->sector));
  db_bind_text(st, i++, org_s(f->sector));
  db_bind_int64(st, i++, f->parent_id);
  db_bind_int64(st, i++, f->parent_id);
  return i;
}

static void unit_elem(Stmt *st, void *elem) { unit_row(st, elem); }

int org_units_list(Db *db, const OrgViewer *v, const OrgUnitFilter *f,
                   int64_t limit, int64_t offset, OrgUnit **out, size_t *n,
                   int64_t *total) {
  static const OrgUnitFilter none = {0};
  int rc = org_page(db, STMT_ORG_UNIT_COUNT, STMT_ORG_UNIT_LIST, unit_filter,
                    v, f ? f : &none, limit, offset, sizeof **out, unit_elem,
                    (void **)out, n, total);
  for (size_t k = 0; rc == DB_OK && k < *n; k++)
    rc = unit_sectors(db, &(*out)[k]);
  return rc;
}

int org_unit_get(Db *db, const OrgViewer *v, int64_t id, OrgUnit *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_ORG_UNIT_GET);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  ntk_bind_jur(st, 2, &v->who, v->scope);
  int rc = db_step(st);
  if (rc == DB_ROW) unit_row(st, out);
  db_reset(st);
  if (rc != DB_ROW) return rc;
  return unit_sectors(db, out);
}

int64_t org_unit_find(Db *db, const OrgViewer *v, const char *code) {
  Stmt *st = db_stmt(db, STMT_ORG_UNIT_BY_CODE);
  if (!st || !code || !*code) return 0;
  db_bind_text(st, 1, code);
  int64_t id = 0;
  if (db_step(st) == DB_ROW &&
      (!v || org_viewer_covers(v, org_s(db_column_text(st, 1)))))
    id = db_column_int64(st, 0);
  db_reset(st);
  return id;
}

int org_unit_check(const OrgUnitIn *in, Buf *err, const char **field) {
  *field = NULL;
  if (!org_code_valid(in->code)) {
    buf_puts(err, "单位编码须为 1–32 位字母、数字或 _ . -");
    *field = "code";
  } else if (org_text_check(in->name, 1, ORG_NAME_MAX, "单位名称", err)) {
    *field = "name";
  } else if (!ntk_jur_code_valid(in->jurisdiction_code)) {
    buf_puts(err, "所属辖区编码不正确");
    *field = "jurisdiction_code";
  } else if (!org_label(org_unit_levels, n_org_unit_levels, in->level)) {
    buf_puts(err, "层级应为市级、县区级、乡镇（街道）级或村（社区）级");
    *field = "level";
  } else if (in->parent_code && *in->parent_code &&
             !org_code_valid(in->parent_code)) {
    buf_puts(err, "上级单位编码格式不正确");
    *field = "parent_code";
  } else if (in->parent_code && str_eq(in->parent_code, in->code)) {
    buf_puts(err, "上级单位不能是本单位");
    *field = "parent_code";
  } else if (org_text_check(in->note, 0, ORG_TEXT_MAX, "备注", err)) {
    *field = "note";
  } else if (in->n_sectors > 20) {
    buf_puts(err, "领域标签最多 20 个");
    *field = "sectors";
  }
  return *field ? -1 : 0;
}

OrgResult org_unit_tree_check(Db *db, int64_t id, int64_t parent_id,
                              const char *jur, Buf *err) {
  if (!parent_id) return ORG_OK;
  Stmt *st = db_stmt(db, STMT_ORG_UNIT_PARENT);
  if (!st) return ORG_EDB;
  int64_t at = parent_id;
  for (int depth = 0; at; depth++) {
    if (at == id) {
      buf_puts(err, "上级单位不能是本单位或其下级单位（会形成循环）");
      return ORG_EINVALID;
    }
    if (depth >= TREE_DEPTH_MAX) {
      buf_printf(err, "单位层级过深（超过 %d 级）", TREE_DEPTH_MAX);
      return ORG_EINVALID;
    }
    db_bind_int64(st, 1, at);
    int rc = db_step(st);
    if (rc != DB_ROW) {
      db_reset(st);
      buf_puts(err, "上级单位不存在");
      return rc == DB_DONE ? ORG_EINVALID : ORG_EDB;
    }
    if (at == parent_id && !str_eq(db_column_text(st, 1), jur)) {
      db_reset(st);
      buf_puts(err, "上级单位须与本单位属于同一辖区");
      return ORG_EINVALID;
    }
    at = db_column_int64(st, 0);
    db_reset(st);
  }
  return ORG_OK;
}

/* Replace unit id's sector tags with in's (codes or names). */
static OrgResult set_sectors(Db *db, int64_t id, const OrgUnitIn *in, Buf *err,
                             const char **field) {
  Stmt *st = db_stmt(db, STMT_ORG_UNIT_SECTOR_CLEAR);
  if (!st) return ORG_EDB;
  db_bind_int64(st, 1, id);
  int rc = db_step(st);
  db_reset(st);
  if (rc != DB_DONE) return ORG_EDB;
  for (size_t k = 0; k < in->n_sectors; k++) {
    char code[40];
    if (org_tag_resolve(db, in->sectors[k], code) != 0) {
      buf_printf(err, "领域标签“%s”不存在", in->sectors[k]);
      *field = "sectors";
      return ORG_EINVALID;
    }
    st = db_stmt(db, STMT_ORG_UNIT_SECTOR_ADD);
    if (!st) return ORG_EDB;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, code);
    rc = db_step(st);
    db_reset(st);
    if (rc != DB_DONE) return ORG_EDB;
  }
  return ORG_OK;
}

OrgResult org_unit_save(Db *db, const OrgViewer *v, int64_t id,
                        const OrgUnitIn *in, int64_t *out_id, Buf *err,
                        const char **field) {
  OrgUnit cur = {0};
  OrgJur jur = {0};
  OrgResult r = ORG_EINVALID;
  if (id && org_unit_get(db, v, id, &cur) != DB_OK) {
    buf_puts(err, "单位不存在");
    return ORG_ENOTFOUND;
  }
  if (org_unit_check(in, err, field) != 0) goto done;
  if (org_jur_get(db, v, in->jurisdiction_code, &jur) != DB_OK) {
    buf_printf(err, "所属辖区 %s 不存在", in->jurisdiction_code);
    *field = "jurisdiction_code";
    goto done;
  }
  int64_t other = org_unit_find(db, NULL, in->code);
  if (other && other != id) {
    buf_printf(err, "单位编码 %s 已存在", in->code);
    *field = "code";
    r = ORG_ECONFLICT;
    goto done;
  }
  int64_t parent = 0, office = 0;
  if (in->parent_code && *in->parent_code) {
    parent = org_unit_find(db, v, in->parent_code);
    if (!parent) {
      buf_printf(err, "上级单位 %s 不存在", in->parent_code);
      *field = "parent_code";
      goto done;
    }
  }
  if ((r = org_unit_tree_check(db, id, parent, in->jurisdiction_code, err)) !=
      ORG_OK) {
    *field = "parent_code";
    goto done;
  }
  r = ORG_EINVALID;
  if (id && !str_eq(cur.jurisdiction_code, in->jurisdiction_code)) {
    Stmt *st = db_stmt(db, STMT_ORG_UNIT_CHILD_OTHER_JUR);
    if (!st) goto db_fail;
    db_bind_int64(st, 1, id);
    db_bind_text(st, 2, in->jurisdiction_code);
    int64_t kids = db_step(st) == DB_ROW ? db_column_int64(st, 0) : -1;
    db_reset(st);
    if (kids != 0) {
      buf_puts(err, "该单位有下级单位，不能改变所属辖区");
      *field = "jurisdiction_code";
      goto done;
    }
  }
  if (in->office_code && *in->office_code) {
    char ojur[64], kind[24];
    office = org_office_find(db, v, in->office_code, ojur, sizeof ojur, kind);
    if (!office) {
      buf_printf(err, "派驻组 %s 不存在", in->office_code);
      *field = "office_code";
      goto done;
    }
    if (!str_eq(kind, "stationed")) {
      buf_printf(err, "部门 %s 不是派驻纪检监察组", in->office_code);
      *field = "office_code";
      goto done;
    }
    if (!str_eq(ojur, in->jurisdiction_code)) {
      buf_puts(err, "派驻组须与单位属于同一辖区");
      *field = "office_code";
      goto done;
    }
  }
  Stmt *st = db_stmt(db, id ? STMT_ORG_UNIT_UPDATE : STMT_ORG_UNIT_INSERT);
  if (!st) goto db_fail;
  jx_time now = jx_now();
  int i = 1;
  db_bind_text(st, i++, in->code);
  db_bind_text(st, i++, in->name);
  db_bind_text(st, i++, in->jurisdiction_code);
  if (parent) db_bind_int64(st, i++, parent);
  else db_bind_null(st, i++);
  db_bind_text(st, i++, in->level);
  if (office) db_bind_int64(st, i++, office);
  else db_bind_null(st, i++);
  db_bind_text(st, i++, org_s(in->note));
  if (!id) db_bind_int64(st, i++, now);
  db_bind_int64(st, i++, now);
  if (id) db_bind_int64(st, i++, id);
  int rc = db_step(st);
  int64_t new_id = id;
  if (!id && rc == DB_ROW) {
    new_id = db_column_int64(st, 0);
    rc = DB_DONE;
  }
  db_reset(st);
  if (rc != DB_DONE) {
    r = rc == DB_ECONSTRAINT ? ORG_ECONFLICT : ORG_EDB;
    buf_puts(err, rc == DB_ECONSTRAINT ? "单位编码与已有记录冲突"
                                       : "保存失败，请稍后重试");
    goto done;
  }
  if ((r = set_sectors(db, new_id, in, err, field)) != ORG_OK) goto done;
  if (out_id) *out_id = new_id;
  r = ORG_OK;
  goto done;
db_fail:
  buf_puts(err, "保存失败，请稍后重试");
  r = ORG_EDB;
done:
  org_unit_clear(&cur);
  org_jur_clear(&jur);
  return r;
}

/* ---- people ---- */

void org_person_clear(OrgPerson *p) {
  if (!p) return;
  free(p->code);
  free(p->name);
  free(p->unit_code);
  free(p->unit_name);
  free(p->jurisdiction_code);
  free(p->post);
  free(p->rank);
  free(p->managed_by);
  free(p->note);
  memset(p, 0, sizeof *p);
}

void org_people_free(OrgPerson *p, size_t n) {
  for (size_t i = 0; p && i < n; i++) org_person_clear(&p[i]);
  free(p);
}

static void person_row(Stmt *st, OrgPerson *p) {
  p->id = db_column_int64(st, 0);
  p->code = org_col(st, 1);
  p->name = org_col(st, 2);
  p->unit_id = db_column_int64(st, 3);
  p->unit_code = org_col(st, 4);
  p->unit_name = org_col(st, 5);
  p->jurisdiction_code = org_col(st, 6);
  p->post = org_col(st, 7);
  p->rank = org_col(st, 8);
  p->party_member = db_column_int64(st, 9) != 0;
  p->supervisory_object = db_column_int64(st, 10) != 0;
  p->managed_by = org_col(st, 11);
  p->note = org_col(st, 12);
  p->created_at = db_column_int64(st, 13);
  p->updated_at = db_column_int64(st, 14);
}

static int person_filter(Stmt *st, int i, const OrgViewer *v, const void *arg) {
  const OrgPersonFilter *f = arg;
  i = ntk_bind_jur(st, i, &v->who, v->scope);
  db_bind_text(st, i++, org_s(f->q));
  org_bind_like(st, i++, f->q);
  db_bind_text(st, i++, org_s(f->q));
  db_bind_text(st, i++, org_s(f->jurisdiction));
  db_bind_text(st, i++, org_s(f->jurisdiction));
  db_bind_int64(st, i++, f->unit_id);
  db_bind_int64(st, i++, f->unit_id);
  return i;
}

static void person_elem(Stmt *st, void *elem) { person_row(st, elem); }

int org_people_list(Db *db, const OrgViewer *v, const OrgPersonFilter *f,
                    int64_t limit, int64_t offset, OrgPerson **out, size_t *n,
                    int64_t *total) {
  static const OrgPersonFilter none = {0};
  return org_page(db, STMT_ORG_PERSON_COUNT, STMT_ORG_PERSON_LIST,
                  person_filter, v, f ? f : &none, limit, offset, sizeof **out,
                  person_elem, (void **)out, n, total);
}

int org_person_get(Db *db, const OrgViewer *v, int64_t id, OrgPerson *out) {
  memset(out, 0, sizeof *out);
  Stmt *st = db_stmt(db, STMT_ORG_PERSON_GET);
  if (!st) return DB_EERROR;
  db_bind_int64(st, 1, id);
  ntk_bind_jur(st, 2, &v->who, v->scope);
  int rc = db_step(st);
  if (rc == DB_ROW) person_row(st, out);
  db_reset(st);
  return rc == DB_ROW ? DB_OK : rc;
}

int org_person_check(const OrgPersonIn *in, Buf *err, const char **field) {
  *field = NULL;
  if (!org_code_valid(in->code)) {
    buf_puts(err, "人员编号须为 1–32 位字母、数字或 _ . -");
    *field = "code";
  } else if (org_text_check(in->name, 1, ORG_SHORT_MAX, "姓名", err)) {
    *field = "name";
  } else if (!org_code_valid(in->unit_code)) {
    buf_puts(err, "所在单位编码不能为空且须为字母、数字或 _ . -");
    *field = "unit_code";
  } else if (org_text_check(in->post, 0, ORG_NAME_MAX, "职务", err)) {
    *field = "post";
  } else if (org_text_check(in->rank, 0, ORG_SHORT_MAX, "职级", err)) {
    *field = "rank";
  } else if (org_text_check(in->managed_by, 0, ORG_SHORT_MAX, "干部管理权限",
                            err)) {
    *field = "managed_by";
  } else if (org_text_check(in->note, 0, ORG_TEXT_MAX, "备注", err)) {
    *field = "note";
  } else if ((in->party_member != 0 && in->party_member != 1) ||
             (in->supervisory_object != 0 && in->supervisory_object != 1)) {
    buf_puts(err, "是否党员、是否监察对象应为“是”或“否”");
    *field = "party_member";
  }
  return *field ? -1 : 0;
}

OrgResult org_person_save(Db *db, const OrgViewer *v, int64_t id,
                          const OrgPersonIn *in, int64_t *out_id, Buf *err,
                          const char **field) {
  OrgPerson cur = {0};
  if (id) {
    int rc = org_person_get(db, v, id, &cur);
    org_person_clear(&cur);
    if (rc != DB_OK) {
      buf_puts(err, "人员不存在");
      return ORG_ENOTFOUND;
    }
  }
  if (org_person_check(in, err, field) != 0) return ORG_EINVALID;
  int64_t unit = org_unit_find(db, v, in->unit_code);
  if (!unit) {
    buf_printf(err, "所在单位 %s 不存在", in->unit_code);
    *field = "unit_code";
    return ORG_EINVALID;
  }
  Stmt *st = db_stmt(db, STMT_ORG_PERSON_BY_CODE);
  if (!st) return ORG_EDB;
  db_bind_text(st, 1, in->code);
  int64_t other = db_step(st) == DB_ROW ? db_column_int64(st, 0) : 0;
  db_reset(st);
  if (other && other != id) {
    buf_printf(err, "人员编号 %s 已存在", in->code);
    *field = "code";
    return ORG_ECONFLICT;
  }
  st = db_stmt(db, id ? STMT_ORG_PERSON_UPDATE : STMT_ORG_PERSON_INSERT);
  if (!st) return ORG_EDB;
  jx_time now = jx_now();
  int i = 1;
  db_bind_text(st, i++, in->code);
  db_bind_text(st, i++, in->name);
  db_bind_int64(st, i++, unit);
  db_bind_text(st, i++, org_s(in->post));
  db_bind_text(st, i++, org_s(in->rank));
  db_bind_int64(st, i++, in->party_member);
  db_bind_int64(st, i++, in->supervisory_object);
  db_bind_text(st, i++, org_s(in->managed_by));
  db_bind_text(st, i++, org_s(in->note));
  if (!id) db_bind_int64(st, i++, now);
  db_bind_int64(st, i++, now);
  if (id) db_bind_int64(st, i++, id);
  int rc = db_step(st);
  int64_t new_id = id;
  if (!id && rc == DB_ROW) {
    new_id = db_column_int64(st, 0);
    rc = DB_DONE;
  }
  db_reset(st);
  if (rc != DB_DONE) {
    buf_puts(err, rc == DB_ECONSTRAINT ? "人员编号与已有记录冲突"
                                       : "保存失败，请稍后重试");
    return rc == DB_ECONSTRAINT ? ORG_ECONFLICT : ORG_EDB;
  }
  if (out_id) *out_id = new_id;
  return ORG_OK;
}
