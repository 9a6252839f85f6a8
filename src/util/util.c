/* util.c: memory wrappers, Buf, string helpers, clock and log lines. */
#include "util/util.h"

#include <errno.h>
#include <pthread.h>
#include <stdlib.h>
#include <time.h>

/* ---- memory ---- */

void jx_fatal(const char *fmt, ...) {
  va_list ap;
  fputs("jixun: fatal: ", stderr);
  va_start(ap, fmt);
  vfprintf(stderr, fmt, ap);
  va_end(ap);
  fputc('\n', stderr);
  abort();
}

void *xmalloc(size_t n) {
  void *p = malloc(n ? n : 1);
  if (!p) jx_fatal("out of memory (%zu bytes)", n);
  return p;
}

void *xcalloc(size_t n, size_t size) {
  void *p = calloc(n ? n : 1, size ? size : 1);
  if (!p) jx_fatal("out of memory (%zu x %zu bytes)", n, size);
  return p;
}

void *xrealloc(void *p, size_t n) {
  void *q = realloc(p, n ? n : 1);
  if (!q) jx_fatal("out of memory (%zu bytes)", n);
  return q;
}

char *xstrdup(const char *s) { return xstrndup(s, strlen(s)); }

char *xstrndup(const char *s, size_t n) {
  char *p = xmalloc(n + 1);
  memcpy(p, s, n);
  p[n] = 0;
  return p;
}

char *xasprintf(const char *fmt, ...) {
  Buf b = BUF_INIT;
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(&b, fmt, ap);
  va_end(ap);
  if (!b.p) return xstrdup("");
  return buf_detach(&b);
}

/* ---- Buf ---- */

void buf_init(Buf *b) { b->p = NULL, b->len = 0, b->cap = 0; }

void buf_release(Buf *b) {
  free(b->p);
  buf_init(b);
}

void buf_clear(Buf *b) {
  b->len = 0;
  if (b->p) b->p[0] = 0;
}

char *buf_detach(Buf *b) {
  char *p = b->p ? b->p : xstrdup("");
  buf_init(b);
  return p;
}

const char *buf_str(const Buf *b) { return b->p ? b->p : ""; }

void buf_grow(Buf *b, size_t extra) {
  if (extra >= SIZE_MAX / 2 - b->len) jx_fatal("buffer too large");
  if (b->len + extra + 1 <= b->cap) return;
  size_t cap = b->cap ? b->cap : 64;
  while (cap < b->len + extra + 1) cap *= 2;
  b->p = xrealloc(b->p, cap);
  b->p[b->len] = 0; /* buf_str() is valid right after a grow */
  b->cap = cap;
}

void buf_append(Buf *b, const void *data, size_t n) {
  buf_grow(b, n);
  if (n) memcpy(b->p + b->len, data, n);
  b->len += n;
  b->p[b->len] = 0;
}

void buf_puts(Buf *b, const char *s) { buf_append(b, s, strlen(s)); }

void buf_putc(Buf *b, char c) { buf_append(b, &c, 1); }

void buf_vprintf(Buf *b, const char *fmt, va_list ap) {
  va_list cp;
  va_copy(cp, ap);
  int n = vsnprintf(NULL, 0, fmt, cp);
  va_end(cp);
  if (n < 0) jx_fatal("bad format '%s'", fmt);
  buf_grow(b, (size_t)n);
  vsnprintf(b->p + b->len, (size_t)n + 1, fmt, ap);
  b->len += (size_t)n;
}

void buf_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  buf_vprintf(b, fmt, ap);
  va_end(ap);
}

/* ---- strings ---- */

int str_eq(const char *a, const char *b) {
  if (!a || !b) return a == b;
  return strcmp(a, b) == 0;
}

int str_starts(const char *s, const char *prefix) {
  return s && strncmp(s, prefix, strlen(prefix)) == 0;
}

size_t str_copy(char *dst, const char *src, size_t size) {
  size_t n = strlen(src);
  if (size) {
    size_t k = n < size - 1 ? n : size - 1;
    memcpy(dst, src, k);
    dst[k] = 0;
  }
  return n;
}

int str_to_int64(const char *s, int64_t min, int64_t max, int64_t *out) {
  if (!s || !*s) return -1;
  char *end;
  errno = 0;
  long long v = strtoll(s, &end, 10);
  if (errno || *end || end == s || v < min || v > max) return -1;
  *out = v;
  return 0;
}

size_t utf8_chars(const char *s) {
  size_t n = 0;
  for (; s && *s; s++)
    if (((unsigned char)*s & 0xC0) != 0x80) n++;
  return n;
}

int utf8_valid(const char *str, size_t n) {
  const unsigned char *s = (const unsigned char *)str;
  size_t i = 0;
  while (i < n) {
    unsigned c = s[i];
    if (c < 0x80) {
      i++;
      continue;
    }
    size_t need;
    unsigned min;
    if (c >= 0xC2 && c <= 0xDF) need = 1, min = 0x80;
    else if (c >= 0xE0 && c <= 0xEF) need = 2, min = 0x800;
    else if (c >= 0xF0 && c <= 0xF4) need = 3, min = 0x10000;
    else return 0;
    if (n - i <= need) return 0;
    unsigned cp = c & (0x3F >> need);
    for (size_t k = 1; k <= need; k++) {
      if ((s[i + k] & 0xC0) != 0x80) return 0;
      cp = (cp << 6) | (s[i + k] & 0x3F);
    }
    if (cp < min || cp > 0x10FFFF || (cp >= 0xD800 && cp <= 0xDFFF)) return 0;
    i += need + 1;
  }
  return 1;
}

int mem_ct_cmp(const void *a, const void *b, size_t n) {
  const unsigned char *x = a, *y = b;
  unsigned char d = 0;
  for (size_t i = 0; i < n; i++) d |= x[i] ^ y[i];
  return d;
}

/* ---- time ---- */

static jx_time fixed_now;
static const char *clock_file;
static pthread_once_t fake_once = PTHREAD_ONCE_INIT;

/* Tests pin the clock with JIXUN_FAKE_NOW (fixed for the whole run) or
 * move it during a run with JIXUN_CLOCK_FILE (a file holding an ISO-8601
 * time, re-read at every call).  Neither is set in production. */
static void fake_from_env(void) {
  const char *s = getenv("JIXUN_FAKE_NOW");
  jx_time t;
  if (s && time_parse_iso(s, &t) == 0) fixed_now = t;
  s = getenv("JIXUN_CLOCK_FILE");
  if (s && *s) clock_file = s;
}

static jx_time clock_file_now(void) {
  char line[32] = "";
  jx_time t;
  FILE *f = fopen(clock_file, "r");
  if (!f) return 0;
  if (!fgets(line, sizeof line, f)) line[0] = 0;
  fclose(f);
  line[strcspn(line, "\r\n")] = 0;
  return time_parse_iso(line, &t) == 0 ? t : 0;
}

jx_time jx_now(void) {
  pthread_once(&fake_once, fake_from_env);
  if (fixed_now) return fixed_now;
  if (clock_file) {
    jx_time t = clock_file_now();
    if (t) return t;
  }
  return (jx_time)time(NULL);
}

void clock_set(jx_time fixed) {
  pthread_once(&fake_once, fake_from_env);
  fixed_now = fixed;
}

double jx_monotonic_ms(void) {
  struct timespec ts;
  clock_gettime(CLOCK_MONOTONIC, &ts);
  return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

void time_iso(jx_time t, char out[21]) {
  struct tm tm;
  time_t tt = (time_t)t;
  gmtime_r(&tt, &tm);
  strftime(out, 21, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

int time_parse_iso(const char *s, jx_time *out) {
  int y, mo, d, h = 0, mi = 0, se = 0, used = 0;
  size_t n = strlen(s);
  if (n == 10) {
    if (sscanf(s, "%4d-%2d-%2d%n", &y, &mo, &d, &used) != 3) return -1;
  } else if (n == 20) {
    if (sscanf(s, "%4d-%2d-%2dT%2d:%2d:%2dZ%n", &y, &mo, &d, &h, &mi, &se,
               &used) != 6)
      return -1;
  } else {
    return -1;
  }
  if ((size_t)used != n || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
      mi > 59 || se > 60 || y < 1900)
    return -1;
  struct tm tm = {0};
  tm.tm_year = y - 1900, tm.tm_mon = mo - 1, tm.tm_mday = d;
  tm.tm_hour = h, tm.tm_min = mi, tm.tm_sec = se;
  time_t t = timegm(&tm);
  struct tm back;
  gmtime_r(&t, &back);
  if (back.tm_mday != d) return -1; /* 2026-02-30 and friends */
  *out = t;
  return 0;
}

/* Days since 1970-01-01 of a proleptic Gregorian date, and back
 * (H. Hinnant's days_from_civil / civil_from_days): pure arithmetic, no
 * time zone database and no libc time conversion. */
static int64_t days_from_civil(int64_t y, int m, int d) {
  y -= m <= 2;
  int64_t era = (y >= 0 ? y : y - 399) / 400;
  int64_t yoe = y - era * 400;
  int64_t doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
  int64_t doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
  return era * 146097 + doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, int *m, int *d) {
  z += 719468;
  int64_t era = (z >= 0 ? z : z - 146096) / 146097;
  int64_t doe = z - era * 146097;
  int64_t yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
  int64_t doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
  int64_t mp = (5 * doy + 2) / 153;
  *d = (int)(doy - (153 * mp + 2) / 5 + 1);
  *m = (int)(mp < 10 ? mp + 3 : mp - 9);
  *y = yoe + era * 400 + (*m <= 2);
}

void time_local(jx_time t, char out[20]) {
  jx_time l = t + JX_TZ_OFFSET;
  int64_t days = l >= 0 ? l / 86400 : -((-l + 86399) / 86400);
  int64_t secs = l - days * 86400;
  int64_t y;
  int m, d;
  civil_from_days(days, &y, &m, &d);
  if (y < 0 || y > 9999) {
    str_copy(out, "0000-00-00 00:00", 20);
    return;
  }
  snprintf(out, 20, "%04d-%02d-%02d %02d:%02d", (int)y, m, d,
           (int)(secs / 3600), (int)(secs / 60 % 60));
}

/* n decimal digits at s into *v; 0 on success. */
static int digits(const char *s, int n, int *v) {
  int r = 0;
  for (int i = 0; i < n; i++) {
    if (s[i] < '0' || s[i] > '9') return -1;
    r = r * 10 + (s[i] - '0');
  }
  *v = r;
  return 0;
}

int time_parse_local(const char *s, jx_time *out) {
  static const int mdays[12] = {31, 28, 31, 30, 31, 30,
                                31, 31, 30, 31, 30, 31};
  int y, mo, d, h = 0, mi = 0, se = 0;
  if (!s) return -1;
  size_t n = strlen(s);
  if (n != 10 && n != 16 && n != 19) return -1;
  if (digits(s, 4, &y) || s[4] != '-' || digits(s + 5, 2, &mo) ||
      s[7] != '-' || digits(s + 8, 2, &d))
    return -1;
  if (n >= 16) {
    if ((s[10] != ' ' && s[10] != 'T') || digits(s + 11, 2, &h) ||
        s[13] != ':' || digits(s + 14, 2, &mi))
      return -1;
  }
  if (n == 19 && (s[16] != ':' || digits(s + 17, 2, &se))) return -1;
  if (y < 1900 || mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || se > 59)
    return -1;
  int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
  if (d > mdays[mo - 1] + (mo == 2 && leap)) return -1;
  *out = days_from_civil(y, mo, d) * 86400 + h * 3600 + mi * 60 + se -
         JX_TZ_OFFSET;
  return 0;
}

/* ---- logging ---- */

static void log_line(const char *level, const char *fmt, va_list ap) {
  char ts[21];
  Buf b = BUF_INIT;
  time_iso((jx_time)time(NULL), ts);
  buf_printf(&b, "%s %s ", ts, level);
  buf_vprintf(&b, fmt, ap);
  buf_putc(&b, '\n');
  fwrite(b.p, 1, b.len, stderr); /* one write: lines from threads stay whole */
  buf_release(&b);
}

void log_info(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_line("info", fmt, ap);
  va_end(ap);
}

void log_error(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  log_line("error", fmt, ap);
  va_end(ap);
}

void log_escape(Buf *b, const char *s) {
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if (c < 0x20 || c == 0x7F || c == '"' || c == '\\')
      buf_printf(b, "\\x%02x", c);
    else
      buf_putc(b, (char)c);
  }
}
