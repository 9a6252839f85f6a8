// The security administrator's tools (安全管理员, 三员分立): only secadmin
// reaches /secadmin and the role/setting APIs; grants and revocations take
// effect on the user's next request and are audited; 三员 conflicts and
// changes to one's own roles are refused; the policy settings are
// validated as a whole and drive the lockout.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { startServer, freshDatabase, runCliOk, checkErrorShape, CJK } from './lib.mjs';

// ---------- helpers ----------

/** A server on a fresh database with the demo accounts; pw maps login → password. */
async function demoServer(env = {}) {
  const db = await freshDatabase();
  const e = { JIXUN_KEY: path.join(db.dir, 'test.key'), ...env };
  await runCliOk(['init', '--db', db.loc], { env: e, cwd: db.dir });
  const r = await runCliOk(['demo', '--db', db.loc], { env: e, cwd: db.dir });
  const pw = {};
  for (const m of r.stdout.matchAll(/^\s+(\S+)\s+(\S{16})\s+\S/gm)) pw[m[1]] = m[2];
  assert.ok(pw.secadmin && pw.sysadmin && pw.auditor && pw.xcb, `demo passwords parsed from:\n${r.stdout}`);
  const srv = await startServer({ db, env: e });
  return { srv, pw, stop: async () => { try { await srv.stop(); } finally { db.cleanup(); } } };
}

/** One browser-like user: a session cookie and its CSRF token. */
class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.csrf = ''; }

  async login(username, password, extra = {}) {
    const res = await this.srv.fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password, ...extra }),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (res.status === 200) {
      this.cookie = res.headers.get('set-cookie').split(';')[0];
      this.csrf = json.csrf_token;
    }
    return { status: res.status, json };
  }

  headers(h = {}) { return { ...(this.cookie ? { Cookie: this.cookie } : {}), ...h }; }

  async get(p) {
    const res = await this.srv.fetch(p, { headers: this.headers() });
    const text = await res.text();
    return { status: res.status, text, res, json: () => JSON.parse(text) };
  }

  async form(p, fields, { csrf = true } = {}) {
    const body = new URLSearchParams({ ...(csrf ? { csrf: this.csrf } : {}), ...fields });
    const res = await this.srv.fetch(p, {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: body.toString(),
    });
    return { status: res.status, text: await res.text(), res };
  }

  async api(method, p, body, { csrf = true } = {}) {
    const h = { ...(csrf ? { 'X-CSRF-Token': this.csrf } : {}) };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const res = await this.srv.fetch(p, { method, headers: this.headers(h), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    let json = null;
    try { json = text ? JSON.parse(text) : null; } catch { /* asserted by callers */ }
    return { status: res.status, json, text };
  }
}

async function loggedIn(srv, pw, login) {
  const c = new Client(srv);
  const r = await c.login(login, pw[login]);
  assert.equal(r.status, 200, `login ${login}: ${JSON.stringify(r.json)}`);
  return c;
}

/** user id of a login, from the grants API (every demo user holds a role) or the user list page. */
async function userId(admin, login) {
  const page = await admin.get(`/secadmin/users?q=${encodeURIComponent(login)}`);
  assert.equal(page.status, 200);
  const rows = [...page.text.matchAll(/<tr><td>([^<]*)<\/td>.*?href="\/secadmin\/users\/(\d+)"/g)];
  const row = rows.find((m) => m[1] === login);
  assert.ok(row, `user ${login} listed on /secadmin/users`);
  return Number(row[2]);
}

async function rolesOf(admin, id) {
  const r = await admin.get(`/api/v1/role-grants?user=${id}`);
  assert.equal(r.status, 200, r.text);
  return r.json().items.map((g) => g.role).sort();
}

/** Audit rows for an action, read as the auditor. */
async function auditRows(auditor, action) {
  const r = await auditor.get(`/api/v1/audit?action=${encodeURIComponent(action)}&per_page=200`);
  assert.equal(r.status, 200, r.text);
  return r.json().items;
}

// ---------- tests ----------

let env, secadmin, sysadmin, auditor, business;
before(async () => {
  env = await demoServer();
  secadmin = await loggedIn(env.srv, env.pw, 'secadmin');
  sysadmin = await loggedIn(env.srv, env.pw, 'sysadmin');
  auditor = await loggedIn(env.srv, env.pw, 'auditor');
  business = await loggedIn(env.srv, env.pw, 'xcb');
});
after(async () => { await env?.stop(); });

const SECADMIN_GETS = ['/secadmin', '/secadmin/users', '/secadmin/users/1', '/secadmin/settings',
  '/api/v1/roles', '/api/v1/role-grants', '/api/v1/settings'];

describe('access to the security administrator tools', () => {
  it('secadmin opens every page and API', async () => {
    for (const p of SECADMIN_GETS) {
      const r = await secadmin.get(p);
      assert.equal(r.status, 200, `${p}: ${r.text.slice(0, 300)}`);
    }
  });

  it('sysadmin, auditor and business users get 403 on every /secadmin route', async () => {
    const target = await userId(secadmin, 'xfs');
    for (const [who, c] of [['sysadmin', sysadmin], ['auditor', auditor], ['xcb', business]]) {
      for (const p of SECADMIN_GETS) {
        const r = await c.get(p);
        assert.equal(r.status, 403, `${who} GET ${p}`);
      }
      const g = await c.form(`/secadmin/users/${target}/roles/grant`, { role: 'xcb' });
      assert.equal(g.status, 403, `${who} grant`);
      const s = await c.form('/secadmin/settings', { 'auth.lockout_failures': '50' });
      assert.equal(s.status, 403, `${who} settings`);
      const a = await c.api('POST', '/api/v1/role-grants', { user_id: target, role: 'xcb' });
      assert.equal(a.status, 403, `${who} API grant`);
      checkErrorShape(a.json, assert);
      const t = await c.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 50 });
      assert.equal(t.status, 403, `${who} API settings`);
    }
    assert.deepEqual(await rolesOf(secadmin, target), ['xfs'], 'nothing was granted');
    const s = await secadmin.get('/api/v1/settings');
    assert.equal(s.json().items.find((i) => i.key === 'auth.lockout_failures').value, 5, 'nothing was saved');
  });

  it('only secadmin sees the 安全管理 navigation entry', async () => {
    assert.match((await secadmin.get('/')).text, /href="\/secadmin"[^>]*>安全管理</);
    for (const c of [sysadmin, auditor, business]) {
      assert.doesNotMatch((await c.get('/')).text, /href="\/secadmin"/);
    }
  });
});

describe('roles overview', () => {
  it('lists every role with Chinese name, kind, members and permissions', async () => {
    const html = (await secadmin.get('/secadmin')).text;
    for (const s of ['安全管理员', '系统管理员', '审计管理员', '巡察办', '管理角色', '业务角色', '角色与授权管理', '安全策略设置']) {
      assert.ok(html.includes(s), `/secadmin shows ${s}`);
    }
    const api = (await secadmin.get('/api/v1/roles')).json();
    assert.ok(api.items.length >= 14 && api.total === api.items.length);
    const sec = api.items.find((r) => r.code === 'secadmin');
    assert.equal(sec.name, '安全管理员');
    assert.equal(sec.kind, 'admin');
    assert.equal(sec.members, 1);
    assert.equal(sec.totp_required, true, 'admin roles are listed for mandatory TOTP by default');
    assert.deepEqual(sec.permissions.map((p) => p.perm).filter((p) => p.startsWith('role') || p.startsWith('policy')).sort(),
      ['policy.admin', 'role.grant']);
    assert.equal(api.items.find((r) => r.code === 'xcb').kind, 'business');
  });
});

describe('granting and revoking roles', () => {
  it('a user whose business role is revoked loses its route, and gains it back with a grant', async () => {
    // A route that the business role's permissions open (from the policy
    // table via /api/v1/roles and the route table via `jixun routes`).
    const roles = (await secadmin.get('/api/v1/roles')).json().items;
    const xfs = roles.find((r) => r.code === 'xfs');
    const routes = (await runCliOk(['routes'])).stdout.trim().split('\n').map((l) => l.split('\t'));
    const perms = new Set(xfs.permissions.map((p) => p.perm));
    const route = routes.find(([m, p, perm]) => m === 'GET' && !p.includes('{') && perms.has(perm));
    const target = await userId(secadmin, 'xfs');
    const user = await loggedIn(env.srv, env.pw, 'xfs');
    assert.ok(route, 'some GET route opens to the xfs role (the policy table gives business roles access.request)');
    const probe = route[1];

    let r = await secadmin.form(`/secadmin/users/${target}/roles/revoke`, { role: 'xfs' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.deepEqual(await rolesOf(secadmin, target), []);
    assert.equal((await user.get(probe)).status, 403, `without a role: ${probe}`);
    assert.equal((await user.get('/api/v1/me')).status, 200, 'the session lives on');

    r = await secadmin.form(`/secadmin/users/${target}/roles/grant`, { role: 'xfs' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.deepEqual(await rolesOf(secadmin, target), ['xfs']);
    assert.equal((await user.get(probe)).status, 200, `with the role again: ${probe}`);
    const me = (await user.get('/api/v1/me')).json();
    assert.deepEqual(me.roles.map((x) => x.code), ['xfs']);

    const grants = await auditRows(auditor, 'role.grant');
    const g = grants.find((a) => a.object_type === 'user' && a.object_id === target && a.outcome === 'ok');
    assert.ok(g, 'role.grant audited on the user');
    assert.match(g.summary, /信访室/, 'the summary names the role in Chinese');
    assert.equal(g.login, 'secadmin');
    const revokes = await auditRows(auditor, 'role.revoke');
    assert.ok(revokes.find((a) => a.object_id === target && a.outcome === 'ok' && /信访室/.test(a.summary)));
  });

  it('a user without roles granted secadmin gains /secadmin; revoking removes it', async () => {
    const target = await userId(secadmin, 'lxs');
    const user = await loggedIn(env.srv, env.pw, 'lxs');
    assert.equal((await user.get('/secadmin')).status, 403);
    assert.equal((await secadmin.form(`/secadmin/users/${target}/roles/revoke`, { role: 'lxs' })).status, 303);
    assert.equal((await secadmin.form(`/secadmin/users/${target}/roles/grant`, { role: 'secadmin' })).status, 303);
    assert.equal((await user.get('/secadmin')).status, 200);
    // Now an admin: a business role beside it is refused (三员分立).
    const again = await secadmin.form(`/secadmin/users/${target}/roles/grant`, { role: 'lxs' });
    assert.equal(again.status, 409);
    assert.match(again.text, /三员分立/);
    assert.equal((await secadmin.form(`/secadmin/users/${target}/roles/revoke`, { role: 'secadmin' })).status, 303);
    assert.equal((await user.get('/secadmin')).status, 403);
    assert.equal((await secadmin.form(`/secadmin/users/${target}/roles/grant`, { role: 'lxs' })).status, 303);
    assert.deepEqual(await rolesOf(secadmin, target), ['lxs']);
  });

  it('granting auditor to a sysadmin is refused with the 三员 message and changes nothing', async () => {
    const target = await userId(secadmin, 'sysadmin');
    const r = await secadmin.form(`/secadmin/users/${target}/roles/grant`, { role: 'auditor' });
    assert.equal(r.status, 409);
    assert.match(r.text, /三员分立：系统管理员、安全管理员、审计管理员不得兼任/);
    const a = await secadmin.api('POST', '/api/v1/role-grants', { user_id: target, role: 'auditor' });
    assert.equal(a.status, 409);
    const e = checkErrorShape(a.json, assert);
    assert.equal(e.code, 'separation_of_duties');
    assert.match(e.message, /三员分立/);
    assert.deepEqual(await rolesOf(secadmin, target), ['sysadmin']);
    assert.equal((await sysadmin.get('/audit')).status, 403, 'sysadmin still cannot read the audit trail');
    const refused = (await auditRows(auditor, 'role.grant')).find((x) => x.object_id === target);
    assert.ok(refused && refused.outcome !== 'ok', 'the refusal is audited');
  });

  it('a secadmin cannot change their own roles', async () => {
    const self = await userId(secadmin, 'secadmin');
    const r = await secadmin.form(`/secadmin/users/${self}/roles/revoke`, { role: 'secadmin' });
    assert.equal(r.status, 403);
    assert.match(r.text, /不能修改自己的角色/);
    const a = await secadmin.api('DELETE', `/api/v1/role-grants/${self}/secadmin`);
    assert.equal(a.status, 403);
    assert.deepEqual(await rolesOf(secadmin, self), ['secadmin']);
    const page = (await secadmin.get(`/secadmin/users/${self}`)).text;
    assert.doesNotMatch(page, /roles\/grant|roles\/revoke/, 'no grant or revoke forms on one\'s own page');
  });

  it('the JSON API grants, refuses duplicates, revokes and checks its input', async () => {
    const target = await userId(secadmin, 'cbbm');
    let r = await secadmin.api('POST', '/api/v1/role-grants', { user_id: target, role: 'xcz_member' });
    assert.equal(r.status, 201, r.text);
    assert.deepEqual(r.json, { user_id: target, role: 'xcz_member' });
    assert.deepEqual(await rolesOf(secadmin, target), ['cbbm', 'xcz_member']);
    r = await secadmin.api('POST', '/api/v1/role-grants', { user_id: target, role: 'xcz_member' });
    assert.equal(r.status, 409);
    assert.equal(checkErrorShape(r.json, assert).code, 'already_granted');
    r = await secadmin.api('POST', '/api/v1/role-grants', { user_id: target, role: 'no_such_role' });
    assert.equal(r.status, 400);
    assert.equal(checkErrorShape(r.json, assert).field, 'role');
    r = await secadmin.api('POST', '/api/v1/role-grants', { user_id: 'x', role: 'xcb' });
    assert.equal(r.status, 400);
    r = await secadmin.api('POST', '/api/v1/role-grants', { user_id: 999999, role: 'xcb' });
    assert.equal(r.status, 404);
    r = await secadmin.api('POST', '/api/v1/role-grants', { user_id: target, role: 'xcb' }, { csrf: false });
    assert.equal(r.status, 403, 'CSRF token required');
    r = await secadmin.api('DELETE', `/api/v1/role-grants/${target}/xcz_member`);
    assert.equal(r.status, 204, r.text);
    r = await secadmin.api('DELETE', `/api/v1/role-grants/${target}/xcz_member`);
    assert.equal(r.status, 409);
    assert.deepEqual(await rolesOf(secadmin, target), ['cbbm']);
    const list = (await secadmin.get(`/api/v1/role-grants?user=${target}`)).json();
    assert.deepEqual(Object.keys(list).sort(), ['items', 'page', 'per_page', 'total']);
    assert.equal(list.items[0].role_name, '承办部门');
    assert.equal((await secadmin.get('/api/v1/role-grants?user=abc')).status, 400);
  });

  it('the user list searches by login and display name', async () => {
    let html = (await secadmin.get('/secadmin/users?q=ags')).text;
    assert.match(html, /案管室·钟叙白/);
    assert.doesNotMatch(html, /信访室·闵思远/);
    html = (await secadmin.get(`/secadmin/users?q=${encodeURIComponent('闵思远')}`)).text;
    assert.match(html, /信访室·闵思远/);
    html = (await secadmin.get('/secadmin/users?q=%25')).text;
    assert.match(html, /共 0 个账号/, 'a % in the search is literal');
    assert.equal((await secadmin.get(`/secadmin/users?q=${'x'.repeat(65)}`)).status, 400);
  });
});

describe('policy settings', () => {
  it('the page lists every setting with value, default, range and the rule behind it', async () => {
    const html = (await secadmin.get('/secadmin/settings')).text;
    const api = (await secadmin.get('/api/v1/settings')).json();
    assert.ok(api.items.length >= 12);
    for (const s of api.items) {
      assert.ok(html.includes(`name="${s.key}"`), `form field for ${s.key}`);
      assert.match(s.label, CJK);
      assert.ok(s.source.length > 0, `${s.key} names its source`);
      if (s.type === 'text') {
        const n = [...s.default].length; // characters, not UTF-16 units
        assert.ok(s.min <= n && n <= s.max, `${s.key} default length in range`);
      } else {
        assert.ok(s.min <= s.default && s.default <= s.max, `${s.key} default in range`);
      }
    }
    for (const k of ['auth.lockout_failures', 'auth.session_idle_minutes', 'auth.totp_enforce']) {
      assert.ok(api.items.find((s) => s.key === k), k);
    }
    assert.match(html, /等保三级 8\.1\.4\.1/);
    assert.match(html, /ASVS 3\.3\.2/);
  });

  it('an invalid value → 400 with the reason per field, and nothing is saved', async () => {
    const r = await secadmin.form('/secadmin/settings', {
      'auth.lockout_failures': '0',
      'auth.session_idle_minutes': 'abc',
      'auth.password_history': '7',
    });
    assert.equal(r.status, 400);
    assert.match(r.text, /连续登录失败多少次后锁定 应为 1 到 100 之间的整数/);
    assert.match(r.text, /会话空闲超时（分钟） 应为 5 到 480 之间的整数/);
    const a = await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 1000, 'auth.password_history': 8, 'no.such': 1 });
    assert.equal(a.status, 400);
    const e = checkErrorShape(a.json, assert);
    assert.equal(e.code, 'invalid_settings');
    assert.ok(e.fields['auth.lockout_failures'] && e.fields['no.such']);
    const now = (await secadmin.get('/api/v1/settings')).json().items;
    const val = (k) => now.find((s) => s.key === k).value;
    assert.equal(val('auth.lockout_failures'), 5);
    assert.equal(val('auth.password_history'), 5, 'the valid value of the same form was not saved either');
    assert.equal(val('auth.session_idle_minutes'), 30);
  });

  it('auth.lockout_failures = 3 makes the third bad login lock the account', async () => {
    const r = await secadmin.form('/secadmin/settings', { 'auth.lockout_failures': '3' });
    assert.equal(r.status, 303, r.text.slice(0, 400));
    assert.match((await secadmin.get('/secadmin/settings')).text, /name="auth\.lockout_failures" value="3"/);
    const upd = (await auditRows(auditor, 'settings.update')).find((x) => x.outcome === 'ok');
    assert.ok(upd, 'settings.update audited');
    assert.match(upd.summary, /auth\.lockout_failures.*5→3/);
    const c = new Client(env.srv);
    assert.equal((await c.login('dfzf', 'Wrong-Passw0rd-1')).status, 401);
    assert.equal((await c.login('dfzf', 'Wrong-Passw0rd-2')).status, 401);
    assert.equal((await c.login('dfzf', 'Wrong-Passw0rd-3')).status, 423);
    assert.equal((await c.login('dfzf', env.pw.dfzf)).status, 423, 'locked even with the right password');
    // The API sets values too (and back).
    const a = await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 5 });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.items.find((s) => s.key === 'auth.lockout_failures').value, 5);
  });

  it('a text setting (clue.transfer_no_format) is shown, checked and saved as text', async () => {
    const key = 'clue.transfer_no_format';
    const def = '{jur}纪巡移〔{year}〕{seq}号';
    let html = (await secadmin.get('/secadmin/settings')).text;
    assert.ok(html.includes(`name="${key}" value="${def}"`), 'the text value in its field');
    assert.match(html, /1 – 40 个字符/);
    // the numbered choices say what each number means
    assert.match(html, /1：组长 → 巡察办主任 → 巡察工作领导小组/);
    assert.match(html, /2：全部移交线索/);
    // listed under a heading of their own, after the account settings
    const h = html.indexOf('<th colspan="5">问题线索（期限、审批链、统计口径、编号）</th>');
    assert.ok(h > html.indexOf('<th colspan="5">账号、口令与会话</th>') && h < html.indexOf(`name="${key}"`));
    let item = (await secadmin.get('/api/v1/settings')).json().items.find((s) => s.key === key);
    assert.equal(item.type, 'text');
    assert.equal(item.value, def);
    assert.equal(item.default, def);
    assert.equal((await secadmin.get('/api/v1/settings')).json().items.find((s) => s.key === 'clue.transfer_chain').type, 'int');

    // refused: no {seq}; too long; an unknown placeholder — nothing saved
    let r = await secadmin.form('/secadmin/settings', { [key]: '纪巡移〔{year}〕号', 'clue.due_warn_days': '20' });
    assert.equal(r.status, 400);
    assert.match(r.text, /须包含 \{seq\}/);
    assert.ok(r.text.includes('value="纪巡移〔{year}〕号"'), 'the rejected text is shown back for correction');
    let a = await secadmin.api('POST', '/api/v1/settings', { [key]: `{year}{seq}${'字'.repeat(30)}` });
    assert.equal(a.status, 400);
    assert.match(checkErrorShape(a.json, assert).fields[key], /1 到 40 个字符/);
    a = await secadmin.api('POST', '/api/v1/settings', { [key]: '{jur}{yaer}{year}{seq}' });
    assert.equal(a.status, 400);
    a = await secadmin.api('POST', '/api/v1/settings', { [key]: 12 });
    assert.equal(a.status, 400, 'a number is not a format');
    let now = (await secadmin.get('/api/v1/settings')).json().items;
    assert.equal(now.find((s) => s.key === key).value, def);
    assert.equal(now.find((s) => s.key === 'clue.due_warn_days').value, 30);

    // saved through the form, escaped on the page, audited old → new
    const fmt = '{jur}巡移"<{year}>"第{seq}号';
    r = await secadmin.form('/secadmin/settings', { [key]: fmt });
    assert.equal(r.status, 303, r.text.slice(0, 400));
    html = (await secadmin.get('/secadmin/settings')).text;
    assert.ok(html.includes(`name="${key}" value="{jur}巡移&quot;&lt;{year}&gt;&quot;第{seq}号"`), 'escaped in the attribute');
    assert.ok(!html.includes('"<{year}>"'));
    item = (await secadmin.get('/api/v1/settings')).json().items.find((s) => s.key === key);
    assert.equal(item.value, fmt);
    const upd = (await auditRows(auditor, 'settings.update')).find((x) => x.outcome === 'ok' && x.summary.includes(key));
    assert.ok(upd, 'the text change is audited');
    assert.ok(upd.summary.includes(`${def}→${fmt}`), upd.summary);
    // submitting the unchanged value changes nothing; the API sets it back
    r = await secadmin.form('/secadmin/settings', { [key]: fmt });
    assert.match(r.res.headers.get('location') || '', /saved=0/);
    a = await secadmin.api('POST', '/api/v1/settings', { [key]: def });
    assert.equal(a.status, 200, a.text);
    assert.equal(a.json.items.find((s) => s.key === key).value, def);
  });

  it('changing a deadline period re-derives the open clues\' deadlines in the same request', async () => {
    let a = await secadmin.api('POST', '/api/v1/settings', { 'clue.feedback_first_months': 3 });
    assert.equal(a.status, 200, a.text);
    let upd = (await auditRows(auditor, 'settings.update')).filter((x) => x.outcome === 'ok' && x.summary.includes('clue.feedback_first_months'));
    assert.ok(upd.length === 1, 'audited');
    assert.match(upd[0].summary, /6→3；已按新期限重算 \d+ 条问题线索的期限/);
    // a setting that is no deadline period does not
    a = await secadmin.api('POST', '/api/v1/settings', { 'clue.due_warn_days': 20 });
    assert.equal(a.status, 200, a.text);
    upd = (await auditRows(auditor, 'settings.update')).find((x) => x.outcome === 'ok' && x.summary.includes('clue.due_warn_days'));
    assert.ok(upd && !upd.summary.includes('重算'), upd && upd.summary);
    for (const [k, v] of [['clue.feedback_first_months', 6], ['clue.due_warn_days', 30]])
      assert.equal((await secadmin.api('POST', '/api/v1/settings', { [k]: v })).status, 200);
  });
});
