/* banned.h: functions that are too easy to misuse, made compile errors.
**
** In the spirit of git's banned.h: unbounded copies and non-reentrant
** helpers are replaced by buf_* (util/buf.h) and snprintf.  Included
** last by util/util.h so every translation unit sees it.
*/
#ifndef JX_BANNED_H
#define JX_BANNED_H

#define JX_BANNED(f) sorry_##f##_is_a_banned_function

#undef strcpy
#define strcpy(x, y) JX_BANNED(strcpy)
#undef strcat
#define strcat(x, y) JX_BANNED(strcat)
#undef strncpy
#define strncpy(x, y, n) JX_BANNED(strncpy)
#undef sprintf
#define sprintf(...) JX_BANNED(sprintf)
#undef vsprintf
#define vsprintf(...) JX_BANNED(vsprintf)
#undef gets
#define gets(x) JX_BANNED(gets)
#undef strtok
#define strtok(x, y) JX_BANNED(strtok)
#undef gmtime
#define gmtime(t) JX_BANNED(gmtime)
#undef localtime
#define localtime(t) JX_BANNED(localtime)

#endif
