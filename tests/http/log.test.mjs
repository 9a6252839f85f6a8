// The access log (server stderr): one line per request with method, path and
// status, and never a query value or a cookie value.
import { describe, it, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { startServer } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });

describe('access log', () => {
  it('has a line with method, path and status for each request', async () => {
    const probes = [['GET', '/healthz', 200], ['GET', '/log-probe-404', 404], ['DELETE', '/healthz', 405]];
    for (const [method, p, status] of probes) {
      const res = await srv.fetch(p, { method });
      await res.arrayBuffer();
      assert.equal(res.status, status);
    }
    for (const [method, p, status] of probes) {
      const re = new RegExp(`^.*\\b${method}\\b.*${p.replace(/[/-]/g, '\\$&')}\\b.*\\b${status}\\b.*$`, 'm');
      assert.ok(await srv.waitForStderr(re), `a log line for ${method} ${p} ${status} in:\n${srv.stderr.slice(-2000)}`);
    }
  });

  it('logs one line per request', async () => {
    const before = srv.stderr.split('\n').filter((l) => l.includes('/log-count-probe')).length;
    for (let i = 0; i < 3; i++) await (await srv.fetch('/log-count-probe')).arrayBuffer();
    await srv.waitForStderr(/(?:[^\n]*\/log-count-probe[^\n]*\n?){3}/);
    await new Promise((r) => setTimeout(r, 200));
    const after = srv.stderr.split('\n').filter((l) => l.includes('/log-count-probe')).length;
    assert.equal(after - before, 3);
  });

  it('never contains query values', async () => {
    const res = await srv.fetch('/login?secret=canary123&next=%2Fcanary789');
    await res.arrayBuffer();
    assert.ok(await srv.waitForStderr(/\/login\b/), 'the request was logged');
    assert.ok(!srv.stderr.includes('canary123'), 'query value "canary123" leaked into the log');
    assert.ok(!srv.stderr.includes('canary789'), 'query value leaked into the log');
  });

  it('never contains cookie values', async () => {
    const res = await srv.fetch('/cookie-probe', { headers: { Cookie: 'jixun_session=canary456; other=canary457' } });
    await res.arrayBuffer();
    assert.ok(await srv.waitForStderr(/\/cookie-probe\b/), 'the request was logged');
    const res2 = await srv.fetch('/', { headers: { Cookie: 'jixun_session=canary458' } });
    await res2.arrayBuffer();
    await new Promise((r) => setTimeout(r, 200));
    for (const c of ['canary456', 'canary457', 'canary458']) {
      assert.ok(!srv.stderr.includes(c), `cookie value ${c} leaked into the log`);
    }
  });

  it('never contains passwords from a failed login', async () => {
    const res = await srv.fetch('/api/v1/session', {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ username: 'canary-user', password: 'canary-pass-999' }),
    });
    await res.arrayBuffer();
    await new Promise((r) => setTimeout(r, 200));
    assert.ok(!srv.stderr.includes('canary-pass-999'), 'password leaked into the log');
  });
});
