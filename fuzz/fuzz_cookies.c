/* fuzz_cookies.c: libFuzzer driver for parse_cookies() (web/parse.h).
**
** The input, NUL-terminated (an embedded NUL ends it early, as it would
** in a header), is one Cookie header value.  Checks that names are
** non-empty and that names and values are UTF-8 with no control
** characters, as parse.h promises.
*/
#include <stdint.h>
#include <stdlib.h>

#include "web/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* 1 when s[0..n) is UTF-8 without control characters. */
static int clean(const char *s, size_t n) {
  for (size_t i = 0; i < n; i++)
    if ((unsigned char)s[i] < 0x20 || s[i] == 0x7F) return 0;
  return utf8_valid(s, n);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  char *header = xstrndup((const char *)data, size);
  ParamList pl;
  params_init(&pl);
  int rc = parse_cookies(header, &pl);
  if ((rc != 0 && rc != -1) || pl.n > PARSE_MAX_PARAMS) abort();
  for (size_t i = 0; i < pl.n; i++) {
    const Param *p = &pl.items[i];
    size_t nlen = strlen(p->name);
    if (!nlen || !clean(p->name, nlen) || strlen(p->value) != p->len ||
        !clean(p->value, p->len))
      abort();
  }
  params_free(&pl);
  free(header);
  return 0;
}
