// The command line: version, help, usage errors, idempotent init, and a
// backup restored into a fresh database that a server can then serve.
import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { statSync, existsSync } from 'node:fs';
import path from 'node:path';
import { runCli, runCliOk, freshDatabase, startServer, BACKEND } from './lib.mjs';

const COMMANDS = ['serve', 'init', 'migrate', 'demo', 'backup', 'restore'];

describe('jixun CLI', () => {
  it('version prints the version and exits 0', async () => {
    const r = await runCliOk(['version']);
    assert.match(r.stdout, /\d+\.\d+/);
  });

  it('help exits 0 and lists the commands', async () => {
    const r = await runCliOk(['help']);
    for (const c of COMMANDS) assert.match(r.stdout, new RegExp(`\\b${c}\\b`), `help lists ${c}`);
  });

  it('an unknown command prints usage on stderr and exits 2', async () => {
    const r = await runCli(['frobnicate']);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\bserve\b/, 'usage on stderr');
  });

  it('no command at all exits 2 with usage', async () => {
    const r = await runCli([]);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /\bserve\b/, 'usage on stderr');
  });

  it('a bad flag (serve --bogus) prints usage on stderr and exits 2', async () => {
    const r = await runCli(['serve', '--bogus'], { timeoutMs: 10_000 });
    assert.equal(r.code, 2);
    assert.ok(r.stderr.length > 0, 'something on stderr');
    assert.match(r.stderr, /--bogus|serve/, 'stderr names the flag or shows usage');
  });

  it('a flag missing its value (init --db) exits 2', async () => {
    const r = await runCli(['init', '--db']);
    assert.equal(r.code, 2);
  });

  it('init twice on the same database is a no-op the second time', async () => {
    const db = await freshDatabase();
    try {
      await runCliOk(['init', '--db', db.loc]);
      const size1 = BACKEND === 'sqlite' ? statSync(db.loc).size : 0;
      await runCliOk(['init', '--db', db.loc]);
      await runCliOk(['migrate', '--db', db.loc]);
      if (BACKEND === 'sqlite') assert.equal(statSync(db.loc).size, size1, 'second init changed nothing');
      const srv = await startServer({ db });
      try {
        await srv.assertAlive('after init twice');
      } finally {
        await srv.stop();
      }
    } finally {
      db.cleanup();
    }
  });

  it('--db may come from JIXUN_DB', async () => {
    const db = await freshDatabase();
    try {
      await runCliOk(['init'], { env: { JIXUN_DB: db.loc } });
      if (BACKEND === 'sqlite') assert.ok(existsSync(db.loc), 'init created the file named by JIXUN_DB');
    } finally {
      db.cleanup();
    }
  });

  it(`backup then restore into a fresh ${BACKEND} database gives a working server`, async () => {
    const src = await freshDatabase();
    const dst = await freshDatabase();
    try {
      await runCliOk(['init', '--db', src.loc]);
      // cwd: wherever demo writes its accounts file, keep it out of the repo
      await runCliOk(['demo', '--db', src.loc], { timeoutMs: 120_000, cwd: src.dir });
      const file = path.join(src.dir, 'backup.jixun');
      await runCliOk(['backup', '--db', src.loc, '--out', file], { timeoutMs: 120_000 });
      assert.ok(statSync(file).size > 0, 'backup file is not empty');
      await runCliOk(['restore', '--db', dst.loc, '--from', file], { timeoutMs: 120_000 });
      // The key file is kept apart from backups (a backup alone reveals no
      // sensitive text): the restored database is used with the source's key.
      const key = { JIXUN_KEY: src.key };
      await runCliOk(['audit', 'verify', '--db', dst.loc], { env: key });
      const srv = await startServer({ db: dst, env: key });
      try {
        const res = await srv.fetch('/healthz');
        assert.equal(res.status, 200);
        assert.equal((await res.json()).db, BACKEND);
      } finally {
        await srv.stop();
      }
    } finally {
      src.cleanup();
      dst.cleanup();
    }
  });

  it('the version in /healthz matches `jixun version`', async () => {
    const v = (await runCliOk(['version'])).stdout;
    const srv = await startServer();
    try {
      const body = await (await srv.fetch('/healthz')).json();
      assert.ok(v.includes(body.version), `"${v.trim()}" contains "${body.version}"`);
    } finally {
      await srv.stop();
    }
  });
});
