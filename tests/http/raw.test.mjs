// Malformed HTTP over raw sockets: the server answers or closes, and keeps
// serving everyone else.
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

  // libmicrohttpd waits for more input on these and only drops the connection
  // at the idle timeout (30 s): known, kept visible as todo.
  it('binary garbage → 400 or closed', { todo: 'MHD keeps the connection until its idle timeout' }, async () => {
    const r = await srv.raw(Buffer.from('\x00\x01\x02 garbage \xff\xfe\r\n\r\n', 'latin1'), { end: false, timeoutMs: 2000 });
    checkGarbageAnswer(r);
  });

  it('a TLS ClientHello on the plain port → 400 or closed', { todo: 'MHD keeps the connection until its idle timeout' }, async () => {
    const hello = Buffer.from('16030100a5010000a10303' + '00'.repeat(32) + '000002c02f0100', 'hex');
    const r = await srv.raw(hello, { end: false, timeoutMs: 2000 });
    checkGarbageAnswer(r);
  });

  // MHD hands the URL over as a C string, so "/login\0x" arrives as "/login".
  it('a NUL byte in the request target → 400', { todo: 'the path is silently truncated at the NUL' }, async () => {
    const r = await srv.raw(Buffer.from('GET /login\x00x HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n', 'latin1'));
    assert.equal(parseResponse(r.data)?.status, 400);
  });
});
