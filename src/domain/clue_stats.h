/* clue_stats.h: the ledger's figures (移交数, 办结率, 成案率 …).
**
** Each figure is one row of clue_figures[] (clue_stats.c): a code, a
** Chinese label, its definition as printed beside it, and whether it is a
** count of clues, a count of persons or a ratio.  The counts are computed
** over exactly the clues the viewer may see (need-to-know in SQL) and a
** figure's click-through is the ledger filtered with ClueFilter.fig =
** its code, which applies the same predicate — one definition, two uses.
**
** Where DOMAIN.md §6.4 says no official definition exists, the choice is
** a setting and the definition text names the rule applied:
**   clue.filing_rate_base      成案率 denominator: 1 = clues transferred
**                              to the commission (default), 2 = all
**                              transferred clues;
**   clue.concluded_counts_parked  办结 includes 暂存待查: 0 (default) | 1.
*/
#ifndef JX_CLUE_STATS_H
#define JX_CLUE_STATS_H

#include "domain/clue.h"

typedef struct ClueFigure {
  const char *code;       /* "transferred", "concluded_rate" … */
  const char *label;      /* 办结率 */
  const char *kind;       /* "clues" | "persons" | "ratio" */
  const char *definition; /* printed beside the figure */
  const char *drill;      /* ClueFilter.fig for the click-through (for a
                             ratio: its numerator's code) */
} ClueFigure;

extern const ClueFigure clue_figures[];
extern const size_t n_clue_figures;
const ClueFigure *clue_figure(const char *code);

/* The definition of code as it applies under the current settings (the
** ratio definitions name the settings' choices).  Into out. */
void clue_figure_definition(Db *db, const ClueFigure *f, Buf *out);

/* Grouping: "round" | "unit" | "team" | "jurisdiction" | "" (one total). */
typedef struct ClueStatRow {
  char *key;    /* the group's id or code as text ("" for the total) */
  char *label;  /* its name */
  int64_t value[16]; /* by index into clue_figures (count figures; ratios
                        are computed by clue_stat_ratio) */
} ClueStatRow;

void clue_stat_rows_free(ClueStatRow *r, size_t n);

/* The figures for v over the clues matching f (its fig is ignored),
** grouped by group, largest groups first, plus the total as the last
** row.  CLUE_OK with *out. */
ClueResult clue_stats(Db *db, const ClueViewer *v, const ClueFilter *f,
                      const char *group, ClueStatRow **out, size_t *n);

/* A ratio figure's value in row as numerator/denominator (both out);
** returns the percentage × 10 (e.g. 456 = 45.6 %), or -1 when the
** denominator is 0. */
int clue_stat_ratio(const ClueFigure *f, const ClueStatRow *row,
                    int64_t *num, int64_t *den);

#endif
