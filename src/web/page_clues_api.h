/* page_clues_api.h: helpers shared by the two files of the clue JSON API
** (page_clues_api.c: the ledger, records, actions, history, access list;
** page_clues_api_due.c: feedback, 督办 notices, the inbox, deadlines). */
#ifndef JX_PAGE_CLUES_API_H
#define JX_PAGE_CLUES_API_H

#include <jansson.h>

#include "domain/clue.h"
#include "domain/clue_due.h"
#include "web/http.h"

/* The JSON error for a refused operation; CLUE_ENOTFOUND always says
** exactly what a missing id says (clue_err_notfound). */
void ca_fail(Request *req, Response *resp, ClueResult r, const Buf *err,
             const char *field);
/* The request's viewer: 0, or -1 after a 401. */
int ca_viewer(Request *req, Response *resp, ClueViewer *v);
/* The clue of path argument 0 as v sees it: 0, or -1 after a 404 (c is
** zeroed either way; release with clue_clear). */
int ca_clue_of_path(Request *req, Response *resp, const ClueViewer *v, Clue *c);
/* Audit object "clue", its id and "<code> <what>" — never the text. */
void ca_note(Request *req, int64_t id, const char *code, const char *what);
/* An optional non-negative integer member of the body: 0, or -1 after a
** 400 naming it. */
int ca_opt_int(Request *req, Response *resp, const char *field, int64_t *out);
/* ?name=0|1|true|false: 0, or -1 after a 400. */
int ca_query_flag(Request *req, Response *resp, const char *name, int *out);
/* Render a 400 for query parameter name; returns -1. */
int ca_bad_param(Request *req, Response *resp, const char *name,
                 const char *msg);
json_t *ca_id_or_null(int64_t id);
/* Deadlines as JSON: rule, rule_label, due_on, done_on, ref_id,
** days_left, overdue. */
json_t *ca_dues_json(const ClueDue *d, size_t n);

#endif
