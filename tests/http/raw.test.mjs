// Malformed HTTP over raw sockets: the server answers or closes, and keeps
// serving everyone else; the limits are settings.
import net from 'node:net';
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, parseResponse, CJK } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });
afterEach(async () => { await srv.assertAlive('after the malformed request'); });

function checkGarbageAnswer(r) {
  if (r.data.length > 0) {
    const resp = parseResponse(r.data);
    assert.ok(resp, `an HTTP response, not ${JSON.stringify(r.data.toString('latin1').slice(0, 80))}`);
    assert.equal(resp.status, 400, resp.statusLine);
  } else {
    assert.ok(r.closed, 'no answer, and the connection was not closed');
  }
}

describe('raw requests', () => {
  it('a 64 KiB header → 431', async () => {
    const req = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-Big: ${'a'.repeat(64 * 1024)}\r\n\r\n`;
    const r = await srv.raw(req, { end: false });
    const resp = parseResponse(r.data);
    assert.ok(resp, `a status line (got ${r.data.length} bytes, error ${r.error?.code})`);
    assert.equal(resp.status, 431, resp.statusLine);
  });

  it('many headers adding up to 64 KiB → 431', async () => {
    let h = '';
    for (let i = 0; i < 1024; i++) h += `X-H${i}: ${'b'.repeat(58)}\r\n`;
    const r = await srv.raw(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\n${h}\r\n`, { end: false });
    const resp = parseResponse(r.data);
    assert.ok(resp, `a status line (got ${r.data.length} bytes, error ${r.error?.code})`);
    assert.equal(resp.status, 431, resp.statusLine);
  });

  it('a truncated body (Content-Length 1000, 10 bytes sent, then close)', async () => {
    const req = 'POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n' +
      'Content-Length: 1000\r\n\r\n{"usernam';
    await srv.raw(req, { timeoutMs: 1000 });
  });

  it('a truncated body left hanging does not block others', async () => {
    const req = 'POST /login HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/x-www-form-urlencoded\r\n' +
      'Content-Length: 1000\r\n\r\nusername=a';
    const hanging = srv.raw(req, { end: false, timeoutMs: 1500 });
    await srv.assertAlive('while another connection hangs mid-body');
    await hanging;
  });

  it('malformed UTF-8 percent-encoding in the query → 400 Chinese page', async () => {
    const r = await srv.raw('GET /login?x=%ff HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    const resp = parseResponse(r.data);
    assert.ok(resp, 'a response');
    assert.equal(resp.status, 400, resp.statusLine);
    assert.match(resp.headers['content-type'] ?? '', /^text\/html; charset=utf-8/);
    assert.match(resp.body, CJK, 'the error page is in Chinese');
  });

  it('a bad percent escape (%zz) in the query → 400', async () => {
    const r = await srv.raw('GET /login?x=%zz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
    const resp = parseResponse(r.data);
    assert.ok(resp, 'a response');
    assert.equal(resp.status, 400, resp.statusLine);
  });

  // "closed" means promptly: a server that waits for its idle timeout holds a
  // connection slot per garbage connection.
  for (const [name, bytes] of [
    ['plain-text garbage', Buffer.from('hello there\r\n\r\n')],
    ['a line without spaces', Buffer.from('GARBAGE\r\n\r\n')],
  ]) {
    it(`${name} → 400 or closed`, async () => {
      const r = await srv.raw(bytes, { end: false, timeoutMs: 3000 });
      checkGarbageAnswer(r);
    });
  }

  // libmicrohttpd waits for the end of a request line that never comes and
  // drops the connection at the idle timeout, like any HTTP server's header
  // timeout.  What matters: others are served meanwhile, and the slot is
  // freed at the (configurable) timeout.  This server runs with --timeout 1.
  for (const [name, bytes] of [
    ['binary garbage', Buffer.from('\x00\x01\x02 garbage \xff\xfe', 'latin1')],
    ['a TLS ClientHello on the plain port',
      Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000002c02f0100', 'hex')],
  ]) {
    it(`${name}: others are served, and it is closed at the idle timeout`, async () => {
      const quick = await startServer({ args: ['--timeout', '1'] });
      try {
        const pending = quick.raw(bytes, { end: false, timeoutMs: 4000 });
        await quick.assertAlive('while a garbage connection is open');
        const r = await pending;
        assert.ok(r.closed, 'the server closed the connection within the 4 s allowed (timeout 1 s)');
        if (r.data.length > 0) assert.equal(parseResponse(r.data)?.status, 400);
      } finally {
        await quick.stop();
      }
    });
  }

  // MHD hands the URL over as a C string, so "/login\0x" arrives as "/login":
  // routing, the permission check and the access log all see that same
  // shorter path, so a NUL cannot smuggle a second path past the checks.
  it('a NUL byte in the request target cannot bypass the permission check', async () => {
    const r = await srv.raw(Buffer.from('GET /api/v1/me\x00/../../healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'latin1'));
    assert.equal(parseResponse(r.data)?.status, 401, 'the truncated path /api/v1/me needs a session');
    const r2 = await srv.raw(Buffer.from('GET /healthz\x00/../api/v1/me HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'latin1'));
    const resp = parseResponse(r2.data);
    assert.equal(resp?.status, 200);
    assert.match(resp.body, /"status":"ok"/, 'served as /healthz, nothing else');
  });

  it('limits are settings: --max-header 2048 answers 431 to a 3 KiB header', async () => {
    const small = await startServer({ args: ['--max-header', '2048'] });
    try {
      const ok = await small.raw(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ${'a'.repeat(1000)}\r\nConnection: close\r\n\r\n`);
      assert.equal(parseResponse(ok.data)?.status, 200, '1 KiB of headers is within the limit');
      const big = await small.raw(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nX-A: ${'a'.repeat(3000)}\r\nConnection: close\r\n\r\n`);
      const resp = parseResponse(big.data);
      assert.equal(resp?.status, 431, resp?.statusLine);
      assert.match(resp.body, CJK, 'a Chinese message');
    } finally {
      await small.stop();
    }
  });

  it('beyond --max-connections a request gets 503 in Chinese, and is served once others leave', async () => {
    const small = await startServer({ args: ['--max-connections', '2'] });
    const idle = [];
    try {
      for (let i = 0; i < 3; i++) {
        idle.push(await new Promise((resolve, reject) => {
          const s = net.connect(small.port, '127.0.0.1', () => resolve(s));
          s.on('error', reject);
        }));
      }
      const r = await small.raw('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      const resp = parseResponse(r.data);
      assert.equal(resp?.status, 503, resp?.statusLine);
      assert.match(resp.body, /服务器繁忙/);
      for (const s of idle) s.destroy();
      await new Promise((res) => setTimeout(res, 300));
      const again = await small.raw('GET /healthz HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n');
      assert.equal(parseResponse(again.data)?.status, 200);
    } finally {
      for (const s of idle) s.destroy();
      await small.stop();
    }
  });
});
