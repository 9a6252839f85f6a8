/* crypto.h: the key file, 国密 primitives (SM3, SM4) and passwords.
**
** SM3 and SM4 come from OpenSSL 3 libcrypto (EVP); randomness and
** argon2id from libsodium.  Nothing here logs key material.  The data
** keys live in a key file outside the database (DESIGN.md §3), so a copy
** of the database alone reveals no sealed text and cannot forge the
** audit chain.
**
** Failures of the libraries themselves (a provider without SM3, an
** allocation failure inside OpenSSL) are not something a caller can
** handle, so the void functions below abort through jx_fatal().
*/
#ifndef JX_CRYPTO_H
#define JX_CRYPTO_H

#include <sodium.h>
#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

/* Call once at start-up (it is also called lazily, so forgetting it is
** harmless).  Returns 0, or -1 when libsodium cannot initialise. */
int crypto_init(void);

/* ---- key file ----
** Text, one item per line:
**   jixun-keyfile 1
**   audit-mac <64 hex digits>
**   data <64 hex digits>
** Mode 0600; a file readable or writable by group or others is refused.
*/
#define KEY_BYTES 32

typedef struct Keys {
  unsigned char audit_mac_key[KEY_BYTES]; /* HMAC-SM3 key of the audit chain */
  unsigned char data_key[KEY_BYTES];      /* root of crypt_seal's subkeys */
} Keys;

/* Create a new key file with fresh random keys.  Refuses when path
** exists (O_EXCL).  0 on success; -1 with a Chinese message in err. */
int keyfile_create(const char *path, Buf *err);
/* Read and validate a key file into out.  0 on success; -1 with a Chinese
** message in err (out is wiped then).  Call keys_wipe() when done. */
int keyfile_load(const char *path, Keys *out, Buf *err);
/* Overwrite the keys with zeros (not optimised away). */
void keys_wipe(Keys *k);

/* ---- SM3 ---- */
#define SM3_BYTES 32
void sm3_hash(const void *msg, size_t n, unsigned char out[SM3_BYTES]);
/* HMAC-SM3 (GB/T 32905 digest in RFC 2104 HMAC). */
void hmac_sm3(const void *key, size_t klen, const void *msg, size_t n,
              unsigned char out[SM3_BYTES]);
/* SM3 of the string s as 64 lowercase hex digits; for storing hashed
** session and API tokens, which are random and need no salt. */
void sm3_hex(const char *s, char out[65]);

/* Incremental HMAC-SM3 for messages assembled from several parts (the
** audit chain).  Not thread-safe per object; free with hmac_sm3_free()
** even after _final. */
typedef struct HmacSm3 HmacSm3;
HmacSm3 *hmac_sm3_new(const void *key, size_t klen); /* never NULL */
void hmac_sm3_update(HmacSm3 *h, const void *data, size_t n);
void hmac_sm3_final(HmacSm3 *h, unsigned char out[SM3_BYTES]);
void hmac_sm3_free(HmacSm3 *h); /* NULL is fine */

/* ---- SM4 ----
** SM4-CTR with a 128-bit big-endian counter starting at iv (OpenSSL's
** "SM4-CTR").  Encrypting and decrypting are the same operation; out may
** equal in.  Exposed for the known-answer tests and for sealing. */
#define SM4_KEY_BYTES 16
#define SM4_BLOCK_BYTES 16
void sm4_ctr(const unsigned char key[SM4_KEY_BYTES],
             const unsigned char iv[SM4_BLOCK_BYTES], const void *in, size_t n,
             void *out);

/* ---- sealed data ----
** Sensitive text and attachments are stored sealed:
**   0x01 | iv (16 random bytes) | SM4-CTR ciphertext | tag (32 bytes)
** tag = HMAC-SM3(mac key, 0x01 || iv || ciphertext || aad || be64(|aad|))
** The SM4 key is HMAC-SM3(data_key, "jixun sm4 enc v1")[0..16) and the
** MAC key HMAC-SM3(data_key, "jixun sm3 mac v1").  The trailing length
** keeps the split between ciphertext and aad unambiguous.  aad binds
** the blob to its place (e.g. "clue.summary:42") so it cannot be moved
** to another row; NULL means "".  The version byte leaves room for
** SM4-GCM later. */
#define SEAL_VERSION 0x01
#define SEAL_OVERHEAD (1 + SM4_BLOCK_BYTES + SM3_BYTES)

/* Append the sealed form of pt[0..n) to out. */
void crypt_seal(const Keys *k, const void *pt, size_t n, const char *aad,
                Buf *out);
/* Append the plaintext of sealed[0..n) to out.  Returns 0, or -1 (out
** unchanged) when the blob was altered, truncated, sealed for another
** aad or key, or has an unknown version. */
int crypt_open(const Keys *k, const void *sealed, size_t n, const char *aad,
               Buf *out);

/* ---- passwords (argon2id, libsodium) ----
** The cost lives here and only here.  A hash records its own parameters,
** so raising them later still verifies old hashes; password_needs_rehash
** tells the login code to store a fresh one. */
#define PW_OPSLIMIT 3ULL
#define PW_MEMLIMIT (64ULL * 1024 * 1024)
#define PW_HASH_BYTES crypto_pwhash_STRBYTES

/* 0 on success; -1 when out of memory for the hash (out then ""). */
int password_hash(const char *pw, char out[PW_HASH_BYTES]);
/* 0 when pw matches hash; -1 otherwise (including a malformed hash). */
int password_verify(const char *hash, const char *pw);
/* Spend the time of a real verification and return nothing; call it when
** the login name is unknown, so timing does not reveal which names
** exist (SECURITY.md D5). */
void password_dummy_verify(const char *pw);
/* 1 when hash was made with other parameters than the current ones. */
int password_needs_rehash(const char *hash);
/* The fixed hash password_dummy_verify checks against (for the test that
** it still carries the current cost). */
const char *password_dummy_hash(void);

/* ---- tokens ---- */
/* n bytes from the system CSPRNG. */
void random_token(unsigned char *out, size_t n);
/* Lowercase hex of in[0..n) into out, which holds 2n+1 bytes. */
void token_hex(const unsigned char *in, size_t n, char *out);
/* Parse exactly 2*n hex digits of hex into out; 0 or -1. */
int hex_decode(const char *hex, unsigned char *out, size_t n);

#endif
