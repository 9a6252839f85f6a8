// The clue figures (issue 5) over HTTP on the demo's clues: the page and
// /api/v1/figures are for the roles with P_CLUE_STATS only; every number
// links to the ledger filtered by its figure, the same filters and the
// row's group, and the ledger then counts exactly that number (for a
// person figure: the clues with such persons; for a ratio: its
// numerator); each figure's definition is printed under the table and
// names the settings' choices; bad parameters are refused naming them.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCliOk, demoAccounts, checkErrorShape } from './lib.mjs';
import { loginOk, call } from './authlib.mjs';

// The demo's stories run in 2026; seen from its last day of November some
// clues are overdue.
const NOW = '2026-11-30T02:00:00Z';
const ENV = { JIXUN_FAKE_NOW: NOW };
const CODES = ['transferred', 'received', 'concluded', 'concluded_rate', 'filed', 'filing_rate',
  'persons_filed', 'persons_sanctioned', 'persons_procuratorate', 'persons_detained', 'overdue'];

let srv, db;
const S = {};

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  const pw = await demoAccounts(db, { env: ENV });
  srv = await startServer({ db, env: ENV });
  for (const u of ['xcb', 'ags', 'cbbm', 'xcz_member']) S[u] = await loginOk(srv, u, pw[u]);
});

after(async () => {
  await srv?.stop();
  db?.cleanup();
});

async function figures(s, q = '') {
  const r = await call(srv, s, 'GET', `/api/v1/figures${q}`);
  assert.equal(r.status, 200, r.text.slice(0, 300));
  return r.data;
}

/** The ledger's total for a drill URL (API form). */
async function ledgerTotal(s, url) {
  const r = await call(srv, s, 'GET', `${url}&per_page=1`);
  assert.equal(r.status, 200, `${url}: ${r.text.slice(0, 300)}`);
  return r.data.total;
}

describe('figures', () => {
  it('are refused to roles without the statistics permission', async () => {
    for (const p of ['/api/v1/figures', '/clues/figures']) {
      const r = await call(srv, S.xcz_member, 'GET', p);
      assert.equal(r.status, 403, p);
    }
  });

  it('count the demo clues each viewer may see, with definitions', async () => {
    const d = await figures(S.xcb);
    assert.deepEqual(d.figures.map((f) => f.code), CODES);
    for (const f of d.figures) assert.match(f.definition, /[\u4e00-\u9fff]/);
    const fr = d.figures.find((f) => f.code === 'filing_rate');
    assert.match(fr.definition, /clue\.filing_rate_base = 1/);
    assert.match(d.figures.find((f) => f.code === 'concluded_rate').definition,
      /clue\.concluded_counts_parked = 0/);
    const v = d.total.values;
    // The demo transfers most of its thirty clues; some are overdue.
    assert.ok(v.transferred >= 20 && v.transferred <= 30, `transferred ${v.transferred}`);
    assert.ok(v.overdue > 0 && v.concluded > 0 && v.filed > 0 && v.persons_detained > 0);
    assert.equal(v.concluded_rate.numerator, v.concluded);
    assert.equal(v.concluded_rate.denominator, v.transferred);
    assert.equal(v.concluded_rate.percent, Math.round((1000 * v.concluded) / v.transferred) / 10);
    // The handling office sees fewer: only what was assigned to it.
    const c = (await figures(S.cbbm)).total.values;
    assert.ok(c.transferred > 0 && c.transferred < v.transferred, `cbbm ${c.transferred}`);
  });

  it('every number is the ledger count of its click-through', async () => {
    for (const [who, q] of [['xcb', ''], ['xcb', '?group=round'], ['ags', '?group=unit'],
      ['cbbm', '?group=team&from=2026-04-01&to=2026-06-30'], ['xcb', '?group=jurisdiction']]) {
      const d = await figures(S[who], q);
      for (const row of [...d.rows, d.total]) {
        for (const code of CODES) {
          const link = row.drill[code];
          assert.ok(link, `${who}${q} ${row.label} ${code}: a link`);
          assert.match(link.page, /^\/clues\?fig=/);
          const val = row.values[code];
          const kind = d.figures.find((f) => f.code === code).kind;
          if (kind === 'persons') continue; // persons, not clues
          const want = typeof val === 'object' ? val.numerator : val;
          assert.equal(await ledgerTotal(S[who], link.api), want, `${who}${q} ${row.label} ${code}`);
          // The HTML ledger the page links to counts the same clues.
          const h = await call(srv, S[who], 'GET', link.page);
          assert.equal(h.status, 200);
          const m = /id="ledger-total">(\d+)</.exec(h.text);
          assert.ok(m, `${link.page}: a total`);
          assert.equal(Number(m[1]), want, `${who}${q} ${row.label} ${code} (HTML ${link.page})`);
        }
      }
    }
  });

  it('a group row links with its group filter', async () => {
    const d = await figures(S.xcb, '?group=round');
    assert.ok(d.rows.length >= 2);
    for (const row of d.rows) assert.match(row.drill.transferred.api, new RegExp(`[?&]round=${row.key}(&|$)`));
    assert.doesNotMatch(d.total.drill.transferred.api, /round=/);
  });

  it('the page prints the table, the links and the definitions under it', async () => {
    const r = await call(srv, S.xcb, 'GET', '/clues/figures?group=round&from=2026-01-01');
    assert.equal(r.status, 200);
    const t = r.text;
    for (const code of CODES) assert.match(t, new RegExp(`<dt id="def-${code}">`));
    assert.match(t, /<dl class="definitions"/);
    assert.ok(t.indexOf('id="figures"') < t.indexOf('id="figure-definitions"'), 'definitions under the table');
    assert.match(t, /href="\/clues\?fig=transferred&amp;round=\d+&amp;from=2026-01-01"/);
    assert.match(t, /<tr class="total">/);
    assert.match(t, /成案率/);
  });

  it('bad parameters are refused naming them', async () => {
    for (const [q, field] of [['?from=2026-13-01', 'from'], ['?to=x', 'to'], ['?group=sector', 'group'],
      ['?round=abc', 'round'], ['?jurisdiction=..', 'jurisdiction']]) {
      const r = await call(srv, S.xcb, 'GET', `/api/v1/figures${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(checkErrorShape(r.data, assert).field, field);
    }
    const r = await call(srv, S.xcb, 'GET', '/clues/figures?from=2026-13-01');
    assert.equal(r.status, 200);
    assert.match(r.text, /YYYY-MM-DD/);
  });
});
