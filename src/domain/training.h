/* training.h: joint training (同堂培训) sessions and training records.
**
** The seed article's 同堂培训提能: commission (纪委), inspection (巡察)
** and audit (审计) cadres learn together in one class, their leaders
** lecturing in turn.  A session has a title, a date, its length in hours
** (stored as minutes), lecturers from those three sides and attendees
** from the staff pool; a staff member's training record is the sessions
** they attended, and a team view shows whether each member has one.
*/
#ifndef JX_TRAINING_H
#define JX_TRAINING_H

#include <stdint.h>

#include "domain/rounds.h"
#include "store/store.h"
#include "util/util.h"

typedef struct TrainingSide {
  const char *code;  /* training_lecturer.side */
  const char *label; /* 纪委 | 巡察 | 审计 */
} TrainingSide;

extern const TrainingSide training_sides[];
extern const size_t n_training_sides;

/* Chinese label of a side code, or NULL when unknown. */
const char *training_side_label(const char *code);

#define TRAINING_TITLE_MAX 80   /* characters */
#define TRAINING_MAX_MINUTES (200 * 60)

/* Parse hours as typed ("3", "1.5", "0.25": at most two decimals) into
** whole minutes, 1 … TRAINING_MAX_MINUTES.  0 or -1. */
int training_parse_hours(const char *s, int64_t *minutes);
/* Minutes as hours without trailing zeros ("1.5", "3") into out[32]. */
void training_hours_text(int64_t minutes, char out[32]);

typedef struct TrainingIn {
  const char *title;
  const char *date;  /* 'YYYY-MM-DD' */
  const char *hours; /* as typed */
} TrainingIn;

/* Check a session's input; *minutes gets the length.  0, or -1 with a
** Chinese reason in err and *field naming the input. */
int training_check(const TrainingIn *in, int64_t *minutes, Buf *err,
                   const char **field);

/* ---- sessions in the database ---- */

/* A lecturer as typed: name and side code. */
typedef struct TrainingLecturerIn {
  const char *name, *side;
} TrainingLecturerIn;

/* Create a session in jurisdiction (the caller checked the user's scope)
** with its lecturers (at least one).  ROUND_OK and *id, or an error with
** *field naming the input ("lecturers" for the list). */
RoundResult training_create(Db *db, int64_t user_id, const TrainingIn *in,
                            const char *jurisdiction,
                            const TrainingLecturerIn *lecturers, size_t n,
                            int64_t *id, const char **field, Buf *err);
/* Record that staff_id attended session id (of jurisdiction jur: the
** staff member must belong to it or below). */
RoundResult training_add_attendee(Db *db, int64_t id, const char *jur,
                                  int64_t staff_id, Buf *err);

#endif
