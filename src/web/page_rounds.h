/* page_rounds.h: helpers shared by the rounds, teams and training pages
** (page_rounds.c, page_teams.c, page_training.c).
**
** Every record is fetched through its jurisdiction fence (JUR_WITHIN on
** the round's or the session's code, at the user's scope for the route's
** permission): outside it the record does not exist (404).
*/
#ifndef JX_PAGE_ROUNDS_H
#define JX_PAGE_ROUNDS_H

#include <jansson.h>

#include "auth/ntk.h"
#include "auth/policy.h"
#include "domain/rounds.h"
#include "domain/staffing.h"
#include "domain/training.h"
#include "web/http.h"

#define RW_PER_PAGE 50

/* A positive id from text: 0, or -1. */
int rw_id(const char *s, int64_t *out);
/* Path argument i as an id: 0, or -1. */
int rw_arg_id(Request *req, int i, int64_t *out);
/* The page number of ?page= (1 when absent or malformed). */
int64_t rw_page(Request *req);
/* Previous/next links for an HTML list (base_query "" or "k=v&"). */
void rw_pager(Response *resp, const char *path, const char *base_query,
              int64_t page, int64_t total);

/* The subject and its scope for perm. */
Scope rw_who(Request *req, Perm perm, NtkSubject *who);

/* Fetch one record through the fence for perm: DB_OK, DB_DONE (absent or
** outside the fence), or a DB_E* code.  Release with the type's clear. */
int rw_round_get(Request *req, Perm perm, int64_t id, Round *out);
int rw_team_get(Request *req, Perm perm, int64_t id, Team *out);
int rw_sreq_get(Request *req, Perm perm, int64_t id, StaffingRequest *out);
int rw_override_get(Request *req, Perm perm, int64_t id, AvoidOverride *out);

/* Drop what a refused handler wrote, keeping a transaction open, so the
** page re-rendered with the error shows the state as it stands. */
void rw_discard(Request *req);

/* The JSON error for a refused operation (code from r). */
void rw_json_error(Request *req, Response *resp, RoundResult r,
                   const Buf *err, const char *field);
/* The JSON body of a 回避 refusal: the error shape plus "avoid": the
** rules and facts. */
void rw_json_avoid(Request *req, Response *resp, const Buf *err,
                   const AvoidHit *h, size_t n);
/* An optional string member of the JSON body: 0 with *out (NULL when
** absent or null), or -1 after rendering a 400. */
int rw_opt_string(Request *req, Response *resp, const char *field,
                  const char **out);
/* An integer member (or its decimal string form): 0, or -1 after a 400
** naming the field. */
int rw_json_id(Request *req, Response *resp, const char *field, int64_t *out);

/* "2025-03-03 至 2025-05-30", "2025-03-03 起" or "未定" into out. */
void rw_period(Buf *out, const char *from, const char *to);
/* "2026-01-05 16:30" (北京时间), "—" for 0, into out[24]. */
const char *rw_time(jx_time t, char out[24]);

/* Sub-navigation of the rounds pages, by what the user may do. */
void rw_tabs(Request *req, Response *resp);

/* ---- shared by page_teams.c and page_teams_api.c ---- */

/* Append the staff member's name ("#id" when unknown). */
void rw_staff_name(Db *db, int64_t id, Buf *out);
/* Audit object and summary prefix for a change to team t. */
void rw_note_team(Request *req, const Team *t);
/* Audit object and summary of an exception request. */
void rw_note_override(Request *req, const Team *t, int64_t id, int64_t sid,
                      const char *verb);
/* Ask the 领导小组 for an exception for staff_id on team t (qid: the
** staffing request, 0 for none; its position is the default). */
RoundResult rw_request_override(Request *req, const Team *t, int64_t sid,
                                const char *pos, int64_t qid,
                                const char *reason, int64_t *id, Buf *err);
/* Decide the exception of path argument 0, with its audit record. */
RoundResult rw_decide_override(Request *req, int approve, const char *note,
                               Buf *err);

/* A JSON string, or null for NULL / "". */
json_t *rw_opt_text(const char *s);
/* JSON of one round (without units), team, request, override. */
json_t *rw_round_json(const Round *r);
json_t *rw_team_json(const Team *t);
json_t *rw_sreq_json(const StaffingRequest *q);
json_t *rw_override_json(const AvoidOverride *o);

#endif
