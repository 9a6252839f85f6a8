// The TOTP second factor (RFC 6238) end to end: enrolment at /me/totp with
// a code computed here (node:crypto HMAC-SHA1), the two-step HTML login
// and the one-request API login, replay and wrong codes refused and
// counted toward the lockout, and enforcement per role by the security
// administrator (auth.totp_enforce).
//
// The server runs on a fixed clock (JIXUN_FAKE_NOW), so exactly three
// steps are valid at any time with the default window of one step: S-1,
// S and S+1.  Each is accepted once per user.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import path from 'node:path';
import { createHmac } from 'node:crypto';
import { startServer, freshDatabase, runCliOk, checkErrorShape } from './lib.mjs';

const NOW = '2026-03-02T08:00:15Z';
const T = Date.parse(NOW) / 1000;
const PREV = T - 30, CUR = T, NEXT = T + 30; // the three usable steps

// ---------- RFC 6238 ----------

function base32Decode(s) {
  const alpha = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';
  let bits = 0, acc = 0;
  const out = [];
  for (const ch of s.replace(/[\s=]/g, '').toUpperCase()) {
    const v = alpha.indexOf(ch);
    if (v < 0) throw new Error(`not base32: ${ch}`);
    acc = (acc << 5) | v;
    bits += 5;
    if (bits >= 8) {
      out.push((acc >>> (bits - 8)) & 0xff);
      bits -= 8;
    }
  }
  return Buffer.from(out);
}

/** The 6-digit TOTP of key (bytes) at unix time t (RFC 6238, HMAC-SHA1, 30 s). */
function totp(key, t, digits = 6) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  const bin = mac.readUInt32BE(off) & 0x7fffffff;
  return String(bin % 10 ** digits).padStart(digits, '0');
}

/** A code that is none of the valid ones. */
function wrongCode(key) {
  const valid = new Set([PREV, CUR, NEXT].map((t) => totp(key, t)));
  for (let v = 100000; ; v += 7919) if (!valid.has(String(v))) return String(v);
}

// ---------- server and clients ----------

async function demoServer(env = {}) {
  const db = await freshDatabase();
  const e = { JIXUN_KEY: path.join(db.dir, 'test.key'), JIXUN_FAKE_NOW: NOW, ...env };
  await runCliOk(['init', '--db', db.loc], { env: e, cwd: db.dir });
  const r = await runCliOk(['demo', '--db', db.loc], { env: e, cwd: db.dir });
  const pw = {};
  for (const m of r.stdout.matchAll(/^\s+(\S+)\s+(\S{16})\s+\S/gm)) pw[m[1]] = m[2];
  assert.ok(pw.secadmin && pw.sysadmin && pw.xcb, `demo passwords parsed from:\n${r.stdout}`);
  const srv = await startServer({ db, env: e });
  return { srv, pw, db, cliEnv: e, stop: async () => { try { await srv.stop(); } finally { db.cleanup(); } } };
}

class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.csrf = ''; }

  takeCookie(res) {
    const sc = res.headers.get('set-cookie');
    if (sc && !/Max-Age=0/.test(sc)) this.cookie = sc.split(';')[0];
  }

  async login(username, password, extra = {}) {
    const res = await this.srv.fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password, ...extra }),
    });
    const text = await res.text();
    const json = text ? JSON.parse(text) : null;
    if (res.status === 200) {
      this.takeCookie(res);
      this.csrf = json.csrf_token;
    }
    return { status: res.status, json, cookie: res.headers.get('set-cookie') };
  }

  headers(h = {}) { return { ...(this.cookie ? { Cookie: this.cookie } : {}), ...h }; }

  async get(p) {
    const res = await this.srv.fetch(p, { headers: this.headers() });
    const text = await res.text();
    return { status: res.status, text, location: res.headers.get('location'), json: () => JSON.parse(text) };
  }

  /** A form POST (with the CSRF token when there is a session). */
  async form(p, fields) {
    const body = new URLSearchParams({ ...(this.csrf ? { csrf: this.csrf } : {}), ...fields });
    const res = await this.srv.fetch(p, {
      method: 'POST',
      headers: this.headers({ 'Content-Type': 'application/x-www-form-urlencoded' }),
      body: body.toString(),
    });
    return { status: res.status, text: await res.text(), location: res.headers.get('location'), cookie: res.headers.get('set-cookie'), res };
  }

  async api(method, p, body) {
    const h = { 'X-CSRF-Token': this.csrf };
    if (body !== undefined) h['Content-Type'] = 'application/json';
    const res = await this.srv.fetch(p, { method, headers: this.headers(h), body: body === undefined ? undefined : JSON.stringify(body) });
    const text = await res.text();
    return { status: res.status, json: text ? JSON.parse(text) : null, text };
  }
}

async function loggedIn(srv, login, password, extra) {
  const c = new Client(srv);
  const r = await c.login(login, password, extra);
  assert.equal(r.status, 200, `login ${login}: ${JSON.stringify(r.json)}`);
  return c;
}

/** Enrol the client's user: generate, read the secret off the page, prove a code of step t. */
async function enrol(c, t = PREV) {
  let r = await c.get('/me/totp');
  assert.equal(r.status, 200);
  r = await c.form('/me/totp/setup', {});
  assert.equal(r.status, 303, r.text.slice(0, 300));
  const page = (await c.get('/me/totp')).text;
  const m = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page);
  assert.ok(m, 'the secret is shown as base32 text');
  assert.match(m[1], /^([A-Z2-7]{4} )+[A-Z2-7]{4}$/, 'grouped in fours');
  const key = base32Decode(m[1]);
  assert.equal(key.length, 20);
  const uri = /<code class="uri">(otpauth:\/\/totp\/[^<]+)<\/code>/.exec(page);
  assert.ok(uri, 'the otpauth:// URI is shown');
  assert.ok(uri[1].replaceAll('&amp;', '&').includes(`secret=${m[1].replaceAll(' ', '')}&`), 'the URI holds the same secret');
  r = await c.form('/me/totp/enable', { totp: totp(key, t) });
  assert.equal(r.status, 303, r.text.slice(0, 500));
  assert.equal(r.location, '/me/totp?enabled=1');
  return key;
}

/** The password step of the HTML login: {status, pending, text, cookie}. */
async function htmlPassword(srv, username, password, next) {
  const c = new Client(srv);
  const r = await c.form('/login', { username, password, ...(next ? { next } : {}) });
  const pending = /name="pending" value="([^"]+)"/.exec(r.text)?.[1];
  return { ...r, pending };
}

async function htmlCode(srv, pending, code, next) {
  const c = new Client(srv);
  const r = await c.form('/login/totp', { pending, totp: code, ...(next ? { next } : {}) });
  c.takeCookie(r.res);
  return { ...r, client: c };
}

// ---------- tests ----------

let env, secadmin, auditor;
before(async () => {
  env = await demoServer();
  secadmin = await loggedIn(env.srv, 'secadmin', env.pw.secadmin);
  // The security administrator enrols first, so that turning enforcement
  // on later does not hold their own session at the enrolment page.
  await enrol(secadmin, PREV);
  // Room for the failures the tests below make on purpose.
  const r = await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 10 });
  assert.equal(r.status, 200, r.text);
  // A session opened before enforcement is turned on.
  auditor = await loggedIn(env.srv, 'auditor', env.pw.auditor);
});
after(async () => { await env?.stop(); });

describe('the RFC 6238 implementation of this test', () => {
  it('matches the RFC test vector (T=59, SHA1)', () => {
    const key = Buffer.from('12345678901234567890');
    assert.equal(totp(key, 59, 8), '94287082');
    assert.equal(totp(key, 1111111109, 8), '07081804');
  });
});

describe('enrolment and login with TOTP', () => {
  let key;

  it('a wrong code does not enable; the right one does, and the secret is no longer shown', async () => {
    const c = await loggedIn(env.srv, 'xcb', env.pw.xcb);
    assert.match((await c.get('/me')).text, /href="\/me\/totp"[^>]*>动态验证码（双因素认证）<\/a>：未启用/);
    await c.form('/me/totp/setup', {});
    const page = (await c.get('/me/totp')).text;
    assert.match(page, /验证器/, 'Chinese instructions for the authenticator app');
    assert.match(page, /手动输入密钥/);
    const k = base32Decode(/<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page)[1]);
    const bad = await c.form('/me/totp/enable', { totp: wrongCode(k) });
    assert.equal(bad.status, 400);
    assert.match(bad.text, /验证码不正确/);
    assert.equal((await c.get('/api/v1/me')).json().totp_enabled, false);
    // enrol() generates a fresh secret (the old one is replaced) and enables it.
    key = await enrol(c, PREV);
    assert.equal((await c.get('/api/v1/me')).json().totp_enabled, true);
    const after = (await c.get('/me/totp')).text;
    assert.doesNotMatch(after, /class="secret"|otpauth:/, 'no secret once enabled');
    assert.match((await c.get('/me')).text, /：已启用/);
  });

  it('the password alone gives the code form, not a session', async () => {
    const r = await htmlPassword(env.srv, 'xcb', env.pw.xcb, '/me');
    assert.equal(r.status, 200);
    assert.equal(r.cookie, null, 'no session cookie after the password step');
    assert.ok(r.pending, 'a pending-login token in the form');
    assert.ok(!r.pending.includes(env.pw.xcb) && !r.text.includes(env.pw.xcb), 'the password is not carried');
    assert.match(r.text, /name="totp"/);
    assert.match(r.text, /动态验证码/);
  });

  it('a wrong code fails; the right one logs in; the same code again is a replay', async () => {
    const { pending } = await htmlPassword(env.srv, 'xcb', env.pw.xcb, '/me');
    const wrong = await htmlCode(env.srv, pending, wrongCode(key), '/me');
    assert.equal(wrong.status, 401);
    assert.equal(wrong.cookie, null);
    assert.match(wrong.text, /动态验证码不正确/);
    assert.match(wrong.text, /name="pending"/, 'the code form again');

    const ok = await htmlCode(env.srv, pending, totp(key, CUR), '/me');
    assert.equal(ok.status, 303, ok.text.slice(0, 300));
    assert.equal(ok.location, '/me');
    assert.ok(ok.client.cookie, 'a session cookie');
    assert.equal((await ok.client.get('/')).status, 200, 'the session works');

    const again = await htmlPassword(env.srv, 'xcb', env.pw.xcb);
    const replay = await htmlCode(env.srv, again.pending, totp(key, CUR));
    assert.equal(replay.status, 401);
    assert.equal(replay.cookie, null);
    assert.match(replay.text, /已使用过/);
    // The enrolment step is used up as well.
    const old = await htmlCode(env.srv, again.pending, totp(key, PREV));
    assert.equal(old.status, 401);
  });

  it('a forged or altered pending token gets nothing', async () => {
    const { pending } = await htmlPassword(env.srv, 'xcb', env.pw.xcb);
    const parts = pending.split('.');
    parts[1] = String(Number(parts[1]) + 1); // another user id, same tag
    const r = await htmlCode(env.srv, parts.join('.'), totp(key, NEXT));
    assert.equal(r.status, 401);
    assert.equal(r.cookie, null);
    assert.match(r.text, /重新输入登录名和密码/);
    const r2 = await htmlCode(env.srv, 'p1.1.9999999999.00.00', totp(key, NEXT));
    assert.equal(r2.status, 401);
  });

  it('the API needs "totp" in the same request: missing, wrong and replayed codes fail', async () => {
    const c = new Client(env.srv);
    let r = await c.login('xcb', env.pw.xcb);
    assert.equal(r.status, 401);
    assert.equal(checkErrorShape(r.json, assert).code, 'totp_required');
    assert.equal(r.json.error.field, 'totp');
    assert.equal(r.cookie, null);
    r = await c.login('xcb', env.pw.xcb, { totp: wrongCode(key) });
    assert.equal(r.status, 401);
    assert.equal(checkErrorShape(r.json, assert).code, 'bad_totp');
    r = await c.login('xcb', env.pw.xcb, { totp: totp(key, CUR) });
    assert.equal(r.status, 401, 'the step used by the HTML login is spent');
    assert.equal(r.json.error.code, 'bad_totp');
    r = await c.login('xcb', 'Wrong-Passw0rd!', { totp: totp(key, NEXT) });
    assert.equal(r.status, 401);
    assert.equal(r.json.error.code, 'bad_credentials', 'a wrong password is answered as before');
    r = await c.login('xcb', env.pw.xcb, { totp: totp(key, NEXT) });
    assert.equal(r.status, 200, JSON.stringify(r.json));
    assert.equal(r.json.user.login, 'xcb');
    assert.equal(r.json.must_change_password, false);
    assert.equal((await c.get('/api/v1/me')).status, 200);
  });

  it('wrong codes count toward the lockout like wrong passwords', async () => {
    const c = await loggedIn(env.srv, 'zgllr', env.pw.zgllr);
    const k = await enrol(c, PREV);
    assert.equal((await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 3 })).status, 200);
    try {
      const anon = new Client(env.srv);
      // The right password each time: it must not reset the count.
      let r = await anon.login('zgllr', env.pw.zgllr, { totp: wrongCode(k) });
      assert.equal(r.status, 401);
      r = await anon.login('zgllr', env.pw.zgllr);
      assert.equal(r.status, 401, 'a missing code counts too');
      const html = await htmlPassword(env.srv, 'zgllr', env.pw.zgllr);
      r = await htmlCode(env.srv, html.pending, wrongCode(k));
      assert.equal(r.status, 423, 'the third failure locks (HTML second step)');
      assert.equal(r.cookie, null);
      r = await anon.login('zgllr', env.pw.zgllr, { totp: totp(k, CUR) });
      assert.equal(r.status, 423, 'locked even with the right code');
      assert.equal(r.json.error.code, 'locked');
    } finally {
      await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 10 });
    }
  });

  it('the user disables TOTP with a current code; then the password alone works', async () => {
    const c = await loggedIn(env.srv, 'dfzf', env.pw.dfzf);
    const k = await enrol(c, PREV);
    let r = await c.form('/me/totp/disable', { totp: wrongCode(k) });
    assert.equal(r.status, 400);
    r = await c.form('/me/totp/disable', { totp: totp(k, CUR) });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal((await new Client(env.srv).login('dfzf', env.pw.dfzf)).status, 200);
  });

  it('wrong codes when disabling count toward the lockout; locked, even the right code disables nothing', async () => {
    const c = await loggedIn(env.srv, 'xcz_member', env.pw.xcz_member);
    const k = await enrol(c, PREV);
    assert.equal((await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 3 })).status, 200);
    try {
      for (let i = 0; i < 2; i++) {
        const r = await c.form('/me/totp/disable', { totp: wrongCode(k) });
        assert.equal(r.status, 400);
        assert.match(r.text, /验证码不正确/);
      }
      let r = await c.form('/me/totp/disable', { totp: wrongCode(k) });
      assert.equal(r.status, 400);
      assert.match(r.text, /验证码错误次数过多，账号已暂时锁定/);
      r = await c.form('/me/totp/disable', { totp: totp(k, CUR) });
      assert.equal(r.status, 400, 'refused even with the right code');
      assert.match(r.text, /账号已暂时锁定/);
      r = await c.get('/me/totp');
      assert.match(r.text, /已启用/, 'TOTP stays on');
      assert.equal((await new Client(env.srv).login('xcz_member', env.pw.xcz_member)).status, 423,
        'the login is locked out too');
    } finally {
      await secadmin.api('POST', '/api/v1/settings', { 'auth.lockout_failures': 10 });
    }
  });

  it('the security administrator resets a lost TOTP', async () => {
    const c = await loggedIn(env.srv, 'ags', env.pw.ags);
    await enrol(c, PREV);
    assert.equal((await new Client(env.srv).login('ags', env.pw.ags)).status, 401);
    const list = (await secadmin.get('/secadmin/users?q=ags')).text;
    const id = /<tr><td>ags<\/td>.*?href="\/secadmin\/users\/(\d+)"/.exec(list)[1];
    assert.match(list, /<tr><td>ags<\/td>.*已启用/);
    const r = await secadmin.form(`/secadmin/users/${id}/totp/reset`, {});
    assert.equal(r.status, 303, r.text.slice(0, 300));
    assert.equal((await new Client(env.srv).login('ags', env.pw.ags)).status, 200);
    assert.equal((await secadmin.form(`/secadmin/users/${id}/totp/reset`, {})).status, 409);
  });
});

describe('enforcement (auth.totp_enforce)', () => {
  it('a role made mandatory forces its members to enrol only while the setting is on', async () => {
    let r = await secadmin.form('/secadmin/roles/xfs/totp', { required: '1' });
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const roles = (await secadmin.get('/api/v1/roles')).json().items;
    assert.equal(roles.find((x) => x.code === 'xfs').totp_required, true);
    let login = await new Client(env.srv).login('xfs', env.pw.xfs);
    assert.equal(login.status, 200);
    assert.equal(login.json.must_enrol_totp, false, 'the setting is off by default');
    r = await secadmin.api('POST', '/api/v1/settings', { 'auth.totp_enforce': 1 });
    assert.equal(r.status, 200, r.text);
    login = await new Client(env.srv).login('xfs', env.pw.xfs);
    assert.equal(login.json.must_enrol_totp, true);
    r = await secadmin.api('POST', '/api/v1/roles/xfs/totp', { required: false });
    assert.equal(r.status, 200, r.text);
    login = await new Client(env.srv).login('xfs', env.pw.xfs);
    assert.equal(login.json.must_enrol_totp, false);
  });

  it('an administrator without TOTP must enrol before anything else', async () => {
    // (the setting is on since the previous test)
    const html = await htmlPassword(env.srv, 'sysadmin', env.pw.sysadmin, '/admin/users');
    assert.equal(html.status, 303, 'no code form: not enrolled yet');
    assert.equal(html.location, '/me/totp', 'the HTML login lands on the enrolment page');
    const c = await loggedIn(env.srv, 'sysadmin', env.pw.sysadmin);
    assert.equal((await c.get('/api/v1/me')).json().must_enrol_totp, true);
    let r = await c.get('/admin/users');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/me/totp');
    r = await c.get('/');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/me/totp');
    r = await c.get('/api/v1/roles');
    assert.equal(r.status, 403);
    assert.equal(checkErrorShape(r.json(), assert).code, 'totp_enrol_required');
    r = await c.get('/me/totp');
    assert.equal(r.status, 200);
    assert.match(r.text, /须使用动态验证码/);
    assert.equal((await c.get('/me/password')).status, 200, 'the password pages stay open');
    const k = await enrol(c, PREV);
    assert.equal((await c.get('/admin/users')).status, 200, 'open once enrolled');
    assert.equal((await c.get('/api/v1/me')).json().must_enrol_totp, false);
    // Mandatory: cannot be disabled.
    r = await c.form('/me/totp/disable', { totp: totp(k, CUR) });
    assert.equal(r.status, 400);
    assert.match(r.text, /不能停用/);
    // And from now on the password alone does not log in.
    assert.equal((await new Client(env.srv).login('sysadmin', env.pw.sysadmin)).json.error.code, 'totp_required');
  });

  it('sessions opened before enforcement are held at enrolment too', async () => {
    let r = await auditor.get('/');
    assert.equal(r.status, 303);
    assert.equal(r.location, '/me/totp');
    // So is an API token of that user: a token is no way around enrolment.
    const made = await runCliOk(['token', 'create', '--db', env.db.loc, '--user', 'auditor'],
      { env: env.cliEnv, cwd: env.db.dir });
    const token = made.stdout.match(/^jx_[0-9a-f]{64}$/m)?.[0];
    assert.ok(token, made.stdout);
    const bearer = { headers: { Authorization: `Bearer ${token}` } };
    let res = await env.srv.fetch('/api/v1/audit', bearer);
    assert.equal(res.status, 403);
    assert.equal(checkErrorShape(await res.json(), assert).code, 'totp_enrol_required');
    res = await env.srv.fetch('/api/v1/me', bearer);
    assert.equal(res.status, 200, 'the own account stays readable');
    assert.equal((await res.json()).must_enrol_totp, true);
    assert.equal((await secadmin.get('/secadmin')).status, 200, 'the enrolled secadmin works on');
    r = await secadmin.api('POST', '/api/v1/settings', { 'auth.totp_enforce': 0 });
    assert.equal(r.status, 200, r.text);
    assert.equal((await auditor.get('/')).status, 200, 'released when the setting goes off');
  });
});
