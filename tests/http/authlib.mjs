// Helpers for the identity and access-control suites (matrix, csrf, session,
// browser/password): the route and policy tables as `jixun routes` and
// `jixun policy` print them, logins and requests as a session, accounts
// made with `jixun user add --password-stdin`, and a movable server clock
// (JIXUN_CLOCK_FILE, re-read by jx_now() on every call).
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { BIN, runCliOk, assertNoSanitizerReport } from './lib.mjs';

// ---------- the tables ----------

/**
 * The route table: [{method, pattern, perm, csrf (bool), mode ('html' |
 * 'json' | 'asset'), audit (string or null)}], in table order.
 */
export async function routeTable() {
  const out = (await runCliOk(['routes'])).stdout;
  const routes = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('\t');
    if (f.length !== 6 || !/^[01]$/.test(f[3])) throw new Error(`jixun routes: bad line ${JSON.stringify(line)}`);
    routes.push({ method: f[0], pattern: f[1], perm: f[2], csrf: f[3] === '1', mode: f[4], audit: f[5] === '-' ? null : f[5] });
  }
  if (routes.length === 0) throw new Error('jixun routes printed no routes');
  return routes;
}

/** The policy table: [{role, perm, scope}]. */
export async function policyTable() {
  const out = (await runCliOk(['policy'])).stdout;
  const rules = [];
  for (const line of out.split('\n')) {
    if (!line.trim()) continue;
    const f = line.split('\t');
    if (f.length !== 3) throw new Error(`jixun policy: bad line ${JSON.stringify(line)}`);
    rules.push({ role: f[0], perm: f[1], scope: f[2] });
  }
  if (rules.length === 0) throw new Error('jixun policy printed no rules');
  return rules;
}

/** Role codes from `jixun role list --db …` (first column). */
export async function roleCodes(db) {
  const out = (await runCliOk(['role', 'list', '--db', db.loc])).stdout;
  return out.split('\n').map((l) => l.split(/\s+/)[0]).filter((c) => /^[a-z_]+$/.test(c));
}

/**
 * What the tables say about a caller: 'allowed' or 'denied'. roles is the
 * caller's role codes, or null for an anonymous request. A rule with scope
 * "none" grants nothing.
 */
export function expectedAccess(route, roles, policy) {
  if (route.perm === 'public') return 'allowed';
  if (roles === null) return 'denied';
  if (route.perm === 'login' || route.perm === 'self') return 'allowed';
  return policy.some((r) => r.perm === route.perm && r.scope !== 'none' && roles.includes(r.role)) ? 'allowed' : 'denied';
}

/** The roles that may call a route (policy-based permissions only). */
export function rolesFor(route, policy) {
  return [...new Set(policy.filter((r) => r.perm === route.perm && r.scope !== 'none').map((r) => r.role))];
}

/**
 * A concrete path for a pattern: every {param} becomes an id that does not
 * exist (999999), except /static/{name}, which gets a real asset.
 */
export function concretePath(pattern, id = '999999') {
  if (pattern === '/static/{name}') return '/static/app.css';
  return pattern.replace(/\{[^}]+\}/g, id);
}

/** The logout routes (they end the session that calls them). */
export function isLogout(route) {
  return route.audit === 'session.logout';
}

// ---------- sessions and requests ----------

/**
 * POST /api/v1/session (extra: more JSON fields; headers: more request
 * headers). Resolves {status, body, cookie, csrf, id, must, roles}; cookie
 * is "jixun_session=…" or '' when none was set.
 */
export async function login(srv, username, password, { extra = {}, headers = {} } = {}) {
  const res = await srv.fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', ...headers },
    body: JSON.stringify({ username, password, ...extra }),
  });
  const text = await res.text();
  let body = null;
  try { body = JSON.parse(text); } catch { /* asserted by callers */ }
  const cookie = (res.headers.get('set-cookie') || '').split(';')[0];
  return {
    status: res.status, text, body, cookie,
    csrf: body?.csrf_token, id: body?.user?.id, must: body?.must_change_password,
    roles: (body?.user?.roles || []).map((r) => r.code),
  };
}

/** A login that must succeed (200); resolves the same as login(). */
export async function loginOk(srv, username, password, opts) {
  const r = await login(srv, username, password, opts);
  if (r.status !== 200 || !r.cookie || !r.csrf) {
    throw new Error(`login ${username}: ${r.status} ${r.text.slice(0, 300)}`);
  }
  return r;
}

/**
 * A request as session s ({cookie, csrf}; null: anonymous). Options:
 * json (a value: sent as a JSON body), form (an object: urlencoded),
 * csrf (true: the session's token — header for JSON, field for forms;
 * false: none; a string: that token), csrfIn ('header' | 'body': where a
 * token goes), headers. Never follows redirects. Resolves {status,
 * headers, text, data (parsed JSON or null), location}.
 */
export async function call(srv, s, method, p, { json, form, csrf = true, csrfIn, headers = {} } = {}) {
  const h = { ...headers };
  if (s?.cookie) h.Cookie = s.cookie;
  const token = csrf === true ? s?.csrf : csrf || null;
  let body;
  if (json !== undefined) {
    h['Content-Type'] = 'application/json';
    let value = json;
    if (token && csrfIn === 'body') value = { ...json, csrf_token: token };
    else if (token) h['X-CSRF-Token'] = token;
    body = JSON.stringify(value);
  } else if (form !== undefined) {
    h['Content-Type'] = 'application/x-www-form-urlencoded';
    const f = new URLSearchParams(form);
    if (token && csrfIn === 'header') h['X-CSRF-Token'] = token;
    else if (token) f.set('csrf', token);
    body = f.toString();
  } else if (token) {
    h['X-CSRF-Token'] = token;
  }
  const res = await srv.fetch(p, { method, headers: h, body });
  const text = await res.text();
  let data = null;
  if (/^application\/json\b/.test(res.headers.get('content-type') || '')) {
    try { data = JSON.parse(text); } catch { /* left null: callers assert */ }
  }
  return { status: res.status, headers: res.headers, text, data, location: res.headers.get('location') };
}

/** A random 64-hex string: a token of the right shape that matches nothing. */
export function bogusToken() {
  return randomBytes(32).toString('hex');
}

// ---------- accounts ----------

let loginSeq = 0;
/** A fresh login name, unique within this process. */
export function uniqueLogin(prefix = 't') {
  return `${prefix}${process.pid % 10000}x${++loginSeq}`;
}

/**
 * `jixun user add --login … --name … --role … --password-stdin --db …`, the
 * password on stdin (lib.mjs's runCli closes stdin, so this spawns itself).
 * The account must change its password at first login. env is passed to
 * the command (e.g. the clock file). Resolves {code, stdout, stderr}.
 */
export function userAdd(db, { login: who, name, role, password, office, env = {} }) {
  const args = ['user', 'add', '--db', db.loc, '--login', who, '--name', name || `测试人员${who}`,
    '--role', role, '--password-stdin'];
  if (office) args.push('--office', office);
  return new Promise((resolve, reject) => {
    const childEnv = {
      ...process.env,
      ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=0:halt_on_error=1',
      UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
      JIXUN_KEY: db.key,
      ...env,
    };
    delete childEnv.JIXUN_DB;
    const child = spawn(BIN, args, { env: childEnv, stdio: ['pipe', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      try {
        assertNoSanitizerReport(stderr + stdout, `jixun ${args.join(' ')}`);
      } catch (e) {
        return reject(e);
      }
      if (signal) return reject(new Error(`jixun user add: killed by ${signal}\n${stderr}`));
      resolve({ code, stdout, stderr });
    });
    child.stdin.end(password + '\n');
  });
}

/** userAdd that must succeed; resolves the new account's id. */
export async function userAddOk(db, opts) {
  const r = await userAdd(db, opts);
  const m = /编号 (\d+)/.exec(r.stdout);
  if (r.code !== 0 || !m) throw new Error(`jixun user add ${opts.login} exited ${r.code}\n${r.stdout}\n${r.stderr}`);
  return Number(m[1]);
}

/**
 * A password the default policy accepts for any login of ours: 4 classes,
 * 16+ characters, unique per call.
 */
let pwSeq = 0;
export function goodPassword(tag = '') {
  return `Pw#${tag}${++pwSeq}-${randomBytes(6).toString('hex')}Zq9`;
}

// ---------- the clock ----------

/**
 * A server clock in a file (JIXUN_CLOCK_FILE). set()/advance() take seconds;
 * env is what the server and the CLI need to share it.
 */
export class Clock {
  constructor(dir, start = Date.parse('2031-03-02T08:00:00Z') / 1000) {
    this.file = path.join(dir, 'clock');
    this.env = { JIXUN_CLOCK_FILE: this.file };
    this.set(start);
  }

  set(epochSeconds) {
    this.now = Math.floor(epochSeconds);
    writeFileSync(this.file, new Date(this.now * 1000).toISOString().replace(/\.\d{3}Z$/, 'Z') + '\n');
    return this.now;
  }

  advance(seconds) { return this.set(this.now + seconds); }
}

export const MINUTE = 60;
export const HOUR = 3600;
export const DAY = 86400;
