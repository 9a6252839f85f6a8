/* embed.h: files compiled into the binary by tools/mkembed.c.
**
** assets/ (CSS, JS, images) and src/store/migrations/ (SQL) are embedded
** so that one binary is the whole installation: no files to ship, no CDN.
*/
#ifndef JX_EMBED_H
#define JX_EMBED_H

#include <stddef.h>

typedef struct EmbeddedFile {
  const char *name;          /* path as given to mkembed, e.g. "assets/app.css" */
  const unsigned char *data; /* contents, NUL-terminated for convenience */
  size_t len;                /* length without the NUL */
  const char *etag;          /* content hash, quoted, for caching */
} EmbeddedFile;

extern const EmbeddedFile embedded_files[];
extern const size_t embedded_count;

/* The file with this exact name, or NULL. */
const EmbeddedFile *embed_find(const char *name);

#endif
