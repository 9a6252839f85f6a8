/* html.h: the HTML writer.  Escaping is the default.
**
** html_printf() is printf with one difference: every %s argument is
** HTML-escaped (safe in text and in double-quoted attributes).  Markup
** comes only from the format string, which tools/codecheck.c requires to
** be a string literal, or from html_raw() with a literal argument.  So an
** unescaped interpolation of data fails the build, as Fossil's codecheck1
** does for %s in SQL and HTML.
*/
#ifndef JX_HTML_H
#define JX_HTML_H

#include "util/util.h"
#include "web/http.h"

void html_printf(Buf *b, const char *fmt, ...) JX_FMT(2, 3);
/* Append literal markup (a string literal: checked by codecheck). */
void html_raw(Buf *b, const char *literal);
void html_escape(Buf *b, const char *s);
/* Append s percent-encoded for a URL query value. */
void url_encode(Buf *b, const char *s);

/* ---- page chrome (layout.c) ---- */
/* Start a full page: doctype, head (embedded CSS/JS by content hash),
** header with navigation for the logged-in user, and <main>.  nav_key
** marks the active navigation entry ("home", …). */
void page_begin(Request *req, Response *resp, const char *title,
                const char *nav_key);
void page_end(Request *req, Response *resp);
/* Cards linking to every module the user may use (the 工作台). */
void nav_cards(Request *req, Response *resp);
/* <form method="post" action="…"> with the session's CSRF token. */
void form_begin(Request *req, Response *resp, const char *action);
/* The same with a class on the form, e.g. "wide" for a form that holds a
** table (a plain form is narrow, for one column of fields). */
void form_begin_class(Request *req, Response *resp, const char *action,
                      const char *cls);
/* A notice box: kind is "error", "ok" or "info". */
void page_notice(Response *resp, const char *kind, const char *text);
/* URL of an embedded asset with its content hash, for immutable caching. */
void asset_url(Buf *b, const char *name);

#endif
