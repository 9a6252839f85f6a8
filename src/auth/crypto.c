/* crypto.c: key file, SM3/HMAC-SM3/SM4-CTR via OpenSSL EVP, sealed
** blobs, argon2id passwords and random tokens (see crypto.h). */
#include "auth/crypto.h"

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <openssl/core_names.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/params.h>
#include <pthread.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

/* ---- library handles, fetched once ----
** Fetching an algorithm walks the provider tables; the fetched objects
** are immutable and may be shared between threads (OpenSSL 3 docs). */
static pthread_once_t lib_once = PTHREAD_ONCE_INIT;
static int sodium_ok;
static EVP_MD *md_sm3;
static EVP_MAC *mac_hmac;
static EVP_CIPHER *cipher_sm4_ctr;

static void lib_setup(void) {
  sodium_ok = sodium_init() >= 0;
  md_sm3 = EVP_MD_fetch(NULL, "SM3", NULL);
  mac_hmac = EVP_MAC_fetch(NULL, "HMAC", NULL);
  cipher_sm4_ctr = EVP_CIPHER_fetch(NULL, "SM4-CTR", NULL);
}

static void lib_need(void) {
  pthread_once(&lib_once, lib_setup);
  if (!sodium_ok) jx_fatal("libsodium failed to initialise");
  if (!md_sm3 || !mac_hmac || !cipher_sm4_ctr)
    jx_fatal("libcrypto lacks SM3, HMAC or SM4-CTR");
}

int crypto_init(void) {
  pthread_once(&lib_once, lib_setup);
  return sodium_ok && md_sm3 && mac_hmac && cipher_sm4_ctr ? 0 : -1;
}

/* ---- hex and tokens ---- */

void random_token(unsigned char *out, size_t n) {
  lib_need();
  randombytes_buf(out, n);
}

void token_hex(const unsigned char *in, size_t n, char *out) {
  static const char digits[] = "0123456789abcdef";
  for (size_t i = 0; i < n; i++) {
    out[2 * i] = digits[in[i] >> 4];
    out[2 * i + 1] = digits[in[i] & 15];
  }
  out[2 * n] = 0;
}

static int hex_val(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

int hex_decode(const char *hex, unsigned char *out, size_t n) {
  for (size_t i = 0; i < n; i++) {
    if (!hex[2 * i]) return -1;
    int hi = hex_val(hex[2 * i]), lo = hex_val(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) return -1;
    out[i] = (unsigned char)(hi << 4 | lo);
  }
  return hex[2 * n] ? -1 : 0;
}

/* ---- SM3 and HMAC-SM3 ---- */

void sm3_hash(const void *msg, size_t n, unsigned char out[SM3_BYTES]) {
  unsigned int len = 0;
  lib_need();
  if (!EVP_Digest(msg, n, out, &len, md_sm3, NULL) || len != SM3_BYTES)
    jx_fatal("SM3 failed");
}

void sm3_hex(const char *s, char out[65]) {
  unsigned char d[SM3_BYTES];
  sm3_hash(s, strlen(s), d);
  token_hex(d, sizeof d, out);
}

struct HmacSm3 {
  EVP_MAC_CTX *ctx; /* HMAC with digest SM3, keyed */
};

HmacSm3 *hmac_sm3_new(const void *key, size_t klen) {
  lib_need();
  HmacSm3 *h = xmalloc(sizeof *h);
  h->ctx = EVP_MAC_CTX_new(mac_hmac);
  OSSL_PARAM params[2];
  params[0] =
      OSSL_PARAM_construct_utf8_string(OSSL_MAC_PARAM_DIGEST, (char *)"SM3", 0);
  params[1] = OSSL_PARAM_construct_end();
  /* HMAC rejects a NULL key pointer even with length 0. */
  static const unsigned char nokey[1];
  if (!h->ctx || !EVP_MAC_init(h->ctx, klen ? key : nokey, klen, params))
    jx_fatal("HMAC-SM3 init failed");
  return h;
}

void hmac_sm3_update(HmacSm3 *h, const void *data, size_t n) {
  if (n && !EVP_MAC_update(h->ctx, data, n)) jx_fatal("HMAC-SM3 failed");
}

void hmac_sm3_final(HmacSm3 *h, unsigned char out[SM3_BYTES]) {
  size_t len = 0;
  if (!EVP_MAC_final(h->ctx, out, &len, SM3_BYTES) || len != SM3_BYTES)
    jx_fatal("HMAC-SM3 failed");
}

void hmac_sm3_free(HmacSm3 *h) {
  if (!h) return;
  EVP_MAC_CTX_free(h->ctx); /* OpenSSL cleanses the key schedule */
  free(h);
}

void hmac_sm3(const void *key, size_t klen, const void *msg, size_t n,
              unsigned char out[SM3_BYTES]) {
  HmacSm3 *h = hmac_sm3_new(key, klen);
  hmac_sm3_update(h, msg, n);
  hmac_sm3_final(h, out);
  hmac_sm3_free(h);
}

/* ---- SM4-CTR ---- */

void sm4_ctr(const unsigned char key[SM4_KEY_BYTES],
             const unsigned char iv[SM4_BLOCK_BYTES], const void *in, size_t n,
             void *out) {
  lib_need();
  EVP_CIPHER_CTX *ctx = EVP_CIPHER_CTX_new();
  if (!ctx || !EVP_EncryptInit_ex2(ctx, cipher_sm4_ctr, key, iv, NULL))
    jx_fatal("SM4-CTR init failed");
  const unsigned char *src = in;
  unsigned char *dst = out;
  /* EVP lengths are int: feed large inputs in pieces; CTR keeps its
  ** counter across calls. */
  while (n > 0) {
    int chunk = n > (size_t)INT_MAX / 2 ? INT_MAX / 2 : (int)n;
    int got = 0;
    if (!EVP_EncryptUpdate(ctx, dst, &got, src, chunk) || got != chunk)
      jx_fatal("SM4-CTR failed");
    src += chunk, dst += chunk, n -= (size_t)chunk;
  }
  EVP_CIPHER_CTX_free(ctx);
}

/* ---- sealed blobs ---- */

static const char SEAL_ENC_LABEL[] = "jixun sm4 enc v1";
static const char SEAL_MAC_LABEL[] = "jixun sm3 mac v1";

/* Derive the SM4 key (first 16 bytes) and the MAC key from data_key;
** separate keys so that neither use can help attack the other. */
static void seal_subkeys(const Keys *k, unsigned char enc[SM3_BYTES],
                         unsigned char mac[SM3_BYTES]) {
  hmac_sm3(k->data_key, KEY_BYTES, SEAL_ENC_LABEL, strlen(SEAL_ENC_LABEL), enc);
  hmac_sm3(k->data_key, KEY_BYTES, SEAL_MAC_LABEL, strlen(SEAL_MAC_LABEL), mac);
}

/* tag over header||iv||ct (one contiguous run) || aad || be64(|aad|). */
static void seal_tag(const unsigned char mackey[SM3_BYTES],
                     const unsigned char *head, size_t headlen, const char *aad,
                     unsigned char tag[SM3_BYTES]) {
  size_t alen = strlen(aad);
  unsigned char be[8];
  for (int i = 0; i < 8; i++)
    be[i] = (unsigned char)((uint64_t)alen >> (56 - 8 * i));
  HmacSm3 *h = hmac_sm3_new(mackey, SM3_BYTES);
  hmac_sm3_update(h, head, headlen);
  hmac_sm3_update(h, aad, alen);
  hmac_sm3_update(h, be, sizeof be);
  hmac_sm3_final(h, tag);
  hmac_sm3_free(h);
}

void crypt_seal(const Keys *k, const void *pt, size_t n, const char *aad,
                Buf *out) {
  unsigned char enc[SM3_BYTES], mac[SM3_BYTES], tag[SM3_BYTES];
  if (!aad) aad = "";
  if (n > SIZE_MAX - SEAL_OVERHEAD - 1) jx_fatal("seal input too large");
  seal_subkeys(k, enc, mac);
  buf_grow(out, n + SEAL_OVERHEAD);
  unsigned char *start = (unsigned char *)out->p + out->len;
  start[0] = SEAL_VERSION;
  random_token(start + 1, SM4_BLOCK_BYTES);
  sm4_ctr(enc, start + 1, pt, n, start + 1 + SM4_BLOCK_BYTES);
  seal_tag(mac, start, 1 + SM4_BLOCK_BYTES + n, aad, tag);
  memcpy(start + 1 + SM4_BLOCK_BYTES + n, tag, SM3_BYTES);
  out->len += n + SEAL_OVERHEAD;
  out->p[out->len] = 0;
  sodium_memzero(enc, sizeof enc);
  sodium_memzero(mac, sizeof mac);
}

int crypt_open(const Keys *k, const void *sealed, size_t n, const char *aad,
               Buf *out) {
  const unsigned char *s = sealed;
  unsigned char enc[SM3_BYTES], mac[SM3_BYTES], tag[SM3_BYTES];
  if (!aad) aad = "";
  if (!s || n < SEAL_OVERHEAD || s[0] != SEAL_VERSION) return -1;
  size_t ctlen = n - SEAL_OVERHEAD;
  seal_subkeys(k, enc, mac);
  seal_tag(mac, s, 1 + SM4_BLOCK_BYTES + ctlen, aad, tag);
  int bad = CRYPTO_memcmp(tag, s + n - SM3_BYTES, SM3_BYTES) != 0;
  if (!bad) {
    buf_grow(out, ctlen);
    sm4_ctr(enc, s + 1, s + 1 + SM4_BLOCK_BYTES, ctlen, out->p + out->len);
    out->len += ctlen;
    out->p[out->len] = 0;
  }
  sodium_memzero(enc, sizeof enc);
  sodium_memzero(mac, sizeof mac);
  return bad ? -1 : 0;
}

/* ---- key file ---- */

#define KEYFILE_MAGIC "jixun-keyfile 1"
#define KEYFILE_MAX 4096 /* a valid file is ~170 bytes */

void keys_wipe(Keys *k) { sodium_memzero(k, sizeof *k); }

/* Write all of data to fd; 0 or -1 with errno set. */
static int write_all(int fd, const char *data, size_t n) {
  while (n > 0) {
    ssize_t w = write(fd, data, n);
    if (w < 0) {
      if (errno == EINTR) continue;
      return -1;
    }
    data += w, n -= (size_t)w;
  }
  return 0;
}

int keyfile_create(const char *path, Buf *err) {
  Keys k;
  char audit_hex[2 * KEY_BYTES + 1], data_hex[2 * KEY_BYTES + 1];
  Buf text = BUF_INIT;
  int rc = -1;

  lib_need();
  /* O_EXCL: never overwrite a key file, since that would make every
  ** sealed value and the audit chain unreadable. */
  int fd =
      open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC | O_NOFOLLOW, 0600);
  if (fd < 0) {
    if (errno == EEXIST)
      buf_printf(err, "密钥文件 '%s' 已存在，拒绝覆盖", path);
    else
      buf_printf(err, "无法创建密钥文件 '%s'：%s", path, strerror(errno));
    return -1;
  }
  random_token(k.audit_mac_key, KEY_BYTES);
  random_token(k.data_key, KEY_BYTES);
  token_hex(k.audit_mac_key, KEY_BYTES, audit_hex);
  token_hex(k.data_key, KEY_BYTES, data_hex);
  buf_printf(&text, "%s\naudit-mac %s\ndata %s\n", KEYFILE_MAGIC, audit_hex,
             data_hex);
  /* fchmod: the process umask may not be 077, and 0600 is the contract. */
  if (fchmod(fd, 0600) != 0 || write_all(fd, text.p, text.len) != 0 ||
      fsync(fd) != 0) {
    buf_printf(err, "无法写入密钥文件 '%s'：%s", path, strerror(errno));
    close(fd);
    unlink(path);
  } else if (close(fd) != 0) {
    buf_printf(err, "无法写入密钥文件 '%s'：%s", path, strerror(errno));
    unlink(path);
  } else {
    rc = 0;
  }
  sodium_memzero(text.p, text.cap);
  buf_release(&text);
  sodium_memzero(audit_hex, sizeof audit_hex);
  sodium_memzero(data_hex, sizeof data_hex);
  keys_wipe(&k);
  return rc;
}

/* Parse the key file text (NUL-terminated) into out; 0 or -1 with err.
** Blank lines and lines starting with '#' are ignored; the magic line
** must come first; each key exactly once; nothing else. */
static int keyfile_parse(const char *path, char *text, Keys *out, Buf *err) {
  int seen_magic = 0, seen_audit = 0, seen_data = 0, lineno = 0;
  char *line = text;
  while (line && *line) {
    char *nl = strchr(line, '\n');
    if (nl) *nl = 0;
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r') line[--len] = 0;
    lineno++;
    if (len == 0 || line[0] == '#') {
      /* skip */
    } else if (!seen_magic) {
      if (!str_eq(line, KEYFILE_MAGIC)) {
        buf_printf(err, "'%s' 不是 jixun 密钥文件，或版本不受支持", path);
        return -1;
      }
      seen_magic = 1;
    } else if (str_starts(line, "audit-mac ") && !seen_audit) {
      if (hex_decode(line + 10, out->audit_mac_key, KEY_BYTES) != 0) goto bad;
      seen_audit = 1;
    } else if (str_starts(line, "data ") && !seen_data) {
      if (hex_decode(line + 5, out->data_key, KEY_BYTES) != 0) goto bad;
      seen_data = 1;
    } else {
      goto bad;
    }
    line = nl ? nl + 1 : NULL;
  }
  if (!seen_magic) {
    buf_printf(err, "'%s' 不是 jixun 密钥文件，或版本不受支持", path);
    return -1;
  }
  if (!seen_audit || !seen_data) {
    buf_printf(err, "密钥文件 '%s' 不完整（缺少 audit-mac 或 data）", path);
    return -1;
  }
  return 0;
bad:
  buf_printf(err, "密钥文件 '%s' 第 %d 行格式错误", path, lineno);
  return -1;
}

int keyfile_load(const char *path, Keys *out, Buf *err) {
  char text[KEYFILE_MAX + 1];
  size_t len = 0;
  int rc = -1;
  struct stat st;

  lib_need();
  keys_wipe(out);
  int fd = open(path, O_RDONLY | O_CLOEXEC);
  if (fd < 0) {
    buf_printf(err, "无法打开密钥文件 '%s'：%s", path, strerror(errno));
    return -1;
  }
  if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
    buf_printf(err, "密钥文件 '%s' 不是普通文件", path);
    goto done;
  }
  if (st.st_mode & 077) {
    buf_printf(err, "密钥文件权限过宽，应为 0600：'%s'（当前 %04o）", path,
               (unsigned)(st.st_mode & 07777));
    goto done;
  }
  for (;;) {
    ssize_t r = read(fd, text + len, KEYFILE_MAX + 1 - len);
    if (r < 0 && errno == EINTR) continue;
    if (r < 0) {
      buf_printf(err, "无法读取密钥文件 '%s'：%s", path, strerror(errno));
      goto done;
    }
    if (r == 0) break;
    len += (size_t)r;
    if (len > KEYFILE_MAX) {
      buf_printf(err, "密钥文件 '%s' 过大，格式错误", path);
      goto done;
    }
  }
  text[len] = 0;
  if (memchr(text, 0, len)) {
    buf_printf(err, "密钥文件 '%s' 格式错误", path);
    goto done;
  }
  rc = keyfile_parse(path, text, out, err);
done:
  close(fd);
  sodium_memzero(text, sizeof text);
  if (rc != 0) keys_wipe(out);
  return rc;
}

/* ---- passwords ---- */

/* argon2id of a random, forgotten password with exactly the PW_* cost.
** password_dummy_verify checks against it, so an unknown user costs one
** full verification without hashing anything at start-up.  The unit test
** checks it still matches PW_OPSLIMIT/PW_MEMLIMIT. */
static const char DUMMY_HASH[PW_HASH_BYTES] =
    "$argon2id$v=19$m=65536,t=3,p=1$E4oCKnPJH2jTHfzXdjmAHQ$"
    "Vq8dMxJ4y5LTfn0RQQ3AlsL9vcoBQYrakv8fAw2IJZs";

int password_hash(const char *pw, char out[PW_HASH_BYTES]) {
  lib_need();
  if (crypto_pwhash_str_alg(out, pw, strlen(pw), PW_OPSLIMIT,
                            (size_t)PW_MEMLIMIT,
                            crypto_pwhash_ALG_ARGON2ID13) != 0) {
    out[0] = 0;
    return -1;
  }
  return 0;
}

int password_verify(const char *hash, const char *pw) {
  lib_need();
  if (!hash || !str_starts(hash, "$argon2id$")) return -1;
  return crypto_pwhash_str_verify(hash, pw, strlen(pw)) == 0 ? 0 : -1;
}

void password_dummy_verify(const char *pw) {
  lib_need();
  /* volatile: the result is useless, but the work must happen. */
  volatile int r = crypto_pwhash_str_verify(DUMMY_HASH, pw, strlen(pw));
  (void)r;
}

int password_needs_rehash(const char *hash) {
  lib_need();
  return crypto_pwhash_str_needs_rehash(hash, PW_OPSLIMIT,
                                        (size_t)PW_MEMLIMIT) != 0;
}

const char *password_dummy_hash(void) { return DUMMY_HASH; }
