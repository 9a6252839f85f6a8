// Pages show instants in 北京时间 (UTC+8), forms read dates and times as
// 北京时间, and the JSON APIs keep ISO-8601 UTC. The clock is pinned at
// 2026-11-30T16:30:00Z, which is already 2026-12-01 00:30 in Beijing, so
// every answer that used the UTC day would be visibly wrong.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, freshDatabase, runCliOk, demoAccounts } from './lib.mjs';
import { loginOk, call } from './authlib.mjs';

const NOW = '2026-11-30T16:30:00Z';
const LOCAL = '2026-12-01 00:30';
const ENV = { JIXUN_FAKE_NOW: NOW };

let srv, db, pw;
const s = {};

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc], { env: ENV });
  pw = await demoAccounts(db, { env: ENV });
  srv = await startServer({ db, env: ENV });
  for (const u of ['xcb', 'auditor', 'sysadmin']) s[u] = await loginOk(srv, u, pw[u]);
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

describe('北京时间 on pages', () => {
  it('/me lists the sessions with their times in 北京时间', async () => {
    const r = await call(srv, s.xcb, 'GET', '/me');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes('<th>登录时间（北京时间）</th>'), 'the column says 北京时间');
    assert.ok(r.text.includes(`<td>${LOCAL}</td>`), r.text.slice(0, 3000));
    assert.ok(!r.text.includes('2026-11-30'), 'no UTC date anywhere');
    assert.ok(!r.text.includes('（UTC）'));
  });

  it('the home page shows the previous login in 北京时间', async () => {
    const again = await loginOk(srv, 'xcb', pw.xcb);
    const r = await call(srv, again, 'GET', '/');
    assert.equal(r.status, 200);
    assert.ok(r.text.includes(`上次登录：${LOCAL}（北京时间）`), r.text.slice(0, 3000));
  });

  it('the JSON API keeps ISO-8601 UTC', async () => {
    const r = await call(srv, s.auditor, 'GET', '/api/v1/audit?action=session.login&per_page=5');
    assert.equal(r.status, 200);
    assert.ok(r.data.items.length > 0);
    for (const i of r.data.items) assert.equal(i.at, NOW);
  });
});

describe('audit search and export by the 北京时间 day', () => {
  const total = async (q) => {
    const r = await call(srv, s.auditor, 'GET', `/api/v1/audit?action=session.login&${q}`);
    assert.equal(r.status, 200, r.text);
    return r.data.total;
  };

  it('a date is a day in Beijing: today is 2026-12-01, not the UTC 2026-11-30', async () => {
    const all = await total('');
    assert.ok(all >= 3);
    assert.equal(await total('from=2026-12-01&to=2026-12-01'), all);
    assert.equal(await total('to=2026-11-30'), 0);
    assert.equal(await total('from=2026-12-01T00:30&to=2026-12-01%2000:30'), all, 'datetime-local minute');
    assert.equal(await total('from=2026-12-01T00:31'), 0);
    assert.equal(await total(`from=${NOW}&to=${NOW}`), all, 'ISO UTC with Z still works');
    const page = await call(srv, s.auditor, 'GET', '/audit?action=session.login&from=2026-12-01');
    assert.equal(page.status, 200);
    assert.ok(page.text.includes('<th>时间（北京时间）</th>'));
    assert.ok(page.text.includes(`<time datetime="${NOW}">${LOCAL}:00</time>`), page.text.slice(0, 4000));
  });

  it('the CSV export writes 北京时间 and is named by the Beijing day', async () => {
    const r = await call(srv, s.auditor, 'GET', '/audit/export.csv?action=session.login');
    assert.equal(r.status, 200);
    assert.equal(r.headers.get('content-disposition'), 'attachment; filename="audit-20261201.csv"');
    const lines = r.text.replace(/^\uFEFF/, '').split('\r\n');
    assert.ok(lines[0].startsWith('编号,时间（北京时间）,'), lines[0]);
    assert.ok(lines.slice(1, -1).every((l) => l.includes(`,${LOCAL}:00,`)), lines.join('\n'));
  });
});

describe('dates typed into forms are 北京时间', () => {
  it('an account expiry is the end of that day in Beijing', async () => {
    // 2026-11-30 ended in Beijing half an hour ago (it is still that day in UTC).
    const past = await call(srv, s.sysadmin, 'POST', '/api/v1/users',
      { json: { login: 'bj.past', display_name: '北京时间', expires_on: '2026-11-30' } });
    assert.equal(past.status, 422, past.text);
    const ok = await call(srv, s.sysadmin, 'POST', '/admin/users',
      { form: { login: 'bj.today', display_name: '北京时间', expires_on: '2026-12-01' } });
    assert.equal(ok.status, 200, ok.text.slice(0, 500));
    const list = await call(srv, s.sysadmin, 'GET', '/api/v1/users?q=bj.today');
    const u = list.data.items[0];
    assert.equal(u.expires_at, '2026-12-01T16:00:00Z', 'usable through 2026-12-01 北京时间');
    const page = await call(srv, s.sysadmin, 'GET', `/admin/users/${u.id}`);
    assert.match(page.text, /value="2026-12-01"/, 'the form shows the same day back');
    assert.ok(page.text.includes(`<dd>${LOCAL}（北京时间）</dd>`), 'created, in 北京时间');
  });
});
