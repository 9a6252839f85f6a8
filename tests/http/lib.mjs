// Shared helpers for the HTTP and browser suites: start a real `jixun serve`
// (the sanitizer build) on a random loopback port with a fresh database, talk
// to it with fetch or raw sockets, and fail on any sanitizer report.
//
// Environment:
//   JIXUN_BIN            server binary (default build/asan/jixun)
//   JIXUN_TEST_BACKEND   sqlite (default) | postgresql
//   JIXUN_TEST_PG_URL    admin URL of the throwaway cluster (tests/pg.sh)
import { spawn, execFile } from 'node:child_process';
import { mkdtempSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import net from 'node:net';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { randomBytes } from 'node:crypto';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const BIN = path.resolve(ROOT, process.env.JIXUN_BIN || 'build/asan/jixun');
export const BACKEND = process.env.JIXUN_TEST_BACKEND || 'sqlite';
export const ARTIFACTS = path.join(ROOT, 'build/test-artifacts');

if (BACKEND !== 'sqlite' && BACKEND !== 'postgresql') {
  throw new Error(`JIXUN_TEST_BACKEND must be sqlite or postgresql, not ${BACKEND}`);
}

// Same settings as tests/run.sh, so a single file run by hand behaves alike.
const childEnv = {
  ...process.env,
  ASAN_OPTIONS: process.env.ASAN_OPTIONS || 'detect_leaks=1:abort_on_error=0:halt_on_error=1',
  UBSAN_OPTIONS: process.env.UBSAN_OPTIONS || 'print_stacktrace=1:halt_on_error=1',
};
// Every test names its database, and its key file (see withKey), itself.
delete childEnv.JIXUN_DB;
delete childEnv.JIXUN_KEY;

const SANITIZER_MARKS = ['AddressSanitizer', 'LeakSanitizer', 'runtime error:'];

/** Throws if text holds a sanitizer report. */
export function assertNoSanitizerReport(text, what) {
  for (const mark of SANITIZER_MARKS) {
    if (text.includes(mark)) {
      throw new Error(`${what}: sanitizer report ("${mark}"):\n${tail(text, 8000)}`);
    }
  }
}

function tail(text, n) {
  return text.length > n ? '…' + text.slice(-n) : text;
}

export const CJK = /[\u4e00-\u9fff]/;

// ---------- processes ----------

/**
 * Runs the jixun CLI to completion. Resolves {code, signal, stdout, stderr};
 * never rejects on a non-zero exit (tests assert the code), but does throw on
 * a sanitizer report or a hang.
 */
export function runCli(args, { timeoutMs = 60_000, env = {}, cwd = undefined } = {}) {
  return new Promise((resolve, reject) => {
    const child = spawn(BIN, args, { cwd, env: { ...childEnv, ...withKey(args, env) }, stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '', stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d) => { stdout += d; });
    child.stderr.setEncoding('utf8').on('data', (d) => { stderr += d; });
    const timer = setTimeout(() => child.kill('SIGKILL'), timeoutMs);
    child.on('error', (e) => { clearTimeout(timer); reject(e); });
    child.on('close', (code, signal) => {
      clearTimeout(timer);
      const what = `jixun ${args.join(' ')}`;
      try {
        assertNoSanitizerReport(stderr + stdout, what);
      } catch (e) {
        return reject(e);
      }
      if (signal === 'SIGKILL') return reject(new Error(`${what}: no exit within ${timeoutMs} ms\n${stderr}`));
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/** Runs a CLI command that must succeed; returns its result. */
export async function runCliOk(args, opts) {
  const r = await runCli(args, opts);
  if (r.code !== 0) {
    throw new Error(`jixun ${args.join(' ')} exited ${r.code ?? r.signal}\nstdout: ${r.stdout}\nstderr: ${r.stderr}`);
  }
  return r;
}

function psql(url, sql) {
  return new Promise((resolve, reject) => {
    execFile('psql', ['-X', '-q', '-v', 'ON_ERROR_STOP=1', '-d', url, '-c', sql],
      { timeout: 30_000 }, (err, stdout, stderr) => {
        if (err) reject(new Error(`psql ${sql}: ${err.message}\n${stderr}`));
        else resolve(stdout);
      });
  });
}

/** Replaces the database name in a postgresql:// URL. */
function pgUrlFor(adminUrl, dbname) {
  const m = /^(postgres(?:ql)?:\/\/[^/?]*)(\/[^?]*)?(\?.*)?$/.exec(adminUrl);
  if (!m) throw new Error(`cannot parse JIXUN_TEST_PG_URL ${adminUrl}`);
  return `${m[1]}/${dbname}${m[3] || ''}`;
}

/**
 * A fresh, empty database for the current backend: {loc, dir, key, cleanup()}.
 * loc is what --db takes; key is where its key file goes (jixun init creates
 * it). Nothing is initialised.
 */
export async function freshDatabase() {
  const dir = mkdtempSync(path.join(tmpdir(), 'jixun-test-'));
  TEMP_DIRS.add(dir);
  const cleanup = () => { rmSync(dir, { recursive: true, force: true }); TEMP_DIRS.delete(dir); };
  let loc;
  if (BACKEND === 'sqlite') {
    loc = path.join(dir, 'test.db');
  } else {
    const admin = process.env.JIXUN_TEST_PG_URL;
    if (!admin) throw new Error('JIXUN_TEST_BACKEND=postgresql needs JIXUN_TEST_PG_URL (see tests/pg.sh)');
    const name = 'jx_' + randomBytes(6).toString('hex');
    await psql(admin, `CREATE DATABASE ${name}`);
    // The cluster is thrown away after the run, so the database is left in place.
    loc = pgUrlFor(admin, name);
  }
  // The key file lives beside the test database, never in the working
  // directory (for PostgreSQL jixun's default is ./jixun.key).
  const key = path.join(dir, 'test.key');
  KEYS.set(loc, key);
  return { loc, dir, key, cleanup };
}

// Temporary folders still there when the test process ends (a test failed
// before its cleanup) are removed then.
const TEMP_DIRS = new Set();
process.on('exit', () => {
  for (const d of TEMP_DIRS) rmSync(d, { recursive: true, force: true });
});

// --db location → its test key file; runCli and startServer pass it as
// JIXUN_KEY unless the caller names a key itself.
const KEYS = new Map();

function withKey(args, env) {
  if ('JIXUN_KEY' in env || args.includes('--key')) return env;
  const i = args.indexOf('--db');
  const loc = i >= 0 ? args[i + 1] : env.JIXUN_DB;
  return KEYS.has(loc) ? { ...env, JIXUN_KEY: KEYS.get(loc) } : env;
}

/**
 * Starts `jixun serve` on 127.0.0.1:0 with a fresh, initialised database.
 * Options: db (an existing {loc} to serve instead; not initialised again),
 * args (extra serve arguments), env.
 * Returns a Server; always call stop() (it is where sanitizer reports and
 * unclean exits turn into test failures).
 */
export async function startServer({ db = null, args = [], env = {} } = {}) {
  if (!existsSync(BIN)) throw new Error(`${BIN} not found: run make asan first`);
  let owned = null;
  if (!db) {
    owned = await freshDatabase();
    db = owned;
    await runCliOk(['init', '--db', db.loc]);
  }
  const srv = new Server(db, owned);
  await srv.start(args, env);
  return srv;
}

class Server {
  constructor(db, owned) {
    this.db = db;
    this.owned = owned;
    this.stdout = '';
    this.stderr = '';
    this.exited = null; // {code, signal} once gone
  }

  start(args, env) {
    return new Promise((resolve, reject) => {
      const argv = ['serve', '--db', this.db.loc, '--listen', '127.0.0.1:0', ...args];
      const child = spawn(BIN, argv, { env: { ...childEnv, ...withKey(argv, env) }, stdio: ['ignore', 'pipe', 'pipe'] });
      this.child = child;
      this.exitPromise = new Promise((res) => child.on('close', (code, signal) => {
        this.exited = { code, signal };
        res(this.exited);
      }));
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`jixun serve printed no "listening on" line within 30 s\nstdout: ${this.stdout}\nstderr: ${tail(this.stderr, 4000)}`));
      }, 30_000);
      child.on('error', (e) => { clearTimeout(timer); reject(e); });
      child.stderr.setEncoding('utf8').on('data', (d) => { this.stderr += d; });
      child.stdout.setEncoding('utf8').on('data', (d) => {
        this.stdout += d;
        const m = /jixun: listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(this.stdout);
        if (m && !this.port) {
          clearTimeout(timer);
          this.base = m[1];
          this.port = Number(m[2]);
          resolve(this);
        }
      });
      this.exitPromise.then(({ code, signal }) => {
        if (this.port) return;
        clearTimeout(timer);
        reject(new Error(`jixun serve exited (${code ?? signal}) before listening\nstdout: ${this.stdout}\nstderr: ${tail(this.stderr, 4000)}`));
      });
    });
  }

  url(p) { return this.base + p; }

  /** fetch relative to the server; never follows redirects. */
  fetch(p, opts = {}) {
    return fetch(this.url(p), { redirect: 'manual', ...opts });
  }

  /** Raw bytes over a fresh TCP connection; see rawRequest. */
  raw(data, opts) { return rawRequest(this.port, data, opts); }

  /** Throws unless GET /healthz answers 200 (the server survived). */
  async assertAlive(context = '') {
    let res;
    try {
      res = await this.fetch('/healthz');
    } catch (e) {
      throw new Error(`server not answering ${context}: ${e.message}\nstderr: ${tail(this.stderr, 4000)}`);
    }
    await res.arrayBuffer();
    if (res.status !== 200) throw new Error(`GET /healthz ${context} → ${res.status}`);
  }

  /** Waits until stderr matches re (the access log is written after the response). */
  async waitForStderr(re, timeoutMs = 3000) {
    const end = Date.now() + timeoutMs;
    while (Date.now() < end) {
      if (re.test(this.stderr)) return true;
      await new Promise((r) => setTimeout(r, 25));
    }
    return re.test(this.stderr);
  }

  /**
   * SIGTERM, then the server must exit 0 within 10 s with no sanitizer
   * report on stderr. Throws otherwise (so the calling hook/test fails).
   */
  async stop() {
    if (this.stopped) return;
    this.stopped = true;
    try {
      if (!this.exited) this.child.kill('SIGTERM');
      let timer;
      const timeout = new Promise((res) => { timer = setTimeout(() => res(null), 10_000); });
      const ex = await Promise.race([this.exitPromise, timeout]);
      clearTimeout(timer);
      if (!ex) {
        this.child.kill('SIGKILL');
        await this.exitPromise;
        throw new Error(`jixun serve did not exit within 10 s of SIGTERM\nstderr: ${tail(this.stderr, 4000)}`);
      }
      assertNoSanitizerReport(this.stderr, 'jixun serve');
      if (ex.code !== 0) {
        throw new Error(`jixun serve exited with ${ex.code ?? ex.signal} (want 0)\nstderr: ${tail(this.stderr, 4000)}`);
      }
    } finally {
      this.owned?.cleanup();
    }
  }
}

// ---------- raw HTTP ----------

/**
 * Sends data (string or Buffer, or an array of chunks) over a new TCP
 * connection and collects what the server sends until one complete response
 * has arrived, the server closes the connection, or timeoutMs passes.
 * Options: end (half-close after writing, default true), timeoutMs.
 * Resolves {data: Buffer, closed, error}; closed is false when we stopped
 * reading first.
 */
export function rawRequest(port, data, { end = true, timeoutMs = 5000 } = {}) {
  return new Promise((resolve) => {
    const chunks = [];
    let error = null, done = false;
    const sock = net.connect(port, '127.0.0.1');
    const finish = (closed) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      sock.destroy();
      resolve({ data: Buffer.concat(chunks), closed, error });
    };
    const timer = setTimeout(() => finish(false), timeoutMs);
    sock.on('data', (d) => {
      chunks.push(d);
      if (responseComplete(Buffer.concat(chunks))) finish(false);
    });
    sock.on('error', (e) => { error = e; finish(true); }); // e.g. ECONNRESET after a 4xx
    sock.on('close', () => finish(true));
    sock.on('connect', () => {
      const parts = Array.isArray(data) ? data : [data];
      for (const p of parts) sock.write(p);
      if (end) sock.end();
    });
  });
}

/** Whether buf holds a whole response (headers plus Content-Length or final chunk). */
function responseComplete(buf) {
  const headEnd = buf.indexOf('\r\n\r\n');
  if (headEnd < 0) return false;
  const head = buf.subarray(0, headEnd).toString('latin1');
  const status = Number(/^HTTP\/1\.[01] (\d{3})/.exec(head)?.[1]);
  if (!status) return false;
  if (status === 204 || status === 304 || (status >= 100 && status < 200)) return true;
  const len = /\r\ncontent-length:\s*(\d+)/i.exec(head);
  if (len) return buf.length - (headEnd + 4) >= Number(len[1]);
  if (/\r\ntransfer-encoding:[^\r]*chunked/i.test(head)) return buf.subarray(headEnd).includes('\r\n0\r\n\r\n');
  return false; // body ends when the connection closes
}

/**
 * Parses the first response in raw bytes: {status, statusLine, headers (lower-case
 * keys), body (string)}; null if there is no status line.
 */
export function parseResponse(buf) {
  const text = buf.toString('latin1');
  const m = /^HTTP\/1\.[01] (\d{3})[^\r\n]*\r\n/.exec(text);
  if (!m) return null;
  const headEnd = text.indexOf('\r\n\r\n');
  const headText = headEnd < 0 ? text : text.slice(0, headEnd);
  const headers = {};
  for (const line of headText.split('\r\n').slice(1)) {
    const i = line.indexOf(':');
    if (i > 0) headers[line.slice(0, i).trim().toLowerCase()] = line.slice(i + 1).trim();
  }
  let body = headEnd < 0 ? Buffer.alloc(0) : buf.subarray(Buffer.byteLength(text.slice(0, headEnd + 4), 'latin1'));
  if (/chunked/i.test(headers['transfer-encoding'] || '')) body = dechunk(body);
  else if (headers['content-length']) body = body.subarray(0, Number(headers['content-length']));
  return { status: Number(m[1]), statusLine: m[0].trim(), headers, body: body.toString('utf8') };
}

function dechunk(buf) {
  const out = [];
  let i = 0;
  while (i < buf.length) {
    const eol = buf.indexOf('\r\n', i, 'latin1');
    if (eol < 0) break;
    const size = parseInt(buf.subarray(i, eol).toString('latin1'), 16);
    if (!(size > 0)) break;
    out.push(buf.subarray(eol + 2, eol + 2 + size));
    i = eol + 2 + size + 2;
  }
  return Buffer.concat(out);
}

// ---------- assertions on responses ----------

/** Reads a JSON error body and checks its shape; returns the error object. */
export function checkErrorShape(json, assert) {
  assert.ok(json && typeof json === 'object' && json.error && typeof json.error === 'object',
    `want {"error":{…}}, got ${JSON.stringify(json)}`);
  const e = json.error;
  assert.equal(typeof e.code, 'string', 'error.code is a string');
  assert.equal(typeof e.message, 'string', 'error.message is a string');
  assert.match(e.message, CJK, 'error.message is in Chinese');
  assert.ok('field' in e, 'error.field is present (null when no field is at fault)');
  return e;
}

/**
 * Loads the demo data into db ({loc, dir}) with `jixun demo` and returns
 * {login: password} for every demo account it printed (the accounts file
 * it writes lands in db.dir, outside the repository).
 */
export async function demoAccounts(db, { env = {} } = {}) {
  const out = (await runCliOk(['demo', '--db', db.loc], { timeoutMs: 120_000, cwd: db.dir, env })).stdout;
  const pw = {};
  for (const m of out.matchAll(/^\s+([a-z_]+)\s+(\S{16})\s+\S/gm)) pw[m[1]] = m[2];
  if (!pw.sysadmin) throw new Error(`no demo accounts in the output of jixun demo:\n${out}`);
  return pw;
}
