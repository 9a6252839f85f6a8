/* settings.h: run-time settings with defaults and the rule each follows.
**
** Every tunable figure of the system (password policy, timeouts, later
** the deadline parameters where the public rules disagree) is one row of
** the table in settings.c: key, default, Chinese label, and the source
** the default comes from — so the UI can name the rule it applied.
*/
#ifndef JX_SETTINGS_H
#define JX_SETTINGS_H

#include "store/store.h"

typedef struct SettingDef {
  const char *key;      /* "auth.lockout_failures" */
  const char *def;      /* default value, as text */
  int64_t min, max;     /* allowed range for integer settings; for text
                           settings the length range in characters */
  const char *label;    /* Chinese label */
  const char *source;   /* the rule or practice behind the default */
  int text;             /* 1: a text setting (setting_text), else integer */
} SettingDef;

#define SETTING_TEXT_MAX 256 /* bytes of a text setting's value, NUL included */

extern const SettingDef setting_defs[];
extern const size_t n_setting_defs;

/* The value of an integer setting: stored value or the default. */
int64_t setting_int(Db *db, const char *key);
/* The value of a text setting (stored value or the default) into out[n].
** Returns the length, or -1 when it does not fit (out is then the
** default, cut at a character boundary). */
int setting_text(Db *db, const char *key, char *out, size_t n);
/* The current value of any setting as text (integers in decimal). */
void setting_value(Db *db, const SettingDef *d, char out[SETTING_TEXT_MAX]);
/* Store a new value after checking it against the definition.  Returns
** 0, or -1 with a Chinese reason in err. */
int setting_put(Db *db, const char *key, const char *value, Buf *err);
/* Check value against key's definition without storing it (to validate a
** whole form before saving any of it).  0, or -1 with a Chinese reason. */
int setting_check(const char *key, const char *value, Buf *err);
const SettingDef *setting_def(const char *key);

#endif
