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
  int64_t min, max;     /* allowed range for integer settings */
  const char *label;    /* Chinese label */
  const char *source;   /* the rule or practice behind the default */
} SettingDef;

extern const SettingDef setting_defs[];
extern const size_t n_setting_defs;

/* The value of an integer setting: stored value or the default. */
int64_t setting_int(Db *db, const char *key);
/* Store a new value after checking it against the definition.  Returns
** 0, or -1 with a Chinese reason in err. */
int setting_put(Db *db, const char *key, const char *value, Buf *err);
/* Check value against key's definition without storing it (to validate a
** whole form before saving any of it).  0, or -1 with a Chinese reason. */
int setting_check(const char *key, const char *value, Buf *err);
const SettingDef *setting_def(const char *key);

#endif
