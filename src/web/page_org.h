/* page_org.h: helpers shared by the organisation pages and API
** (page_org.c, page_org_people.c, page_org_api.c, page_org_import.c). */
#ifndef JX_PAGE_ORG_H
#define JX_PAGE_ORG_H

#include "domain/org.h"
#include "web/http.h"

#define ORGW_PER_PAGE 50

/* The viewer of this request for permission perm (its scope). */
void orgw_viewer(Request *req, Perm perm, OrgViewer *v);
/* Sub-navigation of the organisation pages; active is the tab's key. */
void orgw_tabs(Request *req, Response *resp, const char *active);
/* ?page= (1 when absent or malformed). */
int64_t orgw_page(Request *req);
/* The {i}-th path segment as a positive id, 0 when it is not one. */
int64_t orgw_id(Request *req, int i);
/* Previous/next links; query is "" or URL-safe "a=b&" pairs. */
void orgw_pager(Response *resp, const char *path, const char *query,
                int64_t page, int64_t total);
/* Render a refused OrgResult in the route's mode (HTML page or JSON). */
void orgw_fail(Request *req, Response *resp, OrgResult r, const Buf *err,
               const char *field);
/* <select name=…> of a code/label table; empty adds a "—" choice. */
void orgw_label_select(Response *resp, const char *name, const OrgLabel *t,
                       size_t n, const char *selected, const char *empty);
/* <select> of the jurisdictions v may see. */
void orgw_jur_select(Request *req, Response *resp, const OrgViewer *v,
                     const char *name, const char *selected,
                     const char *empty);
/* "2026-01-05 16:30" (北京时间) or "—". */
const char *orgw_time(jx_time t, char out[24]);
/* Set the audit object and a one-line summary of this request. */
void orgw_audit(Request *req, const char *type, int64_t id, const char *fmt,
                ...) JX_FMT(4, 5);
/* A form value, trimmed of surrounding ASCII spaces into a new string
** (caller frees); "" when absent. */
char *orgw_param(Request *req, const char *name);

#endif
