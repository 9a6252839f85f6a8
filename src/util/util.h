/* util.h: memory, growable buffers, strings, time and logging.
**
** The allocation wrappers never return NULL: running out of memory in a
** server that holds confidential records is not a state we try to limp
** on from (cf. git's xmalloc, Redis's zmalloc).  Every function that
** returns allocated memory says who frees it.
*/
#ifndef JX_UTIL_H
#define JX_UTIL_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#define JX_VERSION "0.1.0"
#define JX_FMT(a, b) __attribute__((format(printf, a, b)))
#define JX_COUNT(a) (sizeof(a) / sizeof((a)[0]))

/* ---- memory ---- */
void *xmalloc(size_t n);              /* never NULL; caller frees */
void *xcalloc(size_t n, size_t size); /* never NULL; caller frees */
void *xrealloc(void *p, size_t n);    /* never NULL */
char *xstrdup(const char *s);         /* never NULL; caller frees */
char *xstrndup(const char *s, size_t n);
char *xasprintf(const char *fmt, ...) JX_FMT(1, 2); /* caller frees */
void jx_fatal(const char *fmt, ...) JX_FMT(1, 2) __attribute__((noreturn));

/* ---- growable buffer (git's strbuf vocabulary) ----
** A Buf is always NUL-terminated once anything was appended; p may be
** NULL before that, so read it through buf_str().
*/
typedef struct Buf {
  char *p;    /* bytes, NUL-terminated */
  size_t len; /* bytes used, not counting the NUL */
  size_t cap; /* bytes allocated */
} Buf;

#define BUF_INIT {NULL, 0, 0}
void buf_init(Buf *b);
void buf_release(Buf *b);          /* free the memory, back to empty */
void buf_clear(Buf *b);            /* keep the memory, length 0 */
char *buf_detach(Buf *b);          /* caller frees; b is empty after */
const char *buf_str(const Buf *b); /* "" when empty */
void buf_grow(Buf *b, size_t extra);
void buf_append(Buf *b, const void *data, size_t n);
void buf_puts(Buf *b, const char *s);
void buf_putc(Buf *b, char c);
void buf_printf(Buf *b, const char *fmt, ...) JX_FMT(2, 3);
void buf_vprintf(Buf *b, const char *fmt, va_list ap);

/* ---- strings ---- */
int str_eq(const char *a, const char *b);      /* NULL-safe equality */
int str_starts(const char *s, const char *prefix);
/* Copy at most size-1 bytes and always terminate; returns strlen(src). */
size_t str_copy(char *dst, const char *src, size_t size);
/* Parse a whole decimal integer in [min,max]; 0 on success, -1 otherwise. */
int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out);
/* 1 if s[0..n) is well-formed UTF-8 (no overlongs, no surrogates). */
int utf8_valid(const char *s, size_t n);
/* Characters (code points) in UTF-8 s: the unit of every length limit
** users see ("不能超过 N 个字"); 0 for NULL. */
size_t utf8_chars(const char *s);
/* Constant-time comparison of n bytes: 0 when equal. */
int mem_ct_cmp(const void *a, const void *b, size_t n);

/* ---- time ----
** All "now" goes through jx_now() so tests can pin the clock: the
** JIXUN_FAKE_NOW environment variable (fixed), JIXUN_CLOCK_FILE (a file
** with an ISO-8601 time, re-read on every call, so a test can move the
** clock of a running server) or clock_set() in unit tests.
*/
typedef int64_t jx_time; /* seconds since the epoch, UTC */
jx_time jx_now(void);
void clock_set(jx_time fixed); /* 0 returns to the real clock */
double jx_monotonic_ms(void);
/* Format as ISO-8601 UTC "2026-11-30T10:31:00Z" into out[21]. */
void time_iso(jx_time t, char out[21]);
/* Parse "YYYY-MM-DD" or "YYYY-MM-DDTHH:MM:SSZ"; 0 on success. */
int time_parse_iso(const char *s, jx_time *out);
/* 北京时间 (UTC+8, fixed: China has no daylight saving time).  Instants
** are stored as UTC epoch seconds and JSON APIs speak ISO-8601 UTC
** (time_iso); HTML pages and exports show them as 北京时间.
** Format as "2026-11-30 18:31" into out[20] (minutes, no seconds). */
#define JX_TZ_OFFSET (8 * 3600)
void time_local(jx_time t, char out[20]);
/* Parse 北京时间 as typed by people: "YYYY-MM-DD" (00:00 that day),
** "YYYY-MM-DD HH:MM" or "YYYY-MM-DDTHH:MM" (an HTML datetime-local
** input), each optionally with ":SS"; 0 on success, -1 otherwise. */
int time_parse_local(const char *s, jx_time *out);

/* ---- logging (stderr, one line per event, never secrets) ---- */
void log_info(const char *fmt, ...) JX_FMT(1, 2);
void log_error(const char *fmt, ...) JX_FMT(1, 2);
/* Append s with control characters escaped, so input cannot forge
** log lines (ASVS 7.3.1). */
void log_escape(Buf *b, const char *s);

#include "util/banned.h"
#endif
