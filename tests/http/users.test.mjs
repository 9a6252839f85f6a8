// Account administration (系统管理员): list, create, lock, unlock, disable,
// enable, reset the password and set the expiry, as pages and as the JSON
// API.  Each action is checked by what it does (the account can or cannot
// log in, must change its password) and by its audit record; business
// users, the security administrator and the auditor are refused on every
// route; a missing CSRF token changes nothing; the CLI commands work too.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import {
  startServer, freshDatabase, runCli, runCliOk, demoAccounts, checkErrorShape, CJK,
} from './lib.mjs';

let srv, db;
let pw = {};            // demo login → password
const who = {};         // login → {cookie, csrf}
let created = 0;        // for unique logins

before(async () => {
  db = await freshDatabase();
  await runCliOk(['init', '--db', db.loc]);
  pw = await demoAccounts(db);
  srv = await startServer({ db });
  for (const u of ['sysadmin', 'secadmin', 'auditor', 'xcb']) who[u] = await loginOk(u, pw[u]);
});
after(async () => {
  try { await srv?.stop(); } finally { db?.cleanup(); }
});

async function login(user, password) {
  const res = await srv.fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ username: user, password }),
  });
  const body = await res.json();
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return { res, body, cookie };
}

async function loginOk(user, password) {
  const { res, body, cookie } = await login(user, password);
  assert.equal(res.status, 200, `login ${user}: ${JSON.stringify(body)}`);
  return { cookie, csrf: body.csrf_token, id: body.user.id, must: body.must_change_password };
}

/** A request as session s (null: anonymous). */
async function call(s, method, path, { json, form, csrf = true } = {}) {
  const headers = {};
  if (s) headers.Cookie = s.cookie;
  let body;
  if (json !== undefined) {
    headers['Content-Type'] = 'application/json';
    if (csrf && s) headers['X-CSRF-Token'] = s.csrf;
    body = JSON.stringify(json);
  } else if (form !== undefined) {
    headers['Content-Type'] = 'application/x-www-form-urlencoded';
    const f = new URLSearchParams(form);
    if (csrf && s) f.set('csrf', s.csrf);
    body = f.toString();
  }
  const res = await srv.fetch(path, { method, headers, body });
  const text = await res.text();
  let data = null;
  try { data = JSON.parse(text); } catch { /* HTML */ }
  return { res, status: res.status, text, data };
}

const sys = (method, path, opts) => call(who.sysadmin, method, path, opts);

/** The audit records of an action on user id, newest first (as the auditor sees them). */
async function auditOf(action, id) {
  const r = await call(who.auditor, 'GET', `/api/v1/audit?action=${action}&object_type=user&object_id=${id}`);
  assert.equal(r.status, 200, r.text);
  return r.data.items;
}

/** A new account made through the API: {id, login, temp}. */
async function newUser(extra = {}) {
  const login = `t.user${++created}`;
  const r = await sys('POST', '/api/v1/users', { json: { login, display_name: `测试账号${created}`, ...extra } });
  assert.equal(r.status, 201, r.text);
  return { id: r.data.user.id, login, temp: r.data.temporary_password };
}

/** A new account that has changed its first password: {id, login, password}. */
async function activeUser() {
  const u = await newUser();
  const s = await loginOk(u.login, u.temp);
  const password = `Changed-Pass-${created}x`;
  const r = await call(s, 'POST', '/api/v1/me/password', { json: { old_password: u.temp, new_password: password } });
  assert.equal(r.status, 204, r.text);
  return { ...u, password };
}

describe('account list', () => {
  it('lists every account with roles and a Chinese status, paginated', async () => {
    const r = await sys('GET', '/api/v1/users?per_page=5');
    assert.equal(r.status, 200, r.text);
    assert.ok(r.data.total >= 14, `total ${r.data.total}`);
    assert.equal(r.data.items.length, 5);
    assert.equal(r.data.page, 1);
    assert.equal(r.data.per_page, 5);
    const all = await sys('GET', '/api/v1/users?per_page=200');
    const xcb = all.data.items.find((u) => u.login === 'xcb');
    assert.equal(xcb.status, 'active');
    assert.equal(xcb.status_label, '正常');
    assert.deepEqual(xcb.roles.map((x) => x.code), ['xcb']);
    const p2 = await sys('GET', '/api/v1/users?per_page=5&page=2');
    assert.equal(p2.data.items.length, 5);
    assert.ok(!p2.data.items.some((u) => r.data.items.some((v) => v.id === u.id)), 'pages do not overlap');
  });

  it('searches by login or display name, case-insensitively, and filters by status', async () => {
    const r = await sys('GET', '/api/v1/users?q=XCZ');
    assert.deepEqual(r.data.items.map((u) => u.login).sort(), ['xcz_deputy', 'xcz_leader', 'xcz_member']);
    const byName = await sys('GET', `/api/v1/users?q=${encodeURIComponent('案管室')}`);
    assert.deepEqual(byName.data.items.map((u) => u.login), ['ags']);
    const wild = await sys('GET', '/api/v1/users?q=%25');
    assert.equal(wild.data.total, 0, '% is a literal character, not a wildcard');
    const bad = await sys('GET', '/api/v1/users?status=bogus');
    assert.equal(bad.status, 400);
    assert.equal(checkErrorShape(bad.data, assert).field, 'status');
  });

  it('the page shows the navigation entry, the search form and the Chinese status', async () => {
    const r = await sys('GET', '/admin/users?q=xcb');
    assert.equal(r.status, 200);
    assert.match(r.text, /<a href="\/admin\/users">账号管理<\/a>/);
    assert.match(r.text, /<a href="\/admin\/users\/\d+">xcb<\/a>/);
    assert.match(r.text, /正常/);
    assert.match(r.text, /<select name="status">/);
    const none = await sys('GET', '/admin/users?q=no-such-account');
    assert.match(none.text, /没有符合条件的账号/);
  });

  it('a business user does not see the 账号管理 navigation entry', async () => {
    const r = await call(who.xcb, 'GET', '/');
    assert.equal(r.status, 200);
    assert.doesNotMatch(r.text, /账号管理/);
  });
});

describe('creating an account', () => {
  it('by form: the temporary password is shown once and must be changed at first login', async () => {
    const form = await sys('GET', '/admin/users/new');
    assert.equal(form.status, 200);
    assert.match(form.text, /name="csrf"/);
    const r = await sys('POST', '/admin/users', {
      form: { login: 'form.user', display_name: '表单账号', office: 'XC01', expires_on: '2099-12-31' },
    });
    assert.equal(r.status, 200, r.text.slice(0, 500));
    const m = /<code class="secret">([^<]+)<\/code>/.exec(r.text);
    assert.ok(m, 'the page shows the temporary password');
    const temp = m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    assert.match(r.text, /只显示这一次/);
    const s = await loginOk('form.user', temp);
    assert.equal(s.must, true, 'must change the password first');
    const me = await call(s, 'GET', '/api/v1/users');
    assert.equal(me.status, 403, 'nothing but the password change before it');
    const list = await sys('GET', '/api/v1/users?q=form.user');
    const u = list.data.items[0];
    assert.equal(u.office, 'XC01');
    assert.deepEqual(u.roles, [], 'roles come from the security administrator');
    assert.equal(u.expires_at, '2099-12-31T16:00:00Z', 'the end of 2099-12-31 in 北京时间');
    const audit = await auditOf('user.create', u.id);
    assert.equal(audit.length, 1);
    assert.equal(audit[0].outcome, 'ok');
    assert.equal(audit[0].login, 'sysadmin');
    assert.match(audit[0].summary, /form\.user/);
    assert.ok(!audit[0].summary.includes(temp), 'no password in the audit trail');
  });

  it('by API: 201 with the temporary password; the detail has must_change_password', async () => {
    const u = await newUser({ office: 'A02' });
    assert.equal(u.temp.length, 16);
    const d = await sys('GET', `/api/v1/users/${u.id}`);
    assert.equal(d.status, 200);
    assert.equal(d.data.must_change_password, true);
    assert.equal(d.data.live_sessions, 0);
    assert.equal(d.data.status_label, '正常');
    assert.ok(!JSON.stringify(d.data).includes(u.temp), 'the detail never repeats the password');
  });

  it('a duplicate login is refused with 409 and nothing changes', async () => {
    const before = (await sys('GET', '/api/v1/users')).data.total;
    const r = await sys('POST', '/api/v1/users', { json: { login: 'xcb', display_name: '重复' } });
    assert.equal(r.status, 409);
    const e = checkErrorShape(r.data, assert);
    assert.equal(e.field, 'login');
    const page = await sys('POST', '/admin/users', { form: { login: 'xcb', display_name: '重复' } });
    assert.equal(page.status, 409);
    assert.match(page.text, /登录名已存在/);
    assert.equal((await sys('GET', '/api/v1/users')).data.total, before);
  });

  it('bad input is refused in Chinese: login, empty name, bad or past date, wrong types', async () => {
    for (const json of [
      { login: 'a b', display_name: '名' },
      { login: 'ok.login', display_name: '' },
      { login: 'ok.login', display_name: '名', expires_on: '2020-01-01' },
      { login: 'ok.login', display_name: '名', expires_on: '31/12/2099' },
    ]) {
      const r = await sys('POST', '/api/v1/users', { json });
      assert.equal(r.status, 422, JSON.stringify(json) + r.text);
      checkErrorShape(r.data, assert);
    }
    const t = await sys('POST', '/api/v1/users', { json: { login: 'ok.login', display_name: '名', office: 7 } });
    assert.equal(t.status, 400);
    const m = await sys('POST', '/api/v1/users', { json: { display_name: '名' } });
    assert.equal(m.status, 400);
    assert.equal((await sys('GET', '/api/v1/users?q=ok.login')).data.total, 0);
  });
});

describe('account actions', () => {
  it('lock: the account cannot log in (423) and its sessions end; unlock restores it', async () => {
    const u = await activeUser();
    const s = await loginOk(u.login, u.password);
    assert.equal((await sys('GET', `/api/v1/users/${u.id}`)).data.live_sessions, 2, 'this and the first one');
    const r = await sys('POST', `/api/v1/users/${u.id}/lock`, { json: {} });
    assert.equal(r.status, 200, r.text);
    assert.equal(r.data.user.status, 'locked');
    assert.equal(r.data.user.status_label, '已锁定');
    assert.equal((await call(s, 'GET', '/api/v1/me')).status, 401, 'session ended');
    assert.equal((await sys('GET', `/api/v1/users/${u.id}`)).data.live_sessions, 0);
    const l = await login(u.login, u.password);
    assert.equal(l.res.status, 423);
    assert.match(l.body.error.message, /锁定/);
    const again = await sys('POST', `/api/v1/users/${u.id}/lock`, { json: {} });
    assert.equal(again.status, 409);
    checkErrorShape(again.data, assert);
    const locked = await sys('GET', '/api/v1/users?status=locked');
    assert.ok(locked.data.items.some((x) => x.id === u.id));
    const un = await sys('POST', `/api/v1/users/${u.id}/unlock`, { json: {} });
    assert.equal(un.status, 200);
    assert.equal(un.data.user.status, 'active');
    await loginOk(u.login, u.password);
    assert.equal((await auditOf('user.lock', u.id)).map((a) => a.outcome).join(), 'failed,ok');
    assert.equal((await auditOf('user.unlock', u.id))[0].outcome, 'ok');
  });

  it('unlock also ends a lockout after failed logins', async () => {
    const u = await activeUser();
    for (let i = 0; i < 5; i++) await login(u.login, 'Wrong-Passw0rd!');
    assert.equal((await login(u.login, u.password)).res.status, 423);
    const d = await sys('GET', `/api/v1/users/${u.id}`);
    assert.equal(d.data.status, 'locked');
    assert.ok(d.data.locked_until);
    const page = await sys('GET', `/admin/users/${u.id}`);
    assert.match(page.text, /action="\/admin\/users\/\d+\/unlock"/);
    const r = await sys('POST', `/admin/users/${u.id}/unlock`, { form: {} });
    assert.equal(r.status, 303);
    assert.match(r.res.headers.get('location'), new RegExp(`/admin/users/${u.id}\\?done=unlock$`));
    await loginOk(u.login, u.password);
  });

  it('disable and enable, by form', async () => {
    const u = await activeUser();
    const r = await sys('POST', `/admin/users/${u.id}/disable`, { form: {} });
    assert.equal(r.status, 303);
    const page = await sys('GET', r.res.headers.get('location').replace(/^https?:\/\/[^/]+/, ''));
    assert.match(page.text, /已停用账号/);
    assert.match(page.text, /已停用/);
    const l = await login(u.login, u.password);
    assert.equal(l.res.status, 401);
    assert.match(l.body.error.message, /停用/);
    assert.equal((await sys('POST', `/admin/users/${u.id}/lock`, { form: {} })).status, 409);
    const en = await sys('POST', `/admin/users/${u.id}/enable`, { form: {} });
    assert.equal(en.status, 303);
    await loginOk(u.login, u.password);
    assert.equal((await auditOf('user.disable', u.id))[0].outcome, 'ok');
    assert.equal((await auditOf('user.enable', u.id))[0].outcome, 'ok');
  });

  it('reset-password: new temporary password shown once, old one dead, sessions ended, change forced', async () => {
    const u = await activeUser();
    const s = await loginOk(u.login, u.password);
    const r = await sys('POST', `/admin/users/${u.id}/reset-password`, { form: {} });
    assert.equal(r.status, 200);
    const m = /<code class="secret">([^<]+)<\/code>/.exec(r.text);
    assert.ok(m, 'temporary password on the page');
    const temp = m[1].replace(/&#39;/g, "'").replace(/&amp;/g, '&');
    assert.equal((await call(s, 'GET', '/api/v1/me')).status, 401, 'old session ended');
    assert.equal((await login(u.login, u.password)).res.status, 401, 'old password dead');
    const s2 = await loginOk(u.login, temp);
    assert.equal(s2.must, true);
    const api = await sys('POST', `/api/v1/users/${u.id}/reset-password`, { json: {} });
    assert.equal(api.status, 200);
    assert.equal(api.data.temporary_password.length, 16);
    assert.notEqual(api.data.temporary_password, temp);
    const audit = await auditOf('user.reset_password', u.id);
    assert.equal(audit.length, 2);
    for (const a of audit) {
      assert.ok(!a.summary.includes(temp) && !a.summary.includes(api.data.temporary_password), 'no password audited');
    }
  });

  it('expiry: a past expiry is refused, an expired account gets 账号已过期, clearing it restores the account', async () => {
    const u = await activeUser();
    const past = await sys('POST', `/api/v1/users/${u.id}/expiry`, { json: { expires_on: '2001-01-01' } });
    assert.equal(past.status, 422);
    const bad = await sys('POST', `/admin/users/${u.id}/expiry`, { form: { expires_on: 'tomorrow' } });
    assert.equal(bad.status, 422);
    assert.match(bad.text, /YYYY-MM-DD/);
    const ok = await sys('POST', `/admin/users/${u.id}/expiry`, { form: { expires_on: '2099-06-30' } });
    assert.equal(ok.status, 303);
    const d = await sys('GET', `/api/v1/users/${u.id}`);
    assert.equal(d.data.expires_at, '2099-06-30T16:00:00Z', 'the end of the day in 北京时间');
    const page = await sys('GET', `/admin/users/${u.id}`);
    assert.match(page.text, /value="2099-06-30"/);
    const clear = await sys('POST', `/api/v1/users/${u.id}/expiry`, { json: { expires_on: null } });
    assert.equal(clear.status, 200);
    assert.equal(clear.data.user.expires_at, null);
    assert.deepEqual((await auditOf('user.set_expiry', u.id)).map((a) => a.outcome), ['ok', 'ok', 'failed', 'failed']);
  });

  it('the sysadmin cannot lock, disable or reset itself', async () => {
    const me = who.sysadmin.id;
    for (const verb of ['lock', 'disable', 'reset-password']) {
      const r = await sys('POST', `/api/v1/users/${me}/${verb}`, { json: {} });
      assert.equal(r.status, 403, verb);
      checkErrorShape(r.data, assert);
      const f = await sys('POST', `/admin/users/${me}/${verb}`, { form: {} });
      assert.equal(f.status, 403, verb);
    }
    assert.equal((await sys('GET', `/api/v1/users/${me}`)).data.status, 'active');
    await loginOk('sysadmin', pw.sysadmin);
  });

  it('the password of another administrator cannot be reset here (三员分立)', async () => {
    for (const admin of ['secadmin', 'auditor']) {
      const id = who[admin].id;
      const r = await sys('POST', `/api/v1/users/${id}/reset-password`, { json: {} });
      assert.equal(r.status, 403, admin);
      assert.equal(checkErrorShape(r.data, assert).code, 'admin_account');
      assert.ok(!('temporary_password' in r.data));
      const page = await sys('GET', `/admin/users/${id}`);
      assert.doesNotMatch(page.text, /reset-password/, 'no reset button for an administrator');
      await loginOk(admin, pw[admin]);
    }
  });

  it('an unknown or malformed id is 404', async () => {
    for (const id of ['999999', '0', 'abc', '-1']) {
      assert.equal((await sys('GET', `/api/v1/users/${id}`)).status, 404, id);
      assert.equal((await sys('GET', `/admin/users/${id}`)).status, 404, id);
      assert.equal((await sys('POST', `/api/v1/users/${id}/lock`, { json: {} })).status, 404, id);
      assert.equal((await sys('POST', `/admin/users/${id}/disable`, { form: {} })).status, 404, id);
    }
  });
});

describe('access control', () => {
  let routes;
  before(async () => {
    const out = (await runCliOk(['routes'])).stdout;
    routes = out.trim().split('\n').map((l) => l.split('\t'))
      .filter(([, p]) => p.startsWith('/admin/users') || p.startsWith('/api/v1/users'))
      .map(([method, pattern, perm, csrf, mode]) => ({ method, pattern, perm, csrf: csrf === '1', mode }));
  });

  it('the table holds every route, each needing user.admin, each write with CSRF', () => {
    assert.equal(routes.length, 19);
    for (const r of routes) {
      assert.equal(r.perm, 'user.admin', r.pattern);
      assert.equal(r.csrf, r.method !== 'GET', r.pattern);
    }
  });

  for (const user of ['xcb', 'secadmin', 'auditor']) {
    it(`${user} gets 403 on every account route and nothing changes`, async () => {
      const target = (await sys('GET', '/api/v1/users?q=xcz_member')).data.items[0];
      for (const r of routes) {
        const path = r.pattern.replace('{id}', String(target.id));
        const opts = r.method === 'GET' ? {}
          : r.mode === 'json' ? { json: { login: `x.${user}`, display_name: '越权', expires_on: null } }
            : { form: { login: `x.${user}`, display_name: '越权' } };
        const res = await call(who[user], r.method, path, opts);
        assert.equal(res.status, 403, `${user} ${r.method} ${path}`);
        if (r.mode === 'json') checkErrorShape(res.data, assert);
        else assert.match(res.text, CJK);
      }
      const after = (await sys('GET', `/api/v1/users/${target.id}`)).data;
      assert.equal(after.status, 'active');
      assert.equal(after.must_change_password, false);
      assert.equal((await sys('GET', `/api/v1/users?q=x.${user}`)).data.total, 0);
    });
  }

  it('anonymous: pages redirect to the login form, the API answers 401', async () => {
    const target = who.xcb.id;
    const page = await call(null, 'GET', `/admin/users/${target}`);
    assert.equal(page.status, 303);
    assert.match(page.res.headers.get('location'), /^\/login/);
    assert.equal((await call(null, 'GET', '/api/v1/users')).status, 401);
    assert.equal((await call(null, 'POST', `/api/v1/users/${target}/lock`, { json: {} })).status, 401);
  });

  it('without the CSRF token every write is 403 and nothing changes', async () => {
    const u = await activeUser();
    const before = (await sys('GET', '/api/v1/users')).data.total;
    for (const r of routes.filter((x) => x.method !== 'GET')) {
      const path = r.pattern.replace('{id}', String(u.id));
      const opts = r.mode === 'json'
        ? { json: { login: 'csrf.user', display_name: '无令牌', expires_on: '2099-01-01' }, csrf: false }
        : { form: { login: 'csrf.user', display_name: '无令牌', expires_on: '2099-01-01' }, csrf: false };
      const res = await sys(r.method, path, opts);
      assert.equal(res.status, 403, `${r.method} ${path}`);
      if (r.mode === 'json') assert.equal(res.data.error.code, 'csrf');
    }
    // A wrong token is no better than none.
    const wrong = await call({ ...who.sysadmin, csrf: 'f'.repeat(64) }, 'POST', `/api/v1/users/${u.id}/lock`, { json: {} });
    assert.equal(wrong.status, 403);
    await loginOk(u.login, u.password);
    const d = (await sys('GET', `/api/v1/users/${u.id}`)).data;
    assert.equal(d.status, 'active');
    assert.equal(d.expires_at, null);
    assert.equal((await sys('GET', '/api/v1/users')).data.total, before);
    const denied = await call(who.auditor, 'GET', '/api/v1/audit?action=user.lock&outcome=denied&user=sysadmin');
    const mine = denied.data.items.filter((a) => a.summary.includes(`/users/${u.id}/lock`));
    assert.equal(mine.length, 3, 'each refusal is audited (API, page, wrong token)');
    assert.equal((await auditOf('user.lock', u.id)).length, 0, 'no lock was recorded as done');
  });
});

describe('jixun user (CLI)', () => {
  it('lock then login → 423 with the locked message; unlock; disable; enable; list', async () => {
    const u = await activeUser();
    await runCliOk(['user', 'lock', '--db', db.loc, '--login', u.login]);
    const l = await login(u.login, u.password);
    assert.equal(l.res.status, 423);
    assert.match(l.body.error.message, /管理员锁定/);
    const again = await runCli(['user', 'lock', '--db', db.loc, '--login', u.login]);
    assert.equal(again.code, 1);
    assert.match(again.stderr, CJK);
    await runCliOk(['user', 'unlock', '--db', db.loc, '--login', u.login]);
    await loginOk(u.login, u.password);
    await runCliOk(['user', 'disable', '--db', db.loc, '--login', u.login]);
    assert.equal((await login(u.login, u.password)).res.status, 401);
    const list = await runCliOk(['user', 'list', '--db', db.loc]);
    assert.match(list.stdout, new RegExp(`${u.login.replace('.', '\\.')}\\s+已停用`));
    await runCliOk(['user', 'enable', '--db', db.loc, '--login', u.login]);
    await loginOk(u.login, u.password);
    const audit = await auditOf('user.lock', u.id);
    assert.deepEqual(audit.map((a) => [a.login, a.source, a.outcome]), [['cli', 'cli', 'failed'], ['cli', 'cli', 'ok']]);
  });

  it('reset-password prints a temporary password that must be changed, and ends sessions', async () => {
    const u = await activeUser();
    const s = await loginOk(u.login, u.password);
    const r = await runCliOk(['user', 'reset-password', '--db', db.loc, '--login', u.login]);
    const temp = r.stdout.trim().split('\n').pop();
    assert.equal(temp.length, 16);
    assert.equal((await call(s, 'GET', '/api/v1/me')).status, 401);
    assert.equal((await loginOk(u.login, temp)).must, true);
    const audit = await auditOf('user.reset_password', u.id);
    assert.ok(!audit[0].summary.includes(temp));
  });

  it('an unknown login, a missing --login and an unknown subcommand fail cleanly', async () => {
    const r = await runCli(['user', 'lock', '--db', db.loc, '--login', 'no.such.user']);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /不存在/);
    assert.equal((await runCli(['user', 'lock', '--db', db.loc])).code, 2);
    assert.equal((await runCli(['user', 'frobnicate', '--db', db.loc])).code, 2);
  });
});
