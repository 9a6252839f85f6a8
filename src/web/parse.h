/* parse.h: parsers for outside input, free of I/O so they can be unit
** tested and fuzzed (fuzz/fuzz_*.c): percent-decoding, query strings and
** urlencoded forms, the Cookie header, multipart/form-data, JSON bodies.
**
** Every parser validates UTF-8 in names and text values and enforces
** the limits below; on malformed input it returns -1 and leaves *out
** holding whatever it had parsed so far (the caller frees it either way).
*/
#ifndef JX_PARSE_H
#define JX_PARSE_H

#include <jansson.h>
#include <stddef.h>

#include "util/util.h"

#define PARSE_MAX_PARAMS 1000 /* names per query string, form or cookie */
#define PARSE_MAX_PARTS 100   /* parts per multipart body */

typedef struct Param {
  char *name;   /* decoded, NUL-terminated, valid UTF-8 */
  char *value;  /* decoded, NUL-terminated, valid UTF-8 */
  size_t len;   /* length of value */
} Param;

typedef struct ParamList {
  Param *items; /* in input order; a name may repeat */
  size_t n;     /* used */
  size_t cap;   /* allocated */
} ParamList;

void params_init(ParamList *pl);
void params_free(ParamList *pl); /* frees names and values; back to empty */
void params_add(ParamList *pl, const char *name, const char *value, size_t len);
/* The first value for name, or NULL. */
const char *params_get(const ParamList *pl, const char *name);

/* Percent-decode s[0..n) into out (appending).  plus_is_space turns '+'
** into ' ' (forms and query strings).  -1 on a bad %XX escape, an
** encoded NUL or a result that is not UTF-8. */
int url_decode(const char *s, size_t n, int plus_is_space, Buf *out);

/* application/x-www-form-urlencoded, also used for query strings
** ("a=1&b=%E4%B8%AD").  A name without '=' gets the empty value. */
int parse_urlencoded(const char *s, size_t n, ParamList *out);

/* A Cookie request header: "a=1; b=2".  Values are not decoded. */
int parse_cookies(const char *header, ParamList *out);

/* multipart/form-data ---------------------------------------------- */
typedef struct Part {
  char *name;         /* form field name (UTF-8) */
  char *filename;     /* NULL unless the part is a file */
  char *content_type; /* NULL when the part gave none */
  const char *data;   /* points into the body passed to parse_multipart */
  size_t len;         /* bytes of data */
} Part;

typedef struct PartList {
  Part *items;
  size_t n;
  size_t cap;
} PartList;

void parts_init(PartList *pl);
void parts_free(PartList *pl);
/* The boundary parameter of a multipart/form-data Content-Type value;
** -1 when absent, empty, over 70 characters or not of that type. */
int multipart_boundary(const char *content_type, Buf *boundary);
/* Split body[0..n) into parts.  -1 on a missing closing delimiter, a part
** without a Content-Disposition name, or too many parts. */
int parse_multipart(const char *body, size_t n, const char *boundary,
                    PartList *out);

/* JSON ----------------------------------------------------------------- */
/* Parse a request body that must be one JSON object in UTF-8.  Returns a
** new reference, or NULL with a short Chinese reason for the user in err. */
json_t *parse_json_object(const char *body, size_t n, Buf *err);

#endif
