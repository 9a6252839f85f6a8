// Evidence for the audit trail (issue 3; SECURITY.md C1–C4, C6) against a
// real server, on SQLite or PostgreSQL per JIXUN_TEST_BACKEND:
//   (a) logins, a password change, a logout, a denial and administrative
//       create/update/delete/export each leave a record with the right
//       action, outcome, login, role, source address, object and summary,
//       and no record and no server log line holds a password or token;
//   (b) `jixun audit verify` counts an intact chain, and names the row
//       after a one-byte edit, a deleted middle row, two swapped rows and
//       a deleted last row, made directly in the database past the guards
//       (sqlite3 / psql, as someone with file or superuser access could);
//   (c) through an ordinary connection UPDATE, DELETE and TRUNCATE of the
//       audit tables are refused by the database triggers;
//   (d) fail closed: while the chain head is broken, so that no audit
//       record can be written, state changes answer 500 and are rolled back;
//   (e) every route of `jixun routes` with an audit action leaves exactly
//       one record per request, allowed or refused (C1), counted in the
//       table itself.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFileSync, existsSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import {
  startServer, freshDatabase, runCli, runCliOk, demoAccounts, checkErrorShape, BACKEND,
} from './lib.mjs';
import {
  routeTable, policyTable, expectedAccess, rolesFor, concretePath, isLogout, loginOk, call,
} from './authlib.mjs';

const PG = BACKEND === 'postgresql';

// ---------- direct database access (sqlite3 / psql) ----------

/** Runs SQL text on loc with the backend's own client; resolves
 * {code, stdout, stderr} (never rejects on an SQL error). Rows come out
 * as lines of '|'-separated values on both. */
function sqlRun(loc, text) {
  const [cmd, args] = PG
    ? ['psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', loc, '-c', text]]
    : ['sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', loc, text]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000, maxBuffer: 64 << 20 }, (err, stdout, stderr) => {
      if (err && typeof err.code !== 'number') reject(err); // not started, killed
      else resolve({ code: err ? err.code : 0, stdout, stderr });
    });
  });
}

async function sql(loc, text) {
  const r = await sqlRun(loc, text);
  if (r.code !== 0) throw new Error(`SQL failed (${r.code}): ${text}\n${r.stderr}`);
  return r.stdout;
}

async function sqlValue(loc, text) {
  return (await sql(loc, text)).trim();
}

/** SQL for a blob column as lowercase hex. */
const hexOf = (col) => (PG ? `encode(${col}, 'hex')` : `lower(hex(${col}))`);

/** Every audit row, every column, in id order: one string to compare. */
function auditDump(loc) {
  return sql(loc, 'SELECT id, at, user_id, login, role, source_addr, action, object_type, ' +
    `object_id, outcome, summary, ${hexOf('prev_mac')}, ${hexOf('mac')} FROM audit_log ORDER BY id`);
}

async function auditCount(loc) {
  return Number(await sqlValue(loc, 'SELECT COUNT(*) FROM audit_log'));
}

/** SQL that switches off the audit guards for the rest of the script: what
 * the owner of the file, or a PostgreSQL superuser, can always do. */
const BYPASS = PG
  ? 'ALTER TABLE audit_log DISABLE TRIGGER ALL; ALTER TABLE audit_head DISABLE TRIGGER ALL; '
  : 'DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; ' +
    'DROP TRIGGER audit_head_no_delete; DROP TRIGGER audit_head_forward_only; ';

const quote = (s) => `'${s.replaceAll("'", "''")}'`;

/** A copy of database db ({loc, dir}) that nothing is connected to, for
 * one destructive experiment: {loc}. */
async function cloneDb(db, name) {
  if (!PG) {
    const loc = path.join(db.dir, `${name}.db`);
    copyFileSync(db.loc, loc);
    if (existsSync(db.loc + '-wal')) copyFileSync(db.loc + '-wal', loc + '-wal');
    return { loc };
  }
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)\/([^?]+)(\?.*)?$/.exec(db.loc);
  assert.ok(m, `cannot parse ${db.loc}`);
  const clone = `${m[2]}_${name}`;
  await sql(db.loc.replace(`/${m[2]}`, '/postgres'), `CREATE DATABASE ${clone} TEMPLATE ${m[2]}`);
  return { loc: `${m[1]}/${clone}${m[3] || ''}` };
}

/** `jixun audit verify` on loc with key: {code, stdout, stderr, rows, bad}. */
async function verify(loc, key) {
  const r = await runCli(['audit', 'verify', '--db', loc, '--key', key]);
  const ok = /审计链完整：(\d+) 条记录/.exec(r.stdout);
  const bad = /审计链在第 (\d+) 条记录处断开：(\S+)/.exec(r.stdout);
  return { ...r, rows: ok ? Number(ok[1]) : null, bad: bad ? Number(bad[1]) : null, why: bad?.[2] };
}

// ---------- HTTP clients ----------

class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.token = ''; this.csrf = ''; }

  async login(username, password) {
    const res = await this.srv.fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (res.status === 200) {
      this.cookie = res.headers.get('set-cookie').split(';')[0];
      this.token = this.cookie.slice(this.cookie.indexOf('=') + 1);
      this.csrf = json.csrf_token;
      this.id = json.user.id;
    }
    return { status: res.status, json, text };
  }

  async api(method, p, body) {
    const headers = { Cookie: this.cookie, 'X-CSRF-Token': this.csrf };
    if (body !== undefined) headers['Content-Type'] = 'application/json';
    const res = await this.srv.fetch(p, {
      method, headers, body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* CSV, HTML */ }
    return { status: res.status, json, text, res };
  }
}

async function loggedIn(srv, login, password) {
  const c = new Client(srv);
  const r = await c.login(login, password);
  assert.equal(r.status, 200, `login ${login}: ${r.text}`);
  assert.ok(c.token.length >= 32, `a session token in ${c.cookie}`);
  return c;
}

/** Every audit record through GET /api/v1/audit (newest first), with the
 * raw JSON text of every page read. */
async function auditApiAll(auditor, query = '') {
  const items = [];
  let text = '';
  for (let page = 1; ; page++) {
    const r = await auditor.api('GET', `/api/v1/audit?per_page=200&page=${page}${query}`);
    assert.equal(r.status, 200, r.text);
    text += r.text;
    items.push(...r.json.items);
    if (items.length >= r.json.total || r.json.items.length === 0) break;
  }
  return { items, text };
}

// A password that meets the default policy (10+ characters, 3 classes) and
// is unique to this run, so finding it anywhere means it leaked.
const canaryPassword = (tag) => `Cp#${tag}-${randomBytes(9).toString('hex')}`;

/** Registers before/after hooks that give the enclosing describe a fresh
 * database with the demo accounts and a server on it: {db, srv, pw}. */
function withDemoServer() {
  const env = {};
  before(async () => {
    env.db = await freshDatabase();
    await runCliOk(['init', '--db', env.db.loc]);
    env.pw = await demoAccounts(env.db);
    env.srv = await startServer({ db: env.db });
  });
  after(async () => {
    try { await env.srv?.stop(); } finally { env.db?.cleanup(); }
  });
  return env;
}

// ---------- (a)–(c): one demo server ----------

describe('audit records of a session (HTTP), verified and tampered with', () => {
  let db, srv, pw, xcb, admin, sec, auditor;
  const secrets = {};   // name → value that must never be recorded or logged
  let newUser;          // the account created by the sysadmin
  let marks = {};       // audit ids around the actions

  const env = withDemoServer();
  before(() => ({ db, srv, pw } = env));

  it('(a) failed login, login, password change, logout, denial, create, update, delete and export are each recorded', async () => {
    auditor = await loggedIn(srv, 'auditor', pw.auditor);
    const lastId = async () => {
      const r = await auditor.api('GET', '/api/v1/audit?per_page=1');
      return r.json.items[0]?.id ?? 0;
    };
    marks.start = await lastId();

    // A failed login, then the real one.
    secrets.wrong = canaryPassword('wrong');
    const bad = await new Client(srv).login('xcb', secrets.wrong);
    assert.equal(bad.status, 401);
    xcb = await loggedIn(srv, 'xcb', pw.xcb);

    // The password change, first without the CSRF token (refused), then right.
    secrets.newPw = canaryPassword('new');
    const noCsrf = await srv.fetch('/api/v1/me/password', {
      method: 'POST',
      headers: { Cookie: xcb.cookie, 'Content-Type': 'application/json' },
      body: JSON.stringify({ old_password: pw.xcb, new_password: secrets.newPw }),
    });
    assert.equal(noCsrf.status, 403);
    await noCsrf.arrayBuffer();
    const ch = await xcb.api('POST', '/api/v1/me/password', { old_password: pw.xcb, new_password: secrets.newPw });
    assert.equal(ch.status, 204, ch.text);

    // A denial: the business user asks for the account list.
    const denied = await xcb.api('GET', '/api/v1/users');
    assert.equal(denied.status, 403);

    // Logout.
    const out = await xcb.api('DELETE', '/api/v1/session');
    assert.equal(out.status, 204, out.text);

    // Administrative create and update (sysadmin), delete (secadmin).
    admin = await loggedIn(srv, 'sysadmin', pw.sysadmin);
    const login = `evid_${randomBytes(3).toString('hex')}`;
    const cr = await admin.api('POST', '/api/v1/users', { login, display_name: '证据测试员' });
    assert.equal(cr.status, 201, cr.text);
    newUser = cr.json.user;
    secrets.temporary = cr.json.temporary_password;
    assert.ok(secrets.temporary?.length >= 10);
    const lock = await admin.api('POST', `/api/v1/users/${newUser.id}/lock`, {});
    assert.equal(lock.status, 200, lock.text);
    sec = await loggedIn(srv, 'secadmin', pw.secadmin);
    const grant = await sec.api('POST', '/api/v1/role-grants', { user_id: newUser.id, role: 'xcz_member' });
    assert.ok([200, 201].includes(grant.status), grant.text);
    const revoke = await sec.api('DELETE', `/api/v1/role-grants/${newUser.id}/xcz_member`);
    assert.ok([200, 204].includes(revoke.status), revoke.text);

    // An export.
    const csv = await auditor.api('GET', '/audit/export.csv?user=xcb');
    assert.equal(csv.status, 200);

    for (const [k, c] of Object.entries({ xcb, admin, sec, auditor })) {
      secrets[`cookie_${k}`] = c.token;
      secrets[`csrf_${k}`] = c.csrf;
    }
    for (const u of ['xcb', 'sysadmin', 'secadmin', 'auditor']) secrets[`pw_${u}`] = pw[u];

    // Now read what was recorded.
    const { items } = await auditApiAll(auditor);
    const since = items.filter((i) => i.id > marks.start).reverse(); // oldest first
    const find = (what, pred) => {
      const hit = since.find(pred);
      assert.ok(hit, `an audit record for ${what} among:\n${JSON.stringify(since, null, 1)}`);
      return hit;
    };
    const common = (rec, what) => {
      assert.equal(rec.source, '127.0.0.1', `${what}: source address`);
      assert.match(rec.at, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/, `${what}: time`);
      assert.ok(rec.summary.length > 0, `${what}: a summary`);
    };
    const xcbId = xcb.id;

    let r = find('the failed login', (i) => i.action === 'session.login' && i.outcome === 'failed' && i.login === 'xcb');
    common(r, 'failed login');
    assert.equal(r.object_type, 'user');
    assert.equal(r.object_id, xcbId);
    assert.match(r.summary, /登录失败/);

    r = find('the login', (i) => i.action === 'session.login' && i.outcome === 'ok' && i.login === 'xcb');
    common(r, 'login');
    assert.equal(r.user_id, xcbId);
    assert.equal(r.object_type, 'user');
    assert.equal(r.object_id, xcbId);
    assert.match(r.summary, /登录成功/);
    assert.match(r.role, /\bxcb\b/, 'a login records the roles it will act under');

    r = find('the refused password change (no CSRF token)',
      (i) => i.action === 'user.password_change' && i.outcome === 'denied');
    common(r, 'password change without CSRF');
    assert.equal(r.login, 'xcb');
    assert.match(r.summary, /csrf/);

    r = find('the password change', (i) => i.action === 'user.password_change' && i.outcome === 'ok');
    common(r, 'password change');
    assert.equal(r.login, 'xcb');
    assert.equal(r.user_id, xcbId);
    assert.match(r.role, /\bxcb\b/, 'the role acted under');
    assert.equal(r.object_type, 'user', 'the account whose password changed');
    assert.equal(r.object_id, xcbId);

    r = find('the denial', (i) => i.outcome === 'denied' && i.login === 'xcb' && i.summary.includes('/api/v1/users'));
    common(r, 'denial');
    assert.equal(r.action, 'access.denied');
    assert.match(r.role, /\bxcb\b/);

    r = find('the logout', (i) => i.action === 'session.logout' && i.login === 'xcb');
    common(r, 'logout');
    assert.equal(r.outcome, 'ok');
    assert.equal(r.user_id, xcbId);
    assert.match(r.role, /\bxcb\b/);
    assert.equal(r.object_type, 'user', 'the account that logged out');
    assert.equal(r.object_id, xcbId);

    r = find('the account creation', (i) => i.action === 'user.create');
    common(r, 'create');
    assert.deepEqual([r.outcome, r.login, r.role, r.object_type, r.object_id],
      ['ok', 'sysadmin', 'sysadmin', 'user', newUser.id]);
    assert.ok(r.summary.includes(login), r.summary);

    r = find('the lock', (i) => i.action === 'user.lock');
    common(r, 'update');
    assert.deepEqual([r.outcome, r.login, r.object_type, r.object_id], ['ok', 'sysadmin', 'user', newUser.id]);

    r = find('the role revocation', (i) => i.action === 'role.revoke');
    common(r, 'delete');
    assert.deepEqual([r.outcome, r.login, r.role, r.object_type, r.object_id],
      ['ok', 'secadmin', 'secadmin', 'user', newUser.id]);
    assert.match(r.summary, /xcz_member/);

    r = find('the export', (i) => i.action === 'audit.export');
    common(r, 'export');
    assert.deepEqual([r.outcome, r.login, r.role], ['ok', 'auditor', 'auditor']);
    assert.match(r.summary, /CSV/);
  });

  it('(a) no audit record (API, export or table) and no server log line holds a password, session token or CSRF token', async () => {
    assert.ok(Object.keys(secrets).length >= 14, 'the previous test collected the secrets');
    const { text: apiText } = await auditApiAll(auditor);
    const csv = (await auditor.api('GET', '/audit/export.csv')).text;
    const table = await auditDump(db.loc);
    assert.ok(table.includes('session.login') && apiText.includes('session.login') && csv.includes('session.login'),
      'the three views do hold the records');
    await srv.waitForStderr(/\/audit\/export\.csv/);
    for (const [name, value] of Object.entries(secrets)) {
      assert.ok(value && value.length >= 10, `${name} is a real value`);
      for (const [where, text] of [['the audit API', apiText], ['the CSV export', csv],
        ['the audit_log table', table], ['the server log', srv.stderr], ['the server stdout', srv.stdout]]) {
        assert.ok(!text.includes(value), `${name} (${value}) found in ${where}`);
      }
    }
  });

  it('(a) repeated wrong passwords lock the account, and every attempt, the refused ones included, is recorded', async () => {
    const before = (await auditApiAll(auditor, '&user=ags&action=session.login')).items.length;
    const statuses = [];
    for (let i = 0; i < 7; i++) statuses.push((await new Client(srv).login('ags', canaryPassword(`lock${i}`))).status);
    assert.ok(statuses.includes(423), `a lockout among ${statuses}`);
    assert.equal((await new Client(srv).login('ags', pw.ags)).status, 423, 'even the right password, while locked');
    const rows = (await auditApiAll(auditor, '&user=ags&action=session.login')).items;
    assert.equal(rows.length - before, 8, 'one record per attempt');
    assert.ok(rows.slice(0, 8).every((r) => r.outcome === 'failed' && r.source === '127.0.0.1'));
    assert.ok(rows.some((r) => /锁定/.test(r.summary)), JSON.stringify(rows.map((r) => r.summary)));
  });

  it('(a) CR/LF cannot forge a line: not in an audit record (login typed), not in the log (request path)', async () => {
    const forged = 'FORGED-' + randomBytes(4).toString('hex');
    const r = await new Client(srv).login(`evil\r\n${forged} session.login ok`, 'whatever-Pw-1');
    assert.equal(r.status, 401);
    const res = await srv.fetch(`/no-such-page%0D%0A${forged}-path`);
    await res.arrayBuffer();
    assert.ok(await srv.waitForStderr(/no-such-page/));
    const rec = (await auditApiAll(auditor, '&action=session.login&outcome=failed')).items.find((i) => i.login.includes(forged));
    assert.ok(rec, 'the failed login is recorded');
    assert.ok(!/[\r\n]/.test(rec.login), JSON.stringify(rec.login));
    assert.match(rec.login, /\\x0d\\x0a/, 'the control characters are shown escaped');
    for (const line of srv.stderr.split('\n')) assert.ok(!line.startsWith(forged), `a forged log line: ${line}`);
    const table = await auditDump(db.loc);
    for (const line of table.split('\n')) assert.ok(!line.startsWith(forged), `a forged line in the table dump: ${line}`);
  });

  it('(c) an ordinary connection cannot UPDATE, DELETE or TRUNCATE audit rows or the chain head', async () => {
    const before = await auditDump(db.loc);
    const head = await sql(db.loc, `SELECT first_id, last_id, ${hexOf('head_mac')} FROM audit_head`);
    const attempts = [
      ["UPDATE audit_log SET summary = 'rewritten' WHERE id = 2", /audit_log is append-only/],
      ["UPDATE audit_log SET outcome = 'ok' WHERE outcome = 'failed'", /audit_log is append-only/],
      ['DELETE FROM audit_log WHERE id = 2', /audit_log is append-only/],
      ['DELETE FROM audit_log', /audit_log is append-only/],
      ['DELETE FROM audit_head', /audit_head (cannot be deleted|is append-only)/],
      ['UPDATE audit_head SET last_id = last_id - 1', /audit_head (only moves forward|is append-only)/],
    ];
    if (PG) {
      attempts.push(['TRUNCATE audit_log', /audit_log is append-only/]);
      attempts.push(['TRUNCATE audit_head', /audit_head is append-only/]);
    }
    for (const [stmt, msg] of attempts) {
      const r = await sqlRun(db.loc, stmt);
      assert.notEqual(r.code, 0, `${stmt} was accepted`);
      assert.match(r.stderr, msg, `${stmt}: ${r.stderr}`);
    }
    assert.equal(await auditDump(db.loc), before, 'no audit row changed');
    assert.equal(await sql(db.loc, `SELECT first_id, last_id, ${hexOf('head_mac')} FROM audit_head`), head);
  });

  it('(c) no CLI command changes audit rows: an older backup cannot be restored over them; init and migrate leave them be', async () => {
    const file = path.join(db.dir, 'older.backup');
    await runCliOk(['backup', '--db', db.loc, '--out', file], { timeoutMs: 120_000 });
    assert.equal((await auditor.api('GET', '/api/v1/audit?per_page=1')).status, 200); // one more record
    const before = await auditDump(db.loc);
    const r = await runCli(['restore', '--db', db.loc, '--from', file], { timeoutMs: 120_000 });
    assert.notEqual(r.code, 0, r.stdout);
    assert.match(r.stderr, /拒绝覆盖/);
    await runCliOk(['init', '--db', db.loc]);
    await runCliOk(['migrate', '--db', db.loc]);
    const help = (await runCliOk(['help'])).stdout;
    assert.deepEqual([...help.matchAll(/^\s+jixun audit\s+(.*)$/gm)].map((m) => m[1].split(' ')[0]), ['verify|retention'],
      'audit has two subcommands, verify and retention');
    assert.equal((await runCli(['audit', 'purge', '--db', db.loc])).code, 2);
    // The retention job removes only what is older than the retention
    // period (at least 180 days): here, nothing, and it writes nothing.
    const kept = await runCliOk(['audit', 'retention', '--db', db.loc]);
    assert.match(kept.stdout, /已清理 0 条超过保留期（3650 天）的审计记录/);
    assert.equal(await auditDump(db.loc), before, 'no audit row changed');
  });

  it('(c) no route can change or delete audit rows: the only audit route that writes is POST /audit/verify', async () => {
    const routes = (await runCliOk(['routes'])).stdout.trim().split('\n').map((l) => l.split('\t'));
    const audit = routes.filter(([, p]) => /audit/.test(p));
    assert.ok(audit.length >= 5, `audit routes in:\n${routes.join('\n')}`);
    const writing = audit.filter(([m]) => m !== 'GET').map(([m, p]) => `${m} ${p}`);
    assert.deepEqual(writing, ['POST /audit/verify']);
  });

  describe('(b) jixun audit verify', () => {
    let key, total, last;

    before(async () => {
      // Stop the server, so that the database can be copied (PostgreSQL
      // needs a template nobody is connected to).
      await srv.stop();
      srv = null;
      key = db.key;
      total = await auditCount(db.loc);
      last = Number(await sqlValue(db.loc, 'SELECT MAX(id) FROM audit_log'));
      assert.ok(total >= 15, `enough rows to tamper with: ${total}`);
      assert.equal(last, total, 'ids run from 1 without gaps');
    });

    it('an intact chain: exit 0 and the number of rows', async () => {
      const v = await verify(db.loc, key);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.equal(v.rows, total, v.stdout);
      assert.match(v.stdout, new RegExp(`链尾：第 ${last} 条记录，校验值 [0-9a-f]{64}`));
    });

    it('one byte of one summary edited → non-zero, that row named; the byte put back → intact again', async () => {
      const c = await cloneDb(db, 'edit');
      // A row in the middle whose summary has an ASCII letter: flip its case.
      const rows = (await sql(c.loc, `SELECT id, summary FROM audit_log WHERE id > 3 AND id < ${last - 2} ORDER BY id`))
        .trim().split('\n').map((l) => { const i = l.indexOf('|'); return [Number(l.slice(0, i)), l.slice(i + 1)]; });
      const [id, summary] = rows.find(([, s]) => /[A-Za-z]/.test(s)) || [];
      assert.ok(id, `a summary with a letter among ${JSON.stringify(rows)}`);
      const at = summary.search(/[A-Za-z]/);
      const ch = summary[at];
      const edited = summary.slice(0, at) + (ch === ch.toUpperCase() ? ch.toLowerCase() : ch.toUpperCase()) + summary.slice(at + 1);
      const a = Buffer.from(summary), b = Buffer.from(edited);
      assert.equal(a.length, b.length);
      assert.equal([...a].filter((x, i) => x !== b[i]).length, 1, 'exactly one byte differs');

      await sql(c.loc, `${BYPASS} UPDATE audit_log SET summary = ${quote(edited)} WHERE id = ${id}`);
      let v = await verify(c.loc, key);
      assert.notEqual(v.code, 0, v.stdout);
      assert.equal(v.bad, id, v.stdout);
      assert.match(v.stdout, /记录被改动/);

      // The guards are still off in the copy (dropped, or disabled).
      await sql(c.loc, `UPDATE audit_log SET summary = ${quote(summary)} WHERE id = ${id}`);
      v = await verify(c.loc, key);
      assert.equal(v.code, 0, v.stdout);
      assert.equal(v.rows, total);
    });

    it('a middle row deleted → non-zero, that row named', async () => {
      const c = await cloneDb(db, 'delmid');
      const id = Math.floor(last / 2);
      await sql(c.loc, `${BYPASS} DELETE FROM audit_log WHERE id = ${id}`);
      assert.equal(await auditCount(c.loc), total - 1);
      const v = await verify(c.loc, key);
      assert.notEqual(v.code, 0, v.stdout);
      assert.equal(v.bad, id, v.stdout);
      assert.match(v.stdout, /缺失/);
    });

    it('two rows swapped (every column but the id) → non-zero, the first of them named', async () => {
      const c = await cloneDb(db, 'swap');
      const i = 4, j = 7;
      const cols = 'at, user_id, login, role, source_addr, action, object_type, object_id, outcome, summary, prev_mac, mac';
      await sql(c.loc, `${BYPASS} CREATE TEMP TABLE sw AS SELECT id, ${cols} FROM audit_log WHERE id IN (${i}, ${j}); ` +
        `UPDATE audit_log SET (${cols}) = (SELECT ${cols} FROM sw WHERE sw.id = ${i + j} - audit_log.id) ` +
        `WHERE id IN (${i}, ${j})`);
      const swapped = await sql(c.loc, `SELECT id, action, summary FROM audit_log WHERE id IN (${i}, ${j}) ORDER BY id`);
      const orig = await sql(db.loc, `SELECT id, action, summary FROM audit_log WHERE id IN (${i}, ${j}) ORDER BY id`);
      assert.notEqual(swapped, orig, 'the rows really were swapped');
      assert.equal(await auditCount(c.loc), total);
      const v = await verify(c.loc, key);
      assert.notEqual(v.code, 0, v.stdout);
      assert.equal(v.bad, i, v.stdout);
    });

    it('the last row deleted → non-zero, that row named', async () => {
      const c = await cloneDb(db, 'deltail');
      await sql(c.loc, `${BYPASS} DELETE FROM audit_log WHERE id = ${last}`);
      const v = await verify(c.loc, key);
      assert.notEqual(v.code, 0, v.stdout);
      assert.equal(v.bad, last, v.stdout);
      assert.match(v.stdout, /缺失/);
    });

    it('the original, untouched by the experiments, still verifies', async () => {
      const v = await verify(db.loc, key);
      assert.equal(v.code, 0, v.stdout + v.stderr);
      assert.equal(v.rows, total);
    });
  });
});

// ---------- (d) fail closed ----------

describe('(d) fail closed: no audit record, no action', () => {
  let db, srv, pw, admin, xcb, auditor, member;
  let headHex;

  before(async () => {
    db = await freshDatabase();
    await runCliOk(['init', '--db', db.loc]);
    pw = await demoAccounts(db);
    srv = await startServer({ db });
    admin = await loggedIn(srv, 'sysadmin', pw.sysadmin);
    xcb = await loggedIn(srv, 'xcb', pw.xcb);
    auditor = await loggedIn(srv, 'auditor', pw.auditor);
    member = Number(await sqlValue(db.loc, "SELECT id FROM app_user WHERE login = 'xcz_member'"));
    headHex = await sqlValue(db.loc, `SELECT ${hexOf('head_mac')} FROM audit_head`);
    assert.match(headHex, /^[0-9a-f]{64}$/);
    // Break the head's tag (one byte): audit_append now refuses to extend
    // a chain whose head it cannot trust.  audit_append itself rewrites
    // head_mac on every record, so no guard can forbid this UPDATE.
    const broken = (headHex.slice(0, 2) === 'ff' ? '00' : 'ff') + headHex.slice(2);
    await sql(db.loc, `UPDATE audit_head SET head_mac = ${PG ? `'\\x${broken}'::bytea` : `X'${broken}'`}`);
  });

  after(async () => {
    try { await srv?.stop(); } finally { db?.cleanup(); }
  });

  const status = (login) => sqlValue(db.loc, `SELECT status FROM app_user WHERE login = ${quote(login)}`);
  const pwHash = (login) => sqlValue(db.loc, `SELECT password_hash FROM app_user WHERE login = ${quote(login)}`);

  async function expectAuditFailed(r, what) {
    assert.equal(r.status, 500, `${what}: ${r.text}`);
    const e = checkErrorShape(r.json, assert);
    assert.equal(e.code, 'audit_failed', what);
    assert.equal(e.message, '审计记录写入失败，操作未执行', what);
  }

  it('the sysadmin locking an account → 500 and the account stays active', async () => {
    const rowsBefore = await auditCount(db.loc);
    assert.equal(await status('xcz_member'), 'active');
    await expectAuditFailed(await admin.api('POST', `/api/v1/users/${member}/lock`, {}), 'lock');
    assert.equal(await status('xcz_member'), 'active', 'the lock was rolled back');
    assert.equal(await auditCount(db.loc), rowsBefore);
  });

  it('a user changing their password → 500, the hash unchanged, the old password still works', async () => {
    const hash = await pwHash('xcb');
    const r = await xcb.api('POST', '/api/v1/me/password', { old_password: pw.xcb, new_password: canaryPassword('fc') });
    await expectAuditFailed(r, 'password change');
    assert.equal(await pwHash('xcb'), hash, 'password_hash unchanged');
    const me = await xcb.api('GET', '/api/v1/me');
    assert.equal(me.status, 200, 'the session survived (other sessions were not ended either)');
  });

  it('a login → 500 and no session is created; a failed login is not counted', async () => {
    const sessions = await sqlValue(db.loc, 'SELECT COUNT(*) FROM session');
    const failures = await sqlValue(db.loc, 'SELECT COUNT(*) FROM login_failure');
    const ok = await new Client(srv).login('secadmin', pw.secadmin);
    assert.equal(ok.status, 500, ok.text);
    assert.equal(checkErrorShape(ok.json, assert).code, 'audit_failed');
    const bad = await new Client(srv).login('secadmin', 'Wrong-password-1');
    assert.equal(bad.status, 500, bad.text);
    assert.equal(await sqlValue(db.loc, 'SELECT COUNT(*) FROM session'), sessions);
    assert.equal(await sqlValue(db.loc, 'SELECT COUNT(*) FROM login_failure'), failures);
  });

  it('the auditor reading the trail → 500 and no records shown (a read that cannot be recorded is not served)', async () => {
    const r = await auditor.api('GET', '/api/v1/audit');
    await expectAuditFailed(r, 'audit read');
    assert.ok(!('items' in r.json));
  });

  it('the same read as an HTML page → a 500 page in Chinese, no records shown', async () => {
    const res = await srv.fetch('/audit', { headers: { Cookie: auditor.cookie } });
    const html = await res.text();
    assert.equal(res.status, 500, html.slice(0, 500));
    assert.match(html, /审计记录写入失败，操作未执行/);
    assert.doesNotMatch(html, /<table/, 'no audit rows rendered');
  });

  it('the server log names the failure', async () => {
    assert.ok(await srv.waitForStderr(/audit_head fails its tag/), srv.stderr.slice(-3000));
    assert.match(srv.stderr, /audit write failed for user\.lock/);
  });

  it('control: with the head restored the same lock succeeds, and the chain verifies', async () => {
    await sql(db.loc, `UPDATE audit_head SET head_mac = ${PG ? `'\\x${headHex}'::bytea` : `X'${headHex}'`}`);
    const r = await admin.api('POST', `/api/v1/users/${member}/lock`, {});
    assert.equal(r.status, 200, r.text);
    assert.equal(await status('xcz_member'), 'locked');
    const v = await verify(db.loc, db.key);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });
});

// ---------- (e) exactly one record per request ----------

describe('(e) every audited route leaves exactly one record per request, allowed or refused', () => {
  let db, srv, pw, routes, policy, last = 0;
  const sessions = {}; // role code → session of a demo account holding it
  const problems = [];
  const tally = { requests: 0, records: 0 };

  before(async () => {
    db = await freshDatabase();
    await runCliOk(['init', '--db', db.loc]);
    pw = await demoAccounts(db);
    srv = await startServer({ db });
    [routes, policy] = await Promise.all([routeTable(), policyTable()]);
    for (const [login, password] of Object.entries(pw)) {
      const s = await loginOk(srv, login, password);
      s.login = login;
      for (const r of s.roles) sessions[r] ??= s;
    }
    last = Number(await sqlValue(db.loc, 'SELECT COALESCE(MAX(id), 0) FROM audit_log'));
  });

  after(async () => {
    try { await srv?.stop(); } finally { db?.cleanup(); }
  });

  /** The records written since the previous call: [{id, action, outcome, login}]. */
  async function newRecords() {
    const out = await sql(db.loc, `SELECT id, action, outcome, login FROM audit_log WHERE id > ${last} ORDER BY id`);
    const rows = out.split('\n').filter(Boolean).map((l) => {
      const [id, action, outcome, login] = l.split('|');
      return { id: Number(id), action, outcome, login };
    });
    if (rows.length) last = rows[rows.length - 1].id;
    return rows;
  }

  /** Sends one probe of route as session s (null: anonymous) and checks
   * the records it left against want {count, action, outcome, login}. */
  async function probe(route, s, want, { csrf = true, what }) {
    const opts = { csrf: csrf && !!s };
    if (route.method !== 'GET') {
      if (route.mode === 'json') {
        if (route.method !== 'DELETE') opts.json = {};
      } else {
        opts.form = {};
      }
    }
    // `last` already stands after the previous probe's records (nothing
    // else writes meanwhile): one query per probe, not two.
    const r = await call(srv, s, route.method, concretePath(route.pattern), opts);
    const got = await newRecords();
    tally.requests++;
    tally.records += got.length;
    const label = `${what}: ${route.method} ${route.pattern} → ${r.status}`;
    if (got.length !== want.count) {
      problems.push(`${label}: ${got.length} records, want ${want.count} ${JSON.stringify(got)}`);
      return;
    }
    if (!want.count) return;
    const g = got[0];
    for (const k of ['action', 'outcome', 'login']) {
      if (want[k] !== undefined && g[k] !== want[k]) problems.push(`${label}: ${k} ${g[k]}, want ${want[k]}`);
    }
  }

  // ~1,000 requests, each followed by a query through the sqlite3/psql
  // client: longer than the suite's default per-test limit on 2 busy cores.
  it('allowed, refused by permission, refused for a missing CSRF token, and anonymous', { timeout: 600_000 }, async (t) => {
    const anyUser = sessions.xcb;
    assert.ok(anyUser, 'a business user session');
    for (const route of routes) {
      if (route.mode === 'asset') continue;
      const allowedRoles = rolesFor(route, policy);
      // Allowed: the anonymous caller for public routes, a fresh session for
      // logout (it ends the session), else a role holding the permission.
      let caller = null;
      if (isLogout(route)) {
        caller = await loginOk(srv, 'xcb', pw.xcb);
        caller.login = 'xcb';
        await newRecords(); // the login's own record is not the probe's
      } else if (route.perm === 'login' || route.perm === 'self') {
        caller = anyUser;
      } else if (route.perm !== 'public') {
        caller = sessions[allowedRoles.find((r) => sessions[r])];
        assert.ok(caller, `a demo role may call ${route.method} ${route.pattern}`);
      }
      await probe(route, caller, route.audit ? { count: 1, action: route.audit } : { count: 0 },
        { what: `allowed (${caller ? caller.login : 'anonymous'})` });

      if (route.perm === 'public') continue;
      // Refused by permission: a logged-in role without it.
      const deniedRole = Object.keys(sessions).find((r) => expectedAccess(route, [r], policy) === 'denied' &&
        !sessions[r].roles.some((x) => allowedRoles.includes(x)));
      if (deniedRole) {
        const s = sessions[deniedRole];
        await probe(route, s, { count: 1, action: route.audit ?? 'access.denied', outcome: 'denied', login: s.login },
          { what: `refused (${s.login})` });
      }
      // Refused for want of a CSRF token.
      if (route.csrf && !isLogout(route)) {
        await probe(route, caller, { count: 1, action: route.audit, outcome: 'denied', login: caller.login },
          { csrf: false, what: `no CSRF token (${caller.login})` });
      }
      // Anonymous: recorded when the route is audited or takes a token;
      // anonymous hits on other login-only pages are routine.
      const anon = route.audit || route.csrf;
      await probe(route, null, anon ? { count: 1, action: route.audit ?? 'access.denied', outcome: 'denied', login: '' }
        : { count: 0 }, { what: 'anonymous' });
    }
    assert.deepEqual(problems, [], `${problems.length} of ${tally.requests} requests:\n${problems.join('\n')}`);
    assert.ok(tally.requests > 150, `requests: ${tally.requests}`);
    t.diagnostic(`${tally.requests} requests on ${routes.length} routes left ${tally.records} records, as the table says`);
  });

  it('the chain still verifies after all of them', async () => {
    const v = await verify(db.loc, db.key);
    assert.equal(v.code, 0, v.stdout + v.stderr);
    assert.equal(v.rows, Number(await sqlValue(db.loc, 'SELECT COUNT(*) FROM audit_log')));
  });
});

// ---------- (f) many reads at once: the group commit ----------

describe('(f) concurrent reads and refusals are each recorded exactly once, in one intact chain', () => {
  let db, srv, pw;
  const env = withDemoServer();
  before(() => ({ db, srv, pw } = env));

  it('160 reads (JSON and HTML) and 12 failed logins sent together', async () => {
    const xcb = await loggedIn(srv, 'xcb', pw.xcb);
    const last = Number(await sqlValue(db.loc, 'SELECT COALESCE(MAX(id), 0) FROM audit_log'));
    const reads = [];
    for (let i = 0; i < 120; i++) reads.push(xcb.api('GET', `/api/v1/clues?page=${1 + (i % 3)}`));
    for (let i = 0; i < 40; i++) {
      reads.push(srv.fetch(`/clues?page=${1 + (i % 2)}`, { headers: { Cookie: xcb.cookie } })
        .then(async (res) => ({ status: res.status, text: await res.text() })));
    }
    const refusals = [];
    for (let i = 0; i < 12; i++) refusals.push(new Client(srv).login('nobody-f', 'Wrong-password-1'));
    const [r, f] = await Promise.all([Promise.all(reads), Promise.all(refusals)]);
    for (const x of r) assert.equal(x.status, 200, x.text?.slice(0, 200));
    // Unknown logins lock out like known ones: 401, then 423.
    for (const x of f) assert.ok([401, 423].includes(x.status), x.text);
    const rows = (await sql(db.loc, `SELECT action, outcome, login FROM audit_log WHERE id > ${last} ORDER BY id`))
      .split('\n').filter(Boolean).map((l) => l.split('|'));
    const count = (action, outcome) => rows.filter(([a, o]) => a === action && o === outcome).length;
    assert.equal(count('clue.list', 'ok'), 160, 'one record per read');
    assert.equal(rows.filter(([a, o]) => a === 'session.login' && o !== 'ok').length, 12,
      'one record per refused login');
    assert.equal(rows.length, 172, `nothing else: ${rows.map((x) => x[0]).join(', ')}`);
    const v = await verify(db.loc, db.key);
    assert.equal(v.code, 0, v.stdout + v.stderr);
  });
});
