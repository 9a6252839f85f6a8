/* fuzz_json.c: libFuzzer driver for parse_json_object() (web/parse.h).
**
** The whole input is a request body.  On success the result must be an
** object that survives a round trip through json_dumps() and the parser
** again; on failure the message must be non-empty UTF-8.
*/
#include <stdint.h>
#include <stdlib.h>

#include "web/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  Buf err = BUF_INIT;
  json_t *j = parse_json_object((const char *)data, size, &err);
  if (!j) {
    if (!err.len || !utf8_valid(err.p, err.len)) abort();
  } else {
    if (!json_is_object(j) || err.len) abort();
    char *s = json_dumps(j, JSON_COMPACT | JSON_ENCODE_ANY);
    if (!s) abort();
    json_t *again = parse_json_object(s, strlen(s), &err);
    if (!again || !json_equal(j, again)) abort();
    json_decref(again);
    free(s);
    json_decref(j);
  }
  buf_release(&err);
  return 0;
}
