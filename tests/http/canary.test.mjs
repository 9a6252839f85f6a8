// Evidence for encryption at rest and the key file (issue 3; SECURITY.md
// D2, C6), against a real server on SQLite or PostgreSQL:
//   - a TOTP secret enrolled through the web pages is stored sealed: its
//     base32 text, hex and raw bytes are absent from the database files
//     (SQLite: the file and its WAL; PostgreSQL: the database's data files
//     and the WAL segments, when the test can read the cluster directory),
//     from a `jixun backup` file and from the server's output, while the
//     sealed blob itself is found there (so the scan looks in the right
//     place);
//   - a changed password is nowhere in clear either;
//   - `jixun init` writes the key file 0600 (even under umask 000), beside
//     a SQLite database as DB.key or at --key PATH; it never overwrites
//     it; `serve` refuses a key file readable by others, in Chinese; and
//     neither key is in the database, its WAL or a backup.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import {
  readFileSync, existsSync, statSync, chmodSync, mkdirSync, readdirSync,
} from 'node:fs';
import path from 'node:path';
import { createHmac, randomBytes } from 'node:crypto';
import {
  startServer, freshDatabase, runCli, runCliOk, demoAccounts, assertNoSanitizerReport,
  BIN, BACKEND, CJK,
} from './lib.mjs';

const PG = BACKEND === 'postgresql';
const NOW = '2026-03-02T08:00:15Z';
const T = Date.parse(NOW) / 1000;
const ENV = { JIXUN_FAKE_NOW: NOW };

// ---------- helpers ----------

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

/** RFC 6238 (HMAC-SHA1, 30 s, 6 digits). */
function totp(key, t) {
  const msg = Buffer.alloc(8);
  msg.writeBigUInt64BE(BigInt(Math.floor(t / 30)));
  const mac = createHmac('sha1', key).update(msg).digest();
  const off = mac[mac.length - 1] & 0x0f;
  return String((mac.readUInt32BE(off) & 0x7fffffff) % 1e6).padStart(6, '0');
}

function sql(loc, text) {
  const [cmd, args] = PG
    ? ['psql', ['-X', '-q', '-A', '-t', '-v', 'ON_ERROR_STOP=1', '-d', loc, '-c', text]]
    : ['sqlite3', ['-batch', '-bail', '-cmd', '.timeout 10000', loc, text]];
  return new Promise((resolve, reject) => {
    execFile(cmd, args, { timeout: 60_000 }, (err, stdout, stderr) => {
      if (err) reject(new Error(`${cmd} ${text}: ${err.message}\n${stderr}`));
      else resolve(stdout.trim());
    });
  });
}

const hexOf = (col) => (PG ? `encode(${col}, 'hex')` : `lower(hex(${col}))`);

class Client {
  constructor(srv) { this.srv = srv; this.cookie = ''; this.csrf = ''; }

  async login(username, password) {
    const res = await this.srv.fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username, password }),
    });
    const json = await res.json();
    assert.equal(res.status, 200, `login ${username}: ${JSON.stringify(json)}`);
    this.cookie = res.headers.get('set-cookie').split(';')[0];
    this.csrf = json.csrf_token;
    this.id = json.user.id;
    return this;
  }

  async get(p) {
    const res = await this.srv.fetch(p, { headers: { Cookie: this.cookie } });
    return { status: res.status, text: await res.text() };
  }

  async form(p, fields) {
    const res = await this.srv.fetch(p, {
      method: 'POST',
      headers: { Cookie: this.cookie, 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ csrf: this.csrf, ...fields }).toString(),
    });
    return { status: res.status, text: await res.text(), location: res.headers.get('location') };
  }

  async api(method, p, body) {
    const res = await this.srv.fetch(p, {
      method,
      headers: { Cookie: this.cookie, 'X-CSRF-Token': this.csrf, 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
    });
    return { status: res.status, text: await res.text() };
  }
}

/** Files that hold db's data at rest, as [label, path]; for PostgreSQL
 * after a CHECKPOINT, the data files of this database and the WAL
 * segments written since `since` (ms).  null when the cluster directory
 * cannot be read by this process. */
async function restingFiles(db, since) {
  if (!PG) return [['database file', db.loc], ['WAL', `${db.loc}-wal`]].filter(([, p]) => existsSync(p));
  await sql(db.loc, 'CHECKPOINT');
  const dataDir = await sql(db.loc, 'SHOW data_directory');
  const oid = await sql(db.loc, 'SELECT oid FROM pg_database WHERE datname = current_database()');
  const files = [];
  try {
    const base = path.join(dataDir, 'base', oid);
    for (const f of readdirSync(base)) files.push([`data file base/${oid}/${f}`, path.join(base, f)]);
    const wal = path.join(dataDir, 'pg_wal');
    for (const f of readdirSync(wal)) {
      const p = path.join(wal, f);
      // Segments are recycled under us: one that is gone is not scanned.
      const st = /^[0-9A-F]{24}$/.test(f) ? statSync(p, { throwIfNoEntry: false }) : null;
      if (st && st.mtimeMs >= since - 2000) files.push([`WAL pg_wal/${f}`, p]);
    }
  } catch (e) {
    if (e.code === 'EACCES' || e.code === 'EPERM') return null;
    throw e;
  }
  return files;
}

/** Asserts that no needle ([name, Buffer]) occurs in any file; returns the
 * concatenated size scanned. */
function assertAbsent(files, needles) {
  let size = 0;
  for (const [label, p] of files) {
    const buf = readIfThere(p);
    if (!buf) continue;
    size += buf.length;
    for (const [name, n] of needles) {
      assert.equal(buf.indexOf(n), -1, `${name} found in the ${label} (${p})`);
    }
  }
  return size;
}

function readIfThere(p) {
  try { return readFileSync(p); } catch (e) { if (e.code === 'ENOENT') return null; throw e; }
}

function foundIn(files, needle) {
  return files.some(([, p]) => (readIfThere(p)?.indexOf(needle) ?? -1) >= 0);
}

/** The canary forms of a TOTP secret given as its grouped base32 text. */
function secretNeedles(grouped) {
  const b32 = grouped.replaceAll(' ', '');
  const raw = base32Decode(b32);
  return [
    ['the base32 secret', Buffer.from(b32)],
    ['the grouped base32 secret', Buffer.from(grouped)],
    ['the lowercase base32 secret', Buffer.from(b32.toLowerCase())],
    ['the first 16 base32 characters', Buffer.from(b32.slice(0, 16))],
    ['the raw secret bytes', raw],
    ['the first 10 raw secret bytes', raw.subarray(0, 10)],
    ['the hex secret', Buffer.from(raw.toString('hex'))],
  ];
}

// ---------- a TOTP secret and a password, sealed or hashed at rest ----------

describe('canaries at rest: a TOTP secret enrolled on the web, and a new password', () => {
  let db, srv, pw, xcb, grouped, sealed, newPw;
  const start = Date.now();

  before(async () => {
    db = await freshDatabase();
    await runCliOk(['init', '--db', db.loc], { env: ENV });
    pw = await demoAccounts(db, { env: ENV });
    srv = await startServer({ db, env: ENV });
    xcb = await new Client(srv).login('xcb', pw.xcb);
  });

  after(async () => {
    try { await srv?.stop(); } finally { db?.cleanup(); }
  });

  it('enrols TOTP through /me/totp and changes the password', async () => {
    let r = await xcb.form('/me/totp/setup', {});
    assert.equal(r.status, 303, r.text.slice(0, 300));
    const page = (await xcb.get('/me/totp')).text;
    const m = /<code class="secret">([A-Z2-7 ]+)<\/code>/.exec(page);
    assert.ok(m, 'the secret is shown on the page');
    grouped = m[1];
    const key = base32Decode(grouped);
    assert.equal(key.length, 20);
    r = await xcb.form('/me/totp/enable', { totp: totp(key, T) });
    assert.equal(r.status, 303, r.text.slice(0, 500));
    assert.equal(r.location, '/me/totp?enabled=1');
    sealed = Buffer.from(await sql(db.loc, `SELECT ${hexOf('secret_sealed')} FROM user_totp WHERE user_id = ${xcb.id}`), 'hex');
    assert.equal(sealed.length, 1 + 16 + 20 + 32, 'version, iv, ciphertext, tag');
    newPw = `Cn#pw-${randomBytes(10).toString('hex')}`;
    const c = await xcb.api('POST', '/api/v1/me/password', { old_password: pw.xcb, new_password: newPw });
    assert.equal(c.status, 204, c.text);
  });

  const needles = () => [...secretNeedles(grouped), ['the new password', Buffer.from(newPw)],
    ['the old password', Buffer.from(pw.xcb)]];

  it(PG ? 'absent from the database\'s data files and the WAL' : 'absent from the database file and its WAL',
    async (t) => {
      assert.ok(sealed, 'enrolled');
      const files = await restingFiles(db, start);
      if (!files) {
        t.skip('the PostgreSQL data directory is not readable by this process');
        return;
      }
      assert.ok(files.length > 0);
      if (!PG) assert.ok(existsSync(`${db.loc}-wal`), 'the server keeps a WAL while it runs');
      assert.ok(foundIn(files, sealed), 'control: the sealed blob is in the files scanned');
      assert.ok(assertAbsent(files, needles()) > 0);
    });

  it('absent from a `jixun backup` file (which does hold the sealed blob)', async () => {
    const file = path.join(db.dir, 'canary.backup');
    await runCliOk(['backup', '--db', db.loc, '--out', file], { timeoutMs: 120_000 });
    const files = [['backup', file]];
    assert.ok(foundIn(files, sealed), 'control: the sealed blob is in the backup');
    assert.ok(foundIn(files, Buffer.from('xcb')), 'control: clear columns are in the backup');
    assertAbsent(files, needles());
    assert.equal(statSync(file).mode & 0o777, 0o600, 'the backup is readable by its owner only');
  });

  it('absent from the server\'s output (log and stdout)', async () => {
    await srv.waitForStderr(/\/api\/v1\/me\/password/);
    const out = Buffer.from(srv.stderr + srv.stdout);
    assert.ok(out.length > 0);
    for (const [name, n] of needles()) assert.equal(out.indexOf(n), -1, `${name} in the server output`);
  });
});

// ---------- the key file ----------

describe('the key file', () => {
  const mode = (p) => statSync(p).mode & 0o777;

  it('`jixun init` creates it with mode 0600 at the default place (SQLite: DB.key; PostgreSQL: ./jixun.key), and no account', async () => {
    const db = await freshDatabase();
    try {
      // JIXUN_KEY empty: the default, not the test's key path.
      const r = await runCliOk(['init', '--db', db.loc], { env: { JIXUN_KEY: '' }, cwd: db.dir });
      const want = PG ? path.join(db.dir, 'jixun.key') : `${db.loc}.key`;
      assert.ok(existsSync(want), `${want} created:\n${r.stdout}`);
      assert.equal(mode(want), 0o600);
      assert.ok(r.stdout.includes(PG ? 'jixun.key' : want), 'init names the key file');
      assert.match(r.stdout, /0600/);
      assert.match(readFileSync(want, 'utf8'), /^jixun-keyfile 1\naudit-mac [0-9a-f]{64}\ndata [0-9a-f]{64}\n$/);
      assert.ok(!existsSync(db.key), 'nothing at the path the other tests use');
      // SECURITY.md B1: a fresh install has no account, so no default login.
      assert.match(r.stdout, /未创建任何账号/);
      assert.equal(await sql(db.loc, 'SELECT COUNT(*) FROM app_user'), '0');
    } finally {
      db.cleanup();
    }
  });

  it('`jixun init --key PATH` creates it at PATH, 0600 even under umask 000; a second init keeps it', async () => {
    const db = await freshDatabase();
    try {
      const dir = path.join(db.dir, 'keys');
      mkdirSync(dir);
      const key = path.join(dir, 'custom.key');
      const r = await new Promise((resolve) => {
        execFile('sh', ['-c', 'umask 000 && exec "$0" "$@"', BIN, 'init', '--db', db.loc, '--key', key],
          { cwd: db.dir, env: { ...process.env, JIXUN_KEY: '' } },
          (err, stdout, stderr) => resolve({ code: err ? err.code : 0, stdout, stderr }));
      });
      assertNoSanitizerReport(r.stderr + r.stdout, 'jixun init --key');
      assert.equal(r.code, 0, r.stderr);
      assert.equal(mode(key), 0o600, 'umask does not widen it');
      for (const p of [`${db.loc}.key`, path.join(db.dir, 'jixun.key')]) assert.ok(!existsSync(p), `no key at ${p}`);
      const text = readFileSync(key, 'utf8');
      const again = await runCliOk(['init', '--db', db.loc, '--key', key]);
      assert.match(again.stdout, /已存在，保持不变/);
      assert.equal(readFileSync(key, 'utf8'), text, 'never overwritten');
      const v = await runCli(['audit', 'verify', '--db', db.loc, '--key', key]);
      assert.equal(v.code, 0, v.stdout + v.stderr);
    } finally {
      db.cleanup();
    }
  });

  it('`jixun serve` refuses a key file with mode 0644, in Chinese, and starts once it is 0600 again', async () => {
    const db = await freshDatabase();
    try {
      await runCliOk(['init', '--db', db.loc]);
      chmodSync(db.key, 0o644);
      const r = await runCli(['serve', '--db', db.loc, '--listen', '127.0.0.1:0', '--key', db.key], { timeoutMs: 30_000 });
      assert.notEqual(r.code, 0);
      assert.doesNotMatch(r.stdout, /listening on/);
      assert.match(r.stderr, CJK);
      assert.match(r.stderr, /密钥文件权限过宽，应为 0600/);
      assert.match(r.stderr, /0644/);
      // Every other command that loads the key refuses it as well.
      const v = await runCli(['audit', 'verify', '--db', db.loc, '--key', db.key]);
      assert.notEqual(v.code, 0);
      assert.match(v.stderr, /权限过宽/);
      chmodSync(db.key, 0o600);
      const srv = await startServer({ db });
      try {
        await srv.assertAlive('with the key file back at 0600');
      } finally {
        await srv.stop();
      }
    } finally {
      db.cleanup();
    }
  });

  it('neither key is in the database, its WAL or a backup (hex text or raw bytes)', async (t) => {
    const db = await freshDatabase();
    const start = Date.now();
    let srv;
    try {
      await runCliOk(['init', '--db', db.loc], { env: ENV });
      const pw = await demoAccounts(db, { env: ENV });
      srv = await startServer({ db, env: ENV });
      // Something sealed and some audit records, written under the keys.
      const c = await new Client(srv).login('xcb', pw.xcb);
      assert.equal((await c.form('/me/totp/setup', {})).status, 303);
      const text = readFileSync(db.key, 'utf8');
      const hex = [...text.matchAll(/^(audit-mac|data) ([0-9a-f]{64})$/gm)].map((m) => [m[1], m[2]]);
      assert.equal(hex.length, 2, text);
      const needles = hex.flatMap(([n, h]) => [[`the ${n} key (hex)`, Buffer.from(h)],
        [`the ${n} key (upper-case hex)`, Buffer.from(h.toUpperCase())], [`the ${n} key (bytes)`, Buffer.from(h, 'hex')]]);
      const file = path.join(db.dir, 'keys.backup');
      await runCliOk(['backup', '--db', db.loc, '--out', file], { timeoutMs: 120_000 });
      assertAbsent([['backup', file]], needles);
      assert.ok(foundIn([['key file', db.key]], needles[0][1]), 'control: the scan finds the key in the key file');
      const out = Buffer.from(srv.stderr + srv.stdout);
      for (const [name, n] of needles) assert.equal(out.indexOf(n), -1, `${name} in the server output`);
      const files = await restingFiles(db, start);
      if (!files) {
        t.diagnostic('PostgreSQL data directory not readable: only the backup and the output were scanned');
        return;
      }
      assert.ok(assertAbsent(files, needles) > 0);
    } finally {
      try { await srv?.stop(); } finally { db.cleanup(); }
    }
  });
});
