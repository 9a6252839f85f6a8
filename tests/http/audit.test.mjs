// The auditor's interface to the audit trail: the search page, the JSON
// API, CSV/XLSX export and the chain check — for the auditor only (三员:
// sysadmin, secadmin and business users get 403), each use audited itself.
// Runs on a demo database with a fixed clock, so dates are known.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { startServer, freshDatabase, runCliOk, checkErrorShape, CJK, BACKEND } from './lib.mjs';

const NOW = '2026-01-15T08:00:00Z';
const DAY = '2026-01-15';
const LOCAL = '2026-01-15 16:00'; // NOW in 北京时间 (UTC+8)
const ENV = { JIXUN_FAKE_NOW: NOW };
const FORMULA_LOGIN = '=HYPERLINK("http://x")';

let srv, db;
const pw = {};   // demo login → password
const who = {};  // demo login → {cookie, csrf, id}

async function login(user, password) {
  const res = await srv.fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  const body = await res.json();
  return { res, body };
}

async function loginOk(user) {
  const { res, body } = await login(user, pw[user]);
  assert.equal(res.status, 200, `login ${user}: ${JSON.stringify(body)}`);
  const cookie = res.headers.get('set-cookie').split(';')[0];
  return { cookie, csrf: body.csrf_token, id: body.user.id };
}

/** GET as a demo user (or anonymous when user is null). */
function get(user, p) {
  const headers = user ? { Cookie: who[user].cookie } : {};
  return srv.fetch(p, { headers });
}

async function getText(user, p, status = 200) {
  const res = await get(user, p);
  const text = await res.text();
  assert.equal(res.status, status, `GET ${p} as ${user}: ${text.slice(0, 400)}`);
  return { res, text };
}

async function api(user, query = '') {
  const { res, text } = await getText(user, `/api/v1/audit${query}`);
  assert.match(res.headers.get('content-type'), /^application\/json\b/);
  return JSON.parse(text);
}

/** Rows of the HTML result table. */
function tableRows(html) {
  return [...html.matchAll(/<tr id="a\d+">[\s\S]*?<\/tr>/g)].map((m) => m[0]);
}

function run(cmd, args) {
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 30_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${args.join(' ')}: ${err.message}\n${stderr}`)); else resolve(stdout);
    });
  });
}

/** Edit one audit row behind the application's back, past its guards,
 * as someone with direct database access could. */
async function tamper(id) {
  if (BACKEND === 'sqlite') {
    await run('sqlite3', [db.loc, 'DROP TRIGGER audit_log_no_update;' +
      `UPDATE audit_log SET summary = summary || 'x' WHERE id = ${id};`]);
  } else {
    await run('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', db.loc, '-c',
      'ALTER TABLE audit_log DISABLE TRIGGER audit_log_guard;' +
      `UPDATE audit_log SET summary = summary || 'x' WHERE id = ${id};`]);
  }
}

function unzipMember(file, member) {
  return new Promise((resolve, reject) => {
    execFile('unzip', ['-p', file, member], { maxBuffer: 64 << 20 }, (err, stdout) => {
      if (err) reject(err); else resolve(stdout);
    });
  });
}

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc], { env: ENV });
  const out = (await runCliOk(['demo', '--db', db.loc], { timeoutMs: 120_000, cwd: db.dir, env: ENV })).stdout;
  for (const m of out.matchAll(/^\s+(\S+)\s+(\S+)\s+\S*·/gm)) pw[m[1]] = m[2];
  for (const u of ['auditor', 'sysadmin', 'secadmin', 'xcb']) assert.ok(pw[u], `demo password for ${u} in:\n${out}`);
  srv = await startServer({ db, env: ENV });
  // Earlier events for the auditor to find: two failed logins, then
  // successful ones.
  assert.equal((await login('xcb', 'wrong-password-1')).res.status, 401);
  assert.equal((await login(FORMULA_LOGIN, 'whatever-123')).res.status, 401);
  for (const u of ['auditor', 'sysadmin', 'secadmin', 'xcb']) who[u] = await loginOk(u);
});

after(async () => {
  try {
    await srv?.stop();
  } finally {
    db?.cleanup();
  }
});

const HTML_ROUTES = ['/audit', '/audit?outcome=failed', '/audit/export.csv', '/audit/export.xlsx'];

describe('who may see the audit trail', () => {
  it('anonymous: pages redirect to the login form, the API answers 401', async () => {
    for (const p of HTML_ROUTES) {
      const res = await get(null, p);
      await res.arrayBuffer();
      assert.equal(res.status, 303, p);
      assert.match(res.headers.get('location'), /^\/login/, p);
    }
    const res = await get(null, '/api/v1/audit');
    assert.equal(res.status, 401);
    checkErrorShape(await res.json(), assert);
    const v = await srv.fetch('/audit/verify', {
      method: 'POST', headers: { 'Content-Type': 'application/x-www-form-urlencoded' }, body: 'csrf=x',
    });
    await v.arrayBuffer();
    assert.ok([303, 401, 403].includes(v.status), `POST /audit/verify anonymous → ${v.status}`);
  });

  for (const user of ['sysadmin', 'secadmin', 'xcb']) {
    it(`${user} gets 403 on every audit route, HTML and API`, async () => {
      for (const p of HTML_ROUTES) {
        const { res, text } = await getText(user, p, 403);
        assert.match(res.headers.get('content-type'), /^text\/html/, p);
        assert.match(text, /无权访问/, p);
        assert.doesNotMatch(text, /登录失败：/, `${p}: no audit content leaks`);
      }
      const { text } = await getText(user, '/api/v1/audit', 403);
      assert.equal(checkErrorShape(JSON.parse(text), assert).code, 'forbidden');
      const v = await srv.fetch('/audit/verify', {
        method: 'POST',
        headers: { Cookie: who[user].cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
        body: `csrf=${who[user].csrf}`,
      });
      assert.equal(v.status, 403, `POST /audit/verify as ${user}`);
      assert.doesNotMatch(await v.text(), /审计链完整/);
      // No navigation entry either.
      const home = (await getText(user, '/')).text;
      assert.doesNotMatch(home, /href="\/audit"/, 'no 审计 entry in the navigation');
    });
  }

  it('the refusals are themselves in the trail (denied audit.read by sysadmin)', async () => {
    const r = await api('auditor', '?action=audit.read&outcome=denied&user=sysadmin');
    assert.ok(r.total >= 1, JSON.stringify(r));
    assert.ok(r.items.every((i) => i.login === 'sysadmin' && i.outcome === 'denied'));
    const e = await api('auditor', '?action=audit.export&outcome=denied&user=secadmin');
    assert.ok(e.total >= 2, 'both export routes refused to secadmin are recorded');
  });
});

describe('the search page', () => {
  it('shows earlier login events, newest first, with a total and the 审计 navigation entry', async () => {
    const { res, text } = await getText('auditor', '/audit');
    assert.match(res.headers.get('content-type'), /^text\/html/);
    assert.match(text, /href="\/audit"/);
    assert.match(text, /符合条件的记录共 <strong>\d+<\/strong> 条/);
    for (const h of ['时间（北京时间）', '用户', '角色', '来源地址', '操作', '对象', '结果', '摘要']) {
      assert.ok(text.includes(`<th>${h}</th>`), `column ${h}`);
    }
    const rows = tableRows(text);
    assert.ok(rows.length >= 6, `rows: ${rows.length}`);
    assert.ok(rows.some((r) => r.includes('登录成功') && r.includes('sysadmin')), 'sysadmin login shown');
    assert.ok(rows.some((r) => r.includes('登录失败：用户名或密码错误') && r.includes('xcb')), 'failed login shown');
    assert.ok(rows.some((r) => r.includes(`<time datetime="${NOW}">${LOCAL}:00</time>`)),
      '北京时间 shown, the UTC instant kept in the datetime attribute');
    assert.ok(text.includes('开始日期（北京时间）'), 'the date inputs say 北京时间');
    const ids = rows.map((r) => Number(/id="a(\d+)"/.exec(r)[1]));
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    // The select offers the known actions with Chinese labels.
    for (const a of ['session.login', 'access.denied', 'audit.purge', 'audit.export', 'token.create', 'user.create']) {
      assert.ok(text.includes(`<option value="${a}"`), `action option ${a}`);
    }
    assert.match(text, /<option value="session.login">登录（session.login）<\/option>/);
    // Export links keep the filter; the chain check has its form.
    assert.match(text, /href="\/audit\/export\.csv"/);
    assert.match(text, /href="\/audit\/export\.xlsx"/);
    assert.match(text, /action="\/audit\/verify"/);
  });

  it('outcome=failed shows the failed logins and nothing else', async () => {
    const { text } = await getText('auditor', '/audit?outcome=failed');
    const rows = tableRows(text);
    assert.ok(rows.length >= 2);
    assert.ok(rows.every((r) => r.includes('outcome-failed') && r.includes('失败')), 'only failures');
    assert.ok(rows.some((r) => r.includes('=HYPERLINK(&quot;http://x&quot;)')), 'the odd login, escaped');
    assert.ok(!rows.some((r) => r.includes('登录成功')));
    assert.match(text, /<option value="failed" selected>失败<\/option>/, 'the form keeps the filter');
    assert.match(text, /href="\/audit\/export\.csv\?outcome=failed"/, 'export link keeps the filter');
    const two = (await getText('auditor', '/audit?user=xcb&outcome=failed')).text;
    assert.match(two, /href="\/audit\/export\.xlsx\?user=xcb&amp;outcome=failed"/);
  });

  it('user=… shows only that login', async () => {
    const { text } = await getText('auditor', '/audit?user=xcb');
    const rows = tableRows(text);
    assert.ok(rows.length >= 2, 'failed and successful login of xcb');
    assert.ok(rows.every((r) => r.includes('<td>xcb</td>')));
    assert.match(text, /name="user" maxlength="200" value="xcb"/);
  });

  it('pages hold 50 rows, with links that keep the filter', async () => {
    // Each API read is an audit.read row of its own.
    for (let i = 0; i < 55; i++) await api('auditor', '?per_page=1');
    const p1 = (await getText('auditor', '/audit?action=audit.read')).text;
    assert.equal(tableRows(p1).length, 50);
    assert.match(p1, /第 1 \/ \d+ 页/);
    assert.match(p1, /href="\/audit\?action=audit\.read&amp;page=2" rel="next"/);
    const p2 = (await getText('auditor', '/audit?action=audit.read&page=2')).text;
    assert.ok(tableRows(p2).length >= 5);
    assert.match(p2, /第 2 \/ \d+ 页/);
    assert.match(p2, /href="\/audit\?action=audit\.read" rel="prev"/);
    const far = (await getText('auditor', '/audit?page=999999')).text;
    assert.equal(tableRows(far).length, 0);
    assert.match(far, /本页没有记录/);
  });

  const BAD = [
    ['from=2026-13-01', /开始日期/],
    ['from=2026-02-30', /开始日期/],
    ['to=yesterday', /结束日期/],
    ['from=1999-12-31', /开始日期/],
    ['from=2026-01-16&to=2026-01-15', /开始日期不能晚于结束日期/],
    ['outcome=maybe', /结果/],
    ['object_id=-1', /对象编号/],
    ['object_id=abc', /对象编号/],
    ['action=DROP%20TABLE', /操作类型/],
    ['object_type=%3Cx%3E', /对象类型/],
    ['user=a%01b', /登录名/],
    ['page=0', /页码/],
  ];
  for (const [q, msg] of BAD) {
    it(`bad filter ${q} → 400 with a Chinese message (page, API and export)`, async () => {
      const { text } = await getText('auditor', `/audit?${q}`, 400);
      assert.match(text, /class="notice error"/);
      assert.match(text, msg);
      assert.equal(tableRows(text).length, 0);
      if (q.startsWith('page=')) return; // the API pages with api_paging
      const j = await getText('auditor', `/api/v1/audit?${q}`, 400);
      const e = checkErrorShape(JSON.parse(j.text), assert);
      assert.equal(e.code, 'bad_parameter');
      assert.equal(e.field, q.split('=')[0]);
      const x = await getText('auditor', `/audit/export.csv?${q}`, 400);
      assert.match(x.text, CJK);
    });
  }

  it('a bad filter is recorded as a failed read', async () => {
    await getText('auditor', '/audit?from=2026-99-99', 400);
    const r = await api('auditor', '?action=audit.read&outcome=failed');
    assert.ok(r.items.some((i) => i.summary.includes('开始日期格式不正确')), JSON.stringify(r.items[0]));
  });
});

describe('GET /api/v1/audit', () => {
  it('returns {items, total, page, per_page} with every field', async () => {
    const r = await api('auditor', '?per_page=5&page=1');
    assert.deepEqual(Object.keys(r).sort(), ['items', 'page', 'per_page', 'total']);
    assert.equal(r.page, 1);
    assert.equal(r.per_page, 5);
    assert.equal(r.items.length, 5);
    assert.ok(r.total >= 8);
    for (const i of r.items) {
      assert.deepEqual(Object.keys(i).sort(), ['action', 'at', 'id', 'login', 'object_id', 'object_type',
        'outcome', 'role', 'source', 'summary', 'user_id'].sort());
      assert.equal(i.at, NOW);
      assert.ok(['ok', 'denied', 'failed'].includes(i.outcome));
      assert.equal(typeof i.id, 'number');
      assert.equal(typeof i.user_id, 'number');
      assert.equal(typeof i.object_id, 'number');
    }
    const ids = r.items.map((i) => i.id);
    assert.deepEqual(ids, [...ids].sort((a, b) => b - a), 'newest first');
    const p2 = await api('auditor', '?per_page=5&page=2');
    assert.equal(p2.total, r.total + 1, 'the first read is now in the trail too');
    assert.equal(p2.items.length, 5);
  });

  it('filters: action + outcome, login, object, dates', async () => {
    const failed = await api('auditor', '?action=session.login&outcome=failed');
    assert.ok(failed.total >= 2);
    assert.ok(failed.items.every((i) => i.action === 'session.login' && i.outcome === 'failed'));
    assert.ok(failed.items.some((i) => i.login === FORMULA_LOGIN));

    const xcb = await api('auditor', '?user=xcb&per_page=200');
    assert.ok(xcb.total >= 2);
    assert.ok(xcb.items.every((i) => i.login === 'xcb'));

    const obj = await api('auditor', `?object_type=user&object_id=${who.sysadmin.id}`);
    assert.ok(obj.total >= 1);
    assert.ok(obj.items.every((i) => i.object_type === 'user' && i.object_id === who.sysadmin.id));
    assert.ok(obj.items.some((i) => i.action === 'session.login' && i.login === 'sysadmin'));

    const all = (await api('auditor', '?action=session.login')).total;
    assert.equal((await api('auditor', `?action=session.login&from=${DAY}&to=${DAY}`)).total, all);
    assert.equal((await api('auditor', `?action=session.login&from=${NOW}&to=${NOW}`)).total, all,
      'a datetime bound includes its own second');
    assert.equal((await api('auditor', '?action=session.login&to=2026-01-14')).total, 0);
    assert.equal((await api('auditor', '?action=session.login&from=2026-01-16')).total, 0);
    assert.equal((await api('auditor', '?action=session.login&from=2026-01-15T08:00:01Z')).total, 0);
    // Bounds without Z are 北京时间, to the minute (as a datetime-local input sends them).
    assert.equal((await api('auditor', '?action=session.login&from=2026-01-15T16:00&to=2026-01-15%2016:00')).total, all);
    assert.equal((await api('auditor', '?action=session.login&to=2026-01-15T15:59')).total, 0);
    assert.equal((await api('auditor', '?action=session.login&from=2026-01-15T16:01')).total, 0);
    await getText('auditor', '/audit?from=2026-01-15T16:00Z', 400);
    assert.equal((await api('auditor', '?action=no.such.action')).total, 0);
  });

  it('bad paging → 400', async () => {
    for (const q of ['page=0', 'per_page=201', 'per_page=x']) {
      const { text } = await getText('auditor', `/api/v1/audit?${q}`, 400);
      checkErrorShape(JSON.parse(text), assert);
    }
  });
});

describe('export', () => {
  it('CSV: attachment, BOM, Chinese header, every matching row, formulas neutralised, audited', async () => {
    const before = (await api('auditor', '?action=audit.export&outcome=ok')).total;
    const want = (await api('auditor', '?outcome=failed&per_page=200')).total;
    const res = await get('auditor', '/audit/export.csv?outcome=failed');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'), 'text/csv; charset=utf-8');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="audit-20260115.csv"');
    const buf = Buffer.from(await res.arrayBuffer());
    assert.deepEqual([...buf.subarray(0, 3)], [0xef, 0xbb, 0xbf], 'UTF-8 BOM');
    const lines = buf.subarray(3).toString('utf8').split('\r\n');
    assert.equal(lines.pop(), '', 'ends with CRLF');
    assert.equal(lines[0], '编号,时间（北京时间）,用户编号,用户,角色,来源地址,操作代码,操作,对象类型,对象编号,结果,摘要');
    assert.equal(lines.length - 1, want, 'one line per matching row');
    assert.ok(lines.slice(1).every((l) => l.includes(',失败,')));
    assert.ok(lines.some((l) => l.includes(`,${LOCAL}:00,`) && l.includes(',xcb,')), '北京时间 in the CSV');
    // The typed login "=HYPERLINK(…)" is a text cell starting with "=":
    // quoted (it holds quotes) and prefixed with a single quote.
    assert.ok(lines.some((l) => l.includes('"\'=HYPERLINK(""http://x"")"')), lines.join('\n'));
    const after = await api('auditor', '?action=audit.export&outcome=ok');
    assert.equal(after.total, before + 1, 'the export is audited once');
    const rec = after.items[0];
    assert.equal(rec.login, 'auditor');
    assert.equal(rec.role, 'auditor');
    assert.match(rec.summary, /CSV/);
    assert.match(rec.summary, /结果=失败/);
    assert.ok(rec.summary.includes(`共 ${want} 条`), rec.summary);
  });

  it('XLSX: attachment, a zip with the sheet and the rows, audited', async () => {
    const before = (await api('auditor', '?action=audit.export')).total;
    const res = await get('auditor', '/audit/export.xlsx?user=xcb');
    assert.equal(res.status, 200);
    assert.equal(res.headers.get('content-type'),
      'application/vnd.openxmlformats-officedocument.spreadsheetml.sheet');
    assert.equal(res.headers.get('content-disposition'), 'attachment; filename="audit-20260115.xlsx"');
    const buf = Buffer.from(await res.arrayBuffer());
    assert.equal(buf.subarray(0, 2).toString('latin1'), 'PK');
    const file = path.join(db.dir, 'audit.xlsx');
    writeFileSync(file, buf);
    const sheet = await unzipMember(file, 'xl/worksheets/sheet1.xml');
    assert.ok(sheet.includes('摘要'), 'Chinese header');
    assert.ok(sheet.includes('登录失败：用户名或密码错误'), 'the failed login of xcb');
    assert.ok(sheet.includes('xcb'));
    assert.ok(!sheet.includes('sysadmin'), 'only the filtered login');
    const book = await unzipMember(file, 'xl/workbook.xml');
    assert.ok(book.includes('name="审计记录"'));
    const after = await api('auditor', '?action=audit.export');
    assert.equal(after.total, before + 1);
    assert.match(after.items[0].summary, /XLSX.*登录名=xcb/);
  });

  it('an export with a bad filter is refused and recorded as failed', async () => {
    await getText('auditor', '/audit/export.xlsx?to=2026-1-1', 400);
    const r = await api('auditor', '?action=audit.export&outcome=failed');
    assert.ok(r.total >= 1);
    assert.match(r.items[0].summary, /结束日期/);
  });
});

describe('the chain check', () => {
  it('POST /audit/verify says 完整 with the row count, and is audited', async () => {
    const total = (await api('auditor', '?per_page=1')).total + 1; // + this read
    const res = await srv.fetch('/audit/verify', {
      method: 'POST',
      headers: { Cookie: who.auditor.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${who.auditor.csrf}`,
    });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 400));
    const m = /审计链完整：共校验 (\d+) 条记录/.exec(text);
    assert.ok(m, text);
    assert.ok(Number(m[1]) >= total, `${m[1]} rows checked, at least ${total} recorded`);
    const r = await api('auditor', '?action=audit.verify&user=auditor');
    assert.equal(r.total, 1);
    assert.equal(r.items[0].outcome, 'ok');
    assert.match(r.items[0].summary, /完整/);
  });

  it('without the CSRF token → 403, nothing checked', async () => {
    const res = await srv.fetch('/audit/verify', {
      method: 'POST',
      headers: { Cookie: who.auditor.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: 'csrf=0000',
    });
    const text = await res.text();
    assert.equal(res.status, 403);
    assert.doesNotMatch(text, /审计链完整/);
    const r = await api('auditor', '?action=audit.verify&outcome=denied&user=auditor');
    assert.equal(r.total, 1);
    assert.match(r.items[0].summary, /csrf/);
  });

  it('an edited row is named as the first broken one (and the check is audited)', async () => {
    await tamper(3);
    const res = await srv.fetch('/audit/verify', {
      method: 'POST',
      headers: { Cookie: who.auditor.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: `csrf=${who.auditor.csrf}`,
    });
    const text = await res.text();
    assert.equal(res.status, 200, text.slice(0, 400));
    assert.match(text, /审计链校验未通过：第 3 条记录异常——记录内容与校验值不符（记录被改动）/);
    assert.match(text, /此前已逐条核对 2 条记录无误/);
    assert.doesNotMatch(text, /审计链完整/);
    const r = await api('auditor', '?action=audit.verify&user=auditor&outcome=ok');
    assert.equal(r.total, 2);
    assert.match(r.items[0].summary, /未通过，第 3 条/);
  });
});
