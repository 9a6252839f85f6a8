/* fuzz_multipart.c: libFuzzer driver for multipart_boundary() and
** parse_multipart() (web/parse.h).
**
** Input: the first line (up to '\n') is either a Content-Type value,
** "multipart/form-data; boundary=...", or else a bare boundary; the rest
** is the body.  The body is copied to its own allocation so that
** AddressSanitizer catches a read past its end.  Checks that every part
** has a non-empty UTF-8 name and data inside the body, and the limit.
*/
#include <stdint.h>
#include <stdlib.h>

#include "web/parse.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
  const char *in = (const char *)data;
  const char *nl = size ? memchr(in, '\n', size) : NULL;
  size_t llen = nl ? (size_t)(nl - in) : size;
  size_t off = nl ? llen + 1 : size;
  char *line = xstrndup(size ? in : "", llen);
  Buf boundary = BUF_INIT;
  if (multipart_boundary(line, &boundary) < 0) {
    size_t blen = strlen(line);
    if (blen && line[blen - 1] == '\r') blen--;
    buf_append(&boundary, line, blen);
  }
  size_t n = size - off;
  char *body = xmalloc(n);
  if (n) memcpy(body, in + off, n);

  PartList pl;
  parts_init(&pl);
  int rc = parse_multipart(body, n, buf_str(&boundary), &pl);
  if ((rc != 0 && rc != -1) || pl.n > PARSE_MAX_PARTS) abort();
  for (size_t i = 0; i < pl.n; i++) {
    const Part *p = &pl.items[i];
    size_t nlen = strlen(p->name);
    if (!nlen || !utf8_valid(p->name, nlen)) abort();
    if (p->filename && !utf8_valid(p->filename, strlen(p->filename))) abort();
    if (p->data < body || p->len > n || p->data + p->len > body + n) abort();
  }
  parts_free(&pl);
  free(body);
  buf_release(&boundary);
  free(line);
  return 0;
}
