/* totp.h: time-based one-time passwords (RFC 6238) for the second factor.
**
** HMAC-SHA1, 30-second steps, 6 digits: the parameters every
** authenticator app accepts without configuration.  Secrets travel to
** the app as base32 (RFC 4648) inside an otpauth:// URI.  Replay is the
** caller's job: totp_verify() reports the step it matched, and the login
** code stores the last accepted step per user and refuses any code whose
** step is not greater (SECURITY.md A4).
*/
#ifndef JX_TOTP_H
#define JX_TOTP_H

#include <stddef.h>
#include <stdint.h>

#include "util/util.h"

#define TOTP_STEP 30         /* seconds per step */
#define TOTP_DIGITS 6        /* digits the app shows */
#define TOTP_SECRET_BYTES 20 /* 160 bits, RFC 4226's recommendation */
#define TOTP_MAX_WINDOW 10   /* larger windows are clamped */

/* Fill out with a fresh random secret. */
void totp_new_secret(unsigned char out[TOTP_SECRET_BYTES]);

/* Append the base32 form of in[0..n) to out, upper case, no padding. */
void base32_encode(const unsigned char *in, size_t n, Buf *out);
/* Decode base32 s (either case; spaces and trailing '=' ignored) into
** out[0..cap); *outlen gets the byte count.  0, or -1 on a character
** outside the alphabet or when out is too small. */
int base32_decode(const char *s, unsigned char *out, size_t cap,
                  size_t *outlen);

/* The HOTP value (RFC 4226) of counter, as digits (1..9) decimal digits
** with leading zeros, into out[digits+1]. */
void hotp_code(const unsigned char *secret, size_t n, uint64_t counter,
               int digits, char *out);
/* The TOTP code for time t (step floor(t/30)), as hotp_code. */
void totp_code(const unsigned char *secret, size_t n, jx_time t, int digits,
               char *out);

/* Check a 6-digit code against the steps floor(now/30) ± window.
** Returns 0 on a match and stores the matched step in *matched_step
** (may be NULL); -1 when code is malformed or matches no step.  The
** caller must still reject a step ≤ the last step it accepted. */
int totp_verify(const unsigned char *secret, size_t n, const char *code,
                jx_time now, int window, int64_t *matched_step);

/* Append the provisioning URI for an authenticator app:
** otpauth://totp/ISSUER:ACCOUNT?secret=B32&issuer=ISSUER&algorithm=SHA1
** &digits=6&period=30, with issuer and account percent-encoded (UTF-8
** is fine: apps show it as is).  The URI holds the secret: show it once
** (as a QR code) and never log it. */
void totp_uri(const char *issuer, const char *account,
              const unsigned char *secret, size_t n, Buf *out);

#endif
