/* fuzz_url_decode.c: libFuzzer driver for url_decode() (web/parse.h).
**
** The whole input is one percent-encoded string, decoded with and
** without plus_is_space after a prefix that must survive.  Checks the
** contract: on success the appended bytes are UTF-8 without NUL and no
** longer than the input; on failure the buffer is back to the prefix.
*/
#include <stdint.h>
#include <stdlib.h>

#include "web/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *s = (const char *)data;
  for (int plus = 0; plus < 2; plus++) {
    Buf b = BUF_INIT;
    buf_puts(&b, "pre");
    int rc = url_decode(s, size, plus, &b);
    if (b.len < 3 || memcmp(b.p, "pre", 3) != 0 || b.p[b.len] != 0) abort();
    size_t n = b.len - 3;
    if (rc == 0) {
      if (n > size || memchr(b.p + 3, 0, n) || !utf8_valid(b.p + 3, n))
        abort();
    } else if (rc != -1 || n != 0) {
      abort();
    }
    buf_release(&b);
  }
  return 0;
}
