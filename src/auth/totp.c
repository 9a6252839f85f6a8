/* totp.c: RFC 6238 TOTP over RFC 4226 HOTP, base32 and otpauth URIs
** (see totp.h). */
#include "auth/totp.h"

#include <openssl/evp.h>
#include <sodium.h>

#include "auth/crypto.h"

#define SHA1_BYTES 20

void totp_new_secret(unsigned char out[TOTP_SECRET_BYTES]) {
  random_token(out, TOTP_SECRET_BYTES);
}

/* ---- base32 (RFC 4648 §6) ---- */

static const char B32[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ234567";

void base32_encode(const unsigned char *in, size_t n, Buf *out) {
  uint32_t acc = 0; /* bits not yet emitted, low `bits` bits valid */
  int bits = 0;
  for (size_t i = 0; i < n; i++) {
    acc = (acc << 8) | in[i];
    bits += 8;
    while (bits >= 5) {
      buf_putc(out, B32[(acc >> (bits - 5)) & 31]);
      bits -= 5;
    }
  }
  if (bits > 0) buf_putc(out, B32[(acc << (5 - bits)) & 31]);
  sodium_memzero(&acc, sizeof acc);
}

int base32_decode(const char *s, unsigned char *out, size_t cap,
                  size_t *outlen) {
  uint32_t acc = 0;
  int bits = 0, rc = 0;
  size_t n = 0;
  int padding = 0; /* '=' seen: only more '=' or spaces may follow */
  for (; *s; s++) {
    char c = *s;
    int v;
    if (c == ' ') continue;
    if (c == '=') {
      padding = 1;
      continue;
    }
    if (padding) {
      rc = -1;
      break;
    }
    if (c >= 'A' && c <= 'Z')
      v = c - 'A';
    else if (c >= 'a' && c <= 'z')
      v = c - 'a';
    else if (c >= '2' && c <= '7')
      v = c - '2' + 26;
    else {
      rc = -1;
      break;
    }
    acc = (acc << 5) | (uint32_t)v;
    bits += 5;
    if (bits >= 8) {
      if (n == cap) {
        rc = -1;
        break;
      }
      out[n++] = (unsigned char)(acc >> (bits - 8));
      bits -= 8;
    }
  }
  sodium_memzero(&acc, sizeof acc);
  *outlen = rc == 0 ? n : 0;
  return rc;
}

/* ---- HOTP / TOTP ---- */

void hotp_code(const unsigned char *secret, size_t n, uint64_t counter,
               int digits, char *out) {
  unsigned char msg[8], mac[SHA1_BYTES];
  size_t maclen = 0;
  if (digits < 1 || digits > 9) jx_fatal("hotp: bad digit count %d", digits);
  for (int i = 0; i < 8; i++) msg[i] = (unsigned char)(counter >> (56 - 8 * i));
  if (!EVP_Q_mac(NULL, "HMAC", NULL, "SHA1", NULL, secret, n, msg, sizeof msg,
                 mac, sizeof mac, &maclen) ||
      maclen != SHA1_BYTES)
    jx_fatal("HMAC-SHA1 failed");
  /* Dynamic truncation, RFC 4226 §5.3. */
  int off = mac[SHA1_BYTES - 1] & 0x0f;
  uint32_t bin = (uint32_t)(mac[off] & 0x7f) << 24 |
                 (uint32_t)mac[off + 1] << 16 | (uint32_t)mac[off + 2] << 8 |
                 (uint32_t)mac[off + 3];
  uint32_t mod = 1;
  for (int i = 0; i < digits; i++) mod *= 10;
  uint32_t v = bin % mod;
  for (int i = digits - 1; i >= 0; i--) {
    out[i] = (char)('0' + v % 10);
    v /= 10;
  }
  out[digits] = 0;
  sodium_memzero(mac, sizeof mac);
}

void totp_code(const unsigned char *secret, size_t n, jx_time t, int digits,
               char *out) {
  hotp_code(secret, n, t < 0 ? 0 : (uint64_t)t / TOTP_STEP, digits, out);
}

int totp_verify(const unsigned char *secret, size_t n, const char *code,
                jx_time now, int window, int64_t *matched_step) {
  char want[TOTP_DIGITS + 1];
  int64_t found = -1;
  if (!code || strlen(code) != TOTP_DIGITS || now < 0) return -1;
  for (int i = 0; i < TOTP_DIGITS; i++)
    if (code[i] < '0' || code[i] > '9') return -1;
  if (window < 0) window = 0;
  if (window > TOTP_MAX_WINDOW) window = TOTP_MAX_WINDOW;
  int64_t step = now / TOTP_STEP;
  /* Try every step of the window (no early exit) and keep the earliest
  ** match: a later step would only make a false replay refusal likelier. */
  for (int64_t s = step - window; s <= step + window; s++) {
    if (s < 0) continue;
    hotp_code(secret, n, (uint64_t)s, TOTP_DIGITS, want);
    if (mem_ct_cmp(want, code, TOTP_DIGITS) == 0 && found < 0) found = s;
  }
  sodium_memzero(want, sizeof want);
  if (found < 0) return -1;
  if (matched_step) *matched_step = found;
  return 0;
}

/* Percent-encode everything but RFC 3986 unreserved characters. */
static void uri_escape(Buf *out, const char *s) {
  static const char hex[] = "0123456789ABCDEF";
  for (; *s; s++) {
    unsigned char c = (unsigned char)*s;
    if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
        (c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
        c == '~') {
      buf_putc(out, (char)c);
    } else {
      buf_putc(out, '%');
      buf_putc(out, hex[c >> 4]);
      buf_putc(out, hex[c & 15]);
    }
  }
}

void totp_uri(const char *issuer, const char *account,
              const unsigned char *secret, size_t n, Buf *out) {
  buf_puts(out, "otpauth://totp/");
  uri_escape(out, issuer);
  buf_putc(out, ':');
  uri_escape(out, account);
  buf_puts(out, "?secret=");
  base32_encode(secret, n, out);
  buf_puts(out, "&issuer=");
  uri_escape(out, issuer);
  buf_printf(out, "&algorithm=SHA1&digits=%d&period=%d", TOTP_DIGITS,
             TOTP_STEP);
}
