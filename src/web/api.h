/* api.h: helpers for the JSON API under /api/v1/.
**
** One error shape (web_error), one pagination shape:
**   {"items":[…], "total":N, "page":P, "per_page":K}
** Times are ISO-8601 UTC strings; text is UTF-8 (never \u-escaped).
*/
#ifndef JX_API_H
#define JX_API_H

#include <jansson.h>

#include "web/http.h"

/* Send obj (reference stolen) with status. */
void api_json(Response *resp, int status, json_t *obj);
/* Read ?page=&per_page= (defaults 1 and 50, per_page at most 200).
** Returns 0, or renders a 400 naming the bad field and returns -1. */
int api_paging(Request *req, Response *resp, int64_t *page, int64_t *per_page);
/* The pagination envelope; items reference stolen. */
json_t *api_page(json_t *items, int64_t total, int64_t page, int64_t per_page);
/* An ISO-8601 string, or JSON null for 0. */
json_t *api_time(jx_time t);
/* A required string member of the JSON body; renders 400 naming the field
** and returns NULL when absent or not a string. */
const char *api_string(Request *req, Response *resp, const char *field);

#endif
