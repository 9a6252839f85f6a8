/* page_clues.h: helpers shared by the clue pages (page_clues.c,
** page_clue_detail.c, page_clue_docs.c, page_inbox.c).
**
** Every clue is fetched through domain/clue.h (need-to-know in SQL): a
** clue the viewer may not see gets the same 404 as a missing id.  Audit
** summaries name the clue's code and the action, never its summary or
** facts.
*/
#ifndef JX_PAGE_CLUES_H
#define JX_PAGE_CLUES_H

#include "domain/clue.h"
#include "domain/clue_due.h"
#include "domain/clue_flow.h"
#include "web/http.h"

#define CW_NOT_FOUND "问题线索不存在或无权查看"
#define CW_PER_PAGE 50

/* The viewer of the request (P_CLUE_READ's scope).  0, or -1 after
** rendering a 403 (nobody logged in). */
int cw_viewer(Request *req, Response *resp, ClueViewer *v);
/* The clue of path argument 0 for v: 0, or -1 after rendering the 404
** (or a 500).  Release with clue_clear. */
int cw_clue_of_path(Request *req, Response *resp, const ClueViewer *v,
                    Clue *c);
/* Audit object "clue" with the clue's id and "<code> <what>". */
void cw_note(Request *req, const Clue *c, const char *what);
/* A positive id from text: 0, or -1. */
int cw_id(const char *s, int64_t *out);
/* An instant in 北京时间 "2026-11-30 20:31" ("—" for 0). */
const char *cw_time(jx_time t, char out[20]);
/* The Chinese label of a state or outcome code ("—" for ""). */
const char *cw_state_label(const char *code);
/* The label of a person-measure code (clue_measures), or the code. */
const char *cw_measure_label(const char *code);
/* "—" for NULL or "". */
const char *cw_s(const char *s);
/* Drop what a refused handler wrote, keeping a transaction open. */
void cw_discard(Request *req);
/* The status and error code of a ClueResult for web_error. */
const char *cw_result_code(ClueResult r);
/* The clue sub-navigation (台账, 期限提醒, 督办收件箱, 登记, 统计). */
void cw_tabs(Request *req, Response *resp);
/* The CSS class of a deadline: "overdue" (past), "urgent" (within 7
** days), "soon" (within 30), "" otherwise, for next_due_on. */
const char *cw_due_class(Db *db, const char *due_on);

#endif
