-- 0014_clue_ledger_drive.sql: the ledger's driven forms (stmts.def,
-- CLUE_LEDGER_DRIVE): with a state or round filter and a viewer who may
-- see most clues, the ledger walks the filter's clues in transferred_on
-- order and probes each one's access list.  These indexes serve the
-- filter and the default order together, and carry every column the
-- ledger's filters read (not the text q searches), so counting and
-- picking a page's ids never read the clue rows with their 主要事实
-- (kilobytes each).  Measured at 100,000 clues, 88,000 visible: the count
-- of one state 91 ms → 14 ms, the page's ids 4 ms → 0.2 ms.  Either one
-- also serves CLUE_LEDGER_COUNT_WIDE (a viewer who sees most clues, no
-- such filter), which scans it instead of reading each visible clue's
-- row: 106 ms → 58 ms.
CREATE INDEX clue_ledger_state ON clue(state, transferred_on, id,
  jurisdiction_code, round_id, unit_id, team_id, destination,
  handling_office, kind, received_on, concluded_on, n_filed, n_sanctioned,
  n_procuratorate, n_detained, next_due_on);
CREATE INDEX clue_ledger_round ON clue(round_id, transferred_on, id,
  jurisdiction_code, state, unit_id, team_id, destination,
  handling_office, kind, received_on, concluded_on, n_filed, n_sanctioned,
  n_procuratorate, n_detained, next_due_on);
