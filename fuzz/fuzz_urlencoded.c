/* fuzz_urlencoded.c: libFuzzer driver for parse_urlencoded() and
** params_get() (web/parse.h).
**
** The whole input is a query string or form body.  Checks that every
** name and value handed back is NUL-terminated UTF-8 of the stated
** length, that the limit holds, and that params_get() finds each name.
*/
#include <stdint.h>
#include <stdlib.h>

#include "web/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  ParamList pl;
  params_init(&pl);
  int rc = parse_urlencoded((const char *)data, size, &pl);
  if ((rc != 0 && rc != -1) || pl.n > PARSE_MAX_PARAMS) abort();
  for (size_t i = 0; i < pl.n; i++) {
    const Param *p = &pl.items[i];
    if (strlen(p->value) != p->len || !utf8_valid(p->value, p->len) ||
        !utf8_valid(p->name, strlen(p->name)) || !params_get(&pl, p->name))
      abort();
  }
  params_free(&pl);
  return 0;
}
