/* org.h: the organisation registries (issue 4, DOMAIN.md §2): the
** jurisdiction tree (市 → 县区), offices, sector tags, the units that can
** be inspected, the people (干部) in them and the staff pool for teams.
**
** Rules kept here, for the pages, the API, the import and the demo alike:
**  - Codes: jurisdiction codes are dotted paths (auth/ntk.h); an office's
**    code starts with its jurisdiction's code and a dot ("ML.AGS"); unit,
**    person and staff codes are 1–32 of [A-Za-z0-9_.-], unique.
**  - Units form a tree inside one jurisdiction: a parent is in the same
**    jurisdiction and no unit is its own ancestor.  The 派驻组 that
**    supervises a unit is an office of kind "stationed" of the same
**    jurisdiction.
**  - Jurisdiction scope: every read and write goes through an OrgViewer
**    (the subject and its scope for the permission at hand).  Lists,
**    counts, searches and exports splice JUR_WITHIN into their SQL, so a
**    county user never receives a row of another county; a single record
**    outside the scope is "not found"; a write may only create or move a
**    record inside the scope, and references (parent unit, office) must be
**    visible to the writer.
**  - People are confidential: the pages and the API require P_PEOPLE_READ
**    and audit every read of a record ("person.read").
** Business dates are 'YYYY-MM-DD' text ("" for none: migration 0007).
*/
#ifndef JX_ORG_H
#define JX_ORG_H

#include <stdint.h>

#include "auth/ntk.h"
#include "auth/policy.h"
#include "store/store.h"
#include "util/util.h"

/* ---- results ---- */

typedef enum OrgResult {
  ORG_OK = 0,
  ORG_EINVALID = 1,  /* bad input: 400 */
  ORG_ENOTFOUND = 2, /* no such record in the caller's scope: 404 */
  ORG_ECONFLICT = 3, /* a duplicate code, a record still in use: 409 */
  ORG_EDB = 4        /* database error: 500 */
} OrgResult;

int org_http_status(OrgResult r);       /* 200 400 404 409 500 */
const char *org_result_code(OrgResult r); /* "invalid", "not_found" … */

/* ---- enumerations: stored code ↔ Chinese label ---- */

typedef struct OrgLabel {
  const char *code;
  const char *label;
} OrgLabel;

extern const OrgLabel org_office_kinds[]; /* petition 信访室 … other 其他 */
extern const size_t n_org_office_kinds;
extern const OrgLabel org_unit_levels[]; /* city 市级 … village 村（社区）级 */
extern const size_t n_org_unit_levels;
extern const OrgLabel org_jur_levels[]; /* city 市, county 县区 */
extern const size_t n_org_jur_levels;
extern const OrgLabel org_tie_kinds[]; /* relative 亲属任职 … */
extern const size_t n_org_tie_kinds;

/* The label of code in table t, or NULL when the code is unknown. */
const char *org_label(const OrgLabel *t, size_t n, const char *code);
/* The code for text, which may be a code or a label (imports take either;
** a few customary short forms are accepted: "市直" for 市级 …).  NULL when
** neither. */
const char *org_code_of(const OrgLabel *t, size_t n, const char *text);

/* ---- validation (pure) ---- */

#define ORG_CODE_MAX 32   /* bytes of a unit / person / staff code */
#define ORG_NAME_MAX 100  /* characters of a name */
#define ORG_TEXT_MAX 500  /* characters of a note */
#define ORG_SHORT_MAX 50  /* characters of a post, rank, tag … */

/* 1 when s is a registry code: 1–32 of [A-Za-z0-9_.-]. */
int org_code_valid(const char *s);
/* 1 when s is a sector tag code: 1–32 of [a-z0-9_]. */
int org_tag_code_valid(const char *s);
/* 1 when s is a real calendar date 'YYYY-MM-DD'. */
int org_date_valid(const char *s);
/* Check text for a field labelled label (Chinese): required or not, at
** most max characters, no control characters.  0, or -1 with the reason
** in err. */
int org_text_check(const char *s, int required, size_t max, const char *label,
                   Buf *err);
/* Split text at '、' ',' '，' ';' '；' and whitespace into trimmed,
** non-empty items (appended to *out, a NULL-terminated array the caller
** frees with org_strv_free). */
void org_split(const char *text, char ***out, size_t *n);
void org_strv_free(char **v, size_t n);

/* ---- the viewer ---- */

/* Who asks and over which jurisdictions (the scope of the permission the
** route required). */
typedef struct OrgViewer {
  NtkSubject who;
  Scope scope;
} OrgViewer;

/* A viewer that sees every jurisdiction: for the demo loader and the
** CLI, never for a request. */
void org_viewer_system(OrgViewer *v);
/* 1 when jurisdiction code is inside the viewer's scope. */
int org_viewer_covers(const OrgViewer *v, const char *code);

/* ---- jurisdictions ---- */

typedef struct OrgJur {
  char *code, *parent_code, *name, *level;
  char *commission_name, *inspection_office_name, *audit_office_name;
  int64_t sort_order;
  int64_t unit_count;
} OrgJur;

typedef struct OrgJurIn {
  const char *code; /* the parent is the code without its last segment */
  const char *name, *commission_name, *inspection_office_name,
      *audit_office_name;
  int64_t sort_order;
} OrgJurIn;

void org_jur_clear(OrgJur *j);
void org_jurs_free(OrgJur *j, size_t n);
/* The jurisdictions in v's scope, ordered by code (parents first). */
int org_jurs_list(Db *db, const OrgViewer *v, OrgJur **out, size_t *n);
/* One jurisdiction in v's scope: DB_OK, DB_DONE when none. */
int org_jur_get(Db *db, const OrgViewer *v, const char *code, OrgJur *out);
/* Create (create = 1) or update the names of a jurisdiction.  A new one
** is a 县区 under an existing 市 in v's scope (or a root 市 for SCOPE_ALL). */
OrgResult org_jur_save(Db *db, const OrgViewer *v, const OrgJurIn *in,
                       int create, Buf *err, const char **field);

/* ---- offices ---- */

typedef struct OrgOffice {
  int64_t id;
  char *code, *jurisdiction_code, *jurisdiction_name, *name, *kind, *note;
  jx_time created_at;
  int64_t unit_count; /* units it supervises (派驻组) */
} OrgOffice;

typedef struct OrgOfficeIn {
  const char *code, *jurisdiction_code, *name, *kind, *note;
} OrgOfficeIn;

void org_office_clear(OrgOffice *o);
void org_offices_free(OrgOffice *o, size_t n);
/* Offices in v's scope, filtered by kind and jurisdiction ("" or NULL:
** any), one page; *total (may be NULL) counts them all. */
int org_offices_list(Db *db, const OrgViewer *v, const char *kind,
                     const char *jur, int64_t limit, int64_t offset,
                     OrgOffice **out, size_t *n, int64_t *total);
int org_office_get(Db *db, const OrgViewer *v, int64_t id, OrgOffice *out);
/* An office by code in v's scope: its id (0 when none or out of scope) and
** kind into kind_out[24] (may be NULL). */
int64_t org_office_find(Db *db, const OrgViewer *v, const char *code,
                        char *jur_out, size_t jur_n, char kind_out[24]);
/* Create (id 0; *out_id receives the new id) or update office id. */
OrgResult org_office_save(Db *db, const OrgViewer *v, int64_t id,
                          const OrgOfficeIn *in, int64_t *out_id, Buf *err,
                          const char **field);

/* ---- sector tags (user-editable) ---- */

typedef struct OrgTag {
  char *code, *name;
  int64_t sort_order, unit_count;
} OrgTag;

void org_tags_free(OrgTag *t, size_t n);
int org_tags_list(Db *db, OrgTag **out, size_t *n);
/* The tag code for text (a code or a name) into out[40]; 0, or -1 when
** there is none. */
int org_tag_resolve(Db *db, const char *text, char out[40]);
OrgResult org_tag_save(Db *db, const char *code, const char *name,
                       int64_t sort_order, int create, Buf *err,
                       const char **field);
/* Delete an unused tag (ORG_ECONFLICT while units or rounds use it). */
OrgResult org_tag_delete(Db *db, const char *code, Buf *err);

/* ---- units ---- */

typedef struct OrgUnit {
  int64_t id;
  char *code, *name, *jurisdiction_code, *jurisdiction_name;
  int64_t parent_id; /* 0: top level */
  char *parent_code, *parent_name, *level;
  int64_t office_id; /* the 派驻组, 0: none */
  char *office_code, *office_name, *note;
  char *sector_codes; /* "edu,health" */
  char *sector_names; /* "教育、卫生健康" */
  jx_time created_at, updated_at;
} OrgUnit;

typedef struct OrgUnitFilter {
  const char *q;            /* name substring or exact code ("": any) */
  const char *jurisdiction; /* exact code ("": any) */
  const char *sector;       /* tag code ("": any) */
  int64_t parent_id;        /* children of (0: any) */
} OrgUnitFilter;

typedef struct OrgUnitIn {
  const char *code, *name, *jurisdiction_code, *level, *note;
  const char *parent_code;   /* "" or NULL: top level */
  const char *office_code;   /* the 派驻组, "" or NULL: none */
  const char *const *sectors; /* tag codes or names */
  size_t n_sectors;
} OrgUnitIn;

void org_unit_clear(OrgUnit *u);
void org_units_free(OrgUnit *u, size_t n);
int org_units_list(Db *db, const OrgViewer *v, const OrgUnitFilter *f,
                   int64_t limit, int64_t offset, OrgUnit **out, size_t *n,
                   int64_t *total);
int org_unit_get(Db *db, const OrgViewer *v, int64_t id, OrgUnit *out);
/* A unit by code in v's scope: its id, 0 when none or out of scope. */
int64_t org_unit_find(Db *db, const OrgViewer *v, const char *code);
/* The input's own rules (no database): 0, or -1 with err and *field. */
int org_unit_check(const OrgUnitIn *in, Buf *err, const char **field);
/* May unit id (0: a new unit) hang under parent_id in jurisdiction jur?
** The parent must be in jur and not be id or below it. */
OrgResult org_unit_tree_check(Db *db, int64_t id, int64_t parent_id,
                              const char *jur, Buf *err);
/* Create (id 0) or update a unit with its sector tags. */
OrgResult org_unit_save(Db *db, const OrgViewer *v, int64_t id,
                        const OrgUnitIn *in, int64_t *out_id, Buf *err,
                        const char **field);

/* ---- people (confidential) ---- */

typedef struct OrgPerson {
  int64_t id;
  char *code, *name;
  int64_t unit_id;
  char *unit_code, *unit_name, *jurisdiction_code;
  char *post, *rank;
  int party_member, supervisory_object;
  char *managed_by, *note;
  jx_time created_at, updated_at;
} OrgPerson;

typedef struct OrgPersonFilter {
  const char *q, *jurisdiction;
  int64_t unit_id;
} OrgPersonFilter;

typedef struct OrgPersonIn {
  const char *code, *name, *unit_code, *post, *rank, *managed_by, *note;
  int party_member, supervisory_object; /* 0/1 */
} OrgPersonIn;

void org_person_clear(OrgPerson *p);
void org_people_free(OrgPerson *p, size_t n);
int org_people_list(Db *db, const OrgViewer *v, const OrgPersonFilter *f,
                    int64_t limit, int64_t offset, OrgPerson **out, size_t *n,
                    int64_t *total);
int org_person_get(Db *db, const OrgViewer *v, int64_t id, OrgPerson *out);
int org_person_check(const OrgPersonIn *in, Buf *err, const char **field);
OrgResult org_person_save(Db *db, const OrgViewer *v, int64_t id,
                          const OrgPersonIn *in, int64_t *out_id, Buf *err,
                          const char **field);

/* ---- the staff pool ---- */

typedef struct OrgStaff {
  int64_t id;
  char *code, *name;
  int64_t office_id;
  char *office_code, *office_name, *jurisdiction_code, *jurisdiction_name;
  char *rank, *post, *note;
  int active;
  char *expertise; /* "财务、审计" */
  jx_time created_at, updated_at;
} OrgStaff;

typedef struct OrgStaffFilter {
  const char *q, *jurisdiction;
  const char *expertise; /* one tag, exact ("": any) */
  const char *past_post; /* a staff_post title, exact ("": any) */
} OrgStaffFilter;

typedef struct OrgStaffIn {
  const char *code, *name, *office_code, *jurisdiction_code, *rank, *post,
      *note;
  const char *expertise; /* tags separated by 、 or , ; NULL: unchanged */
  int active;
} OrgStaffIn;

typedef struct OrgStaffPost {
  int64_t id;
  char *title, *org_name;
  int64_t unit_id;
  char *unit_code, *unit_name, *from_date, *to_date;
} OrgStaffPost;

typedef struct OrgStaffPostIn {
  const char *title, *org_name, *unit_code, *from_date, *to_date;
} OrgStaffPostIn;

typedef struct OrgStaffTie {
  int64_t id, unit_id;
  char *unit_code, *unit_name, *kind, *note, *from_date, *to_date;
} OrgStaffTie;

typedef struct OrgStaffTieIn {
  const char *unit_code, *kind, *note, *from_date, *to_date;
} OrgStaffTieIn;

typedef struct OrgAvail {
  int64_t id;
  char *from_date, *to_date, *note;
} OrgAvail;

void org_staff_clear(OrgStaff *s);
void org_staff_free(OrgStaff *s, size_t n);
int org_staff_list(Db *db, const OrgViewer *v, const OrgStaffFilter *f,
                   int64_t limit, int64_t offset, OrgStaff **out, size_t *n,
                   int64_t *total);
int org_staff_get(Db *db, const OrgViewer *v, int64_t id, OrgStaff *out);
int org_staff_check(const OrgStaffIn *in, Buf *err, const char **field);
OrgResult org_staff_save(Db *db, const OrgViewer *v, int64_t id,
                         const OrgStaffIn *in, int64_t *out_id, Buf *err,
                         const char **field);

void org_posts_free(OrgStaffPost *p, size_t n);
void org_ties_free(OrgStaffTie *t, size_t n);
void org_avail_free(OrgAvail *a, size_t n);
int org_staff_posts(Db *db, int64_t staff_id, OrgStaffPost **out, size_t *n);
int org_staff_ties(Db *db, int64_t staff_id, OrgStaffTie **out, size_t *n);
int org_staff_avail(Db *db, int64_t staff_id, OrgAvail **out, size_t *n);
/* The sub-records of a staff member already fetched with org_staff_get
** (so inside v's scope).  A unit named by code must be visible to v. */
OrgResult org_staff_post_add(Db *db, const OrgViewer *v, int64_t staff_id,
                             const OrgStaffPostIn *in, Buf *err,
                             const char **field);
OrgResult org_staff_tie_add(Db *db, const OrgViewer *v, int64_t staff_id,
                            const OrgStaffTieIn *in, Buf *err,
                            const char **field);
OrgResult org_staff_avail_add(Db *db, int64_t staff_id, const char *from,
                              const char *to, const char *note, Buf *err,
                              const char **field);
/* Delete sub-record id of staff_id: ORG_OK or ORG_ENOTFOUND. */
OrgResult org_staff_post_delete(Db *db, int64_t staff_id, int64_t id);
OrgResult org_staff_tie_delete(Db *db, int64_t staff_id, int64_t id);
OrgResult org_staff_avail_delete(Db *db, int64_t staff_id, int64_t id);

/* ---- demo data (demo_org.c) ---- */

/* Load the fictional 明澜市 registries (called by demo_load in its
** transaction) and give the business demo accounts the city's
** jurisdiction.  0, or -1 with a Chinese reason in err. */
int demo_org_load(Db *db, Buf *err);

/* ---- internal helpers shared by org*.c ---- */

/* A column as a new string ("" for NULL); caller frees. */
char *org_col(Stmt *st, int col);
/* Bind a LIKE "contains" pattern for q (escaping % _ \) at index i. */
void org_bind_like(Stmt *st, int i, const char *q);

/* One page of a registry list, the way every list here runs: when total
** is set, count_id counts the matches; list_id fetches limit rows from
** offset.  bind fills both statements' filter parameters from position i
** and returns the next one (limit and offset follow it in list_id); row
** fills one element of elem_size bytes, zeroed first.  On DB_OK *out
** (caller frees, with the list's own free function) holds *n rows. */
typedef int (*OrgBindFilter)(Stmt *st, int i, const OrgViewer *v,
                             const void *filter);
typedef void (*OrgReadRow)(Stmt *st, void *elem);
int org_page(Db *db, StmtId count_id, StmtId list_id, OrgBindFilter bind,
             const OrgViewer *v, const void *filter, int64_t limit,
             int64_t offset, size_t elem_size, OrgReadRow row, void **out,
             size_t *n, int64_t *total);
/* "" for NULL. */
static inline const char *org_s(const char *s) { return s ? s : ""; }

#endif
