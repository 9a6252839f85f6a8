/* html.c: escaping writer for HTML (see html.h for the contract). */
#include "web/html.h"

#include <stdlib.h>

void html_escape(Buf *b, const char *s) {
  const char *run = s;
  for (; *s; s++) {
    const char *rep;
    switch (*s) {
      case '&': rep = "&amp;"; break;
      case '<': rep = "&lt;"; break;
      case '>': rep = "&gt;"; break;
      case '"': rep = "&quot;"; break;
      case '\'': rep = "&#39;"; break;
      default: continue;
    }
    buf_append(b, run, (size_t)(s - run));
    buf_puts(b, rep);
    run = s + 1;
  }
  buf_append(b, run, (size_t)(s - run));
}

void html_raw(Buf *b, const char *literal) { buf_puts(b, literal); }

void url_encode(Buf *b, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '_' || c == '.' || c == '~') {
      buf_putc(b, (char)c);
    } else {
      buf_putc(b, '%');
      buf_putc(b, hex[c >> 4]);
      buf_putc(b, hex[c & 15]);
    }
  }
}

/* Walk the format: literal text is copied, each conversion is formatted
** with snprintf on its own spec, except %s (escaped) and %c (escaped). */
void html_printf(Buf *b, const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  const char *p = fmt;
  while (*p) {
    const char *pct = strchr(p, '%');
    if (!pct) {
      buf_puts(b, p);
      break;
    }
    buf_append(b, p, (size_t)(pct - p));
    const char *q = pct + 1;
    if (*q == '%') {
      buf_putc(b, '%');
      p = q + 1;
      continue;
    }
    while (*q && strchr("-+ #0123456789.", *q)) q++;
    int longs = 0, size_t_mod = 0;
    while (*q == 'l') longs++, q++;
    if (*q == 'z') size_t_mod = 1, q++;
    char spec[32];
    size_t speclen = (size_t)(q - pct) + 1;
    if (speclen >= sizeof spec || !*q) jx_fatal("html_printf: bad format");
    memcpy(spec, pct, speclen);
    spec[speclen] = 0;
    char tmp[64];
    switch (*q) {
      case 's': {
        const char *s = va_arg(ap, const char *);
        const char *dot = strchr(spec, '.');
        if (!s) s = "";
        if (dot) {
          /* %.Ns: at most N bytes, never cutting a UTF-8 character. */
          size_t n = (size_t)strtoul(dot + 1, NULL, 10), len = strlen(s);
          if (n < len) {
            while (n > 0 && ((unsigned char)s[n] & 0xC0) == 0x80) n--;
            char *cut = xstrndup(s, n);
            html_escape(b, cut);
            free(cut);
            break;
          }
        }
        html_escape(b, s);
        break;
      }
      case 'c': {
        char s[2] = {(char)va_arg(ap, int), 0};
        html_escape(b, s);
        break;
      }
      case 'd': case 'i': case 'u': case 'x':
        if (size_t_mod) snprintf(tmp, sizeof tmp, spec, va_arg(ap, size_t));
        else if (longs >= 2) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long long));
        else if (longs == 1) snprintf(tmp, sizeof tmp, spec, va_arg(ap, long));
        else snprintf(tmp, sizeof tmp, spec, va_arg(ap, int));
        buf_puts(b, tmp);
        break;
      case 'f':
        snprintf(tmp, sizeof tmp, spec, va_arg(ap, double));
        buf_puts(b, tmp);
        break;
      default:
        jx_fatal("html_printf: unsupported conversion '%c'", *q);
    }
    p = q + 1;
  }
  va_end(ap);
}
