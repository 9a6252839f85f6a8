// POST /api/v1/session with bad input: every failure is a JSON error with a
// Chinese message, and the server keeps serving afterwards.
import { describe, it, before, after, afterEach } from 'node:test';
import assert from 'node:assert/strict';
import { startServer, checkErrorShape, parseResponse } from './lib.mjs';

let srv;
before(async () => { srv = await startServer(); });
after(async () => { await srv?.stop(); });
afterEach(async () => { await srv.assertAlive('after the previous request'); });

const JSON_TYPE = 'application/json';

async function post(body, type = JSON_TYPE) {
  const res = await srv.fetch('/api/v1/session', {
    method: 'POST',
    headers: { 'Content-Type': type },
    body,
  });
  const text = await res.text();
  let json = null;
  try { json = JSON.parse(text); } catch { /* asserted by the caller */ }
  return { res, text, json };
}

function expectError({ res, text, json }, status, code) {
  assert.equal(res.status, status, `status (body: ${text.slice(0, 300)})`);
  assert.match(res.headers.get('content-type') ?? '', /^application\/json\b/);
  assert.ok(json, `body is JSON: ${text.slice(0, 300)}`);
  const e = checkErrorShape(json, assert);
  if (code) assert.equal(e.code, code);
  return e;
}

describe('POST /api/v1/session', () => {
  it('malformed JSON → 400 bad_json', async () => {
    expectError(await post('{"username": "a", "password": '), 400, 'bad_json');
  });

  it('a JSON array instead of an object → 400', async () => {
    expectError(await post('["admin", "secret"]'), 400);
  });

  it('a JSON string → 400', async () => {
    expectError(await post('"admin"'), 400);
  });

  it('text/plain → 415 unsupported_media_type', async () => {
    expectError(await post('{"username":"a","password":"b"}', 'text/plain'), 415, 'unsupported_media_type');
  });

  it('no Content-Type → 415', async () => {
    const res = await srv.fetch('/api/v1/session', {
      method: 'POST',
      body: new Uint8Array(Buffer.from('{"username":"a","password":"b"}')), // no default type for bytes
    });
    const text = await res.text();
    expectError({ res, text, json: JSON.parse(text) }, 415, 'unsupported_media_type');
  });

  it('invalid UTF-8 inside the JSON → 400', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xff, 0xfe, 0xc3]), Buffer.from('","password":"x"}')]);
    expectError(await post(body), 400);
  });

  it('an overlong UTF-8 encoding (0xC0 0xAF) → 400', async () => {
    const body = Buffer.concat([Buffer.from('{"username":"'), Buffer.from([0xc0, 0xaf]), Buffer.from('","password":"x"}')]);
    expectError(await post(body), 400);
  });

  it('a body over 1 MiB → 413 JSON error', async () => {
    // Raw socket: the server may answer before reading the whole body and
    // close the connection, which fetch would report as a network error.
    const pad = 'x'.repeat(1024 * 1024 + 16);
    const body = `{"username":"a","password":"${pad}"}`;
    const req = `POST /api/v1/session HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`;
    const r = await srv.raw(req, { timeoutMs: 10_000 });
    const resp = parseResponse(r.data);
    assert.ok(resp, `a response (got ${r.data.length} bytes, error ${r.error?.code})`);
    assert.equal(resp.status, 413);
    assert.match(resp.headers['content-type'] ?? '', /^application\/json\b/);
    checkErrorShape(JSON.parse(resp.body), assert);
  });

  it('a well-formed login for a user that does not exist → 401 bad_credentials', async () => {
    const e = expectError(await post(JSON.stringify({ username: 'no-such-user', password: 'Wrong-Passw0rd!' })), 401, 'bad_credentials');
    assert.equal(e.field, null);
  });

  it('missing fields → 400', async () => {
    expectError(await post('{}'), 400);
  });

  it('the failed logins set no session cookie', async () => {
    const { res } = await post(JSON.stringify({ username: 'no-such-user', password: 'x' }));
    assert.equal(res.headers.get('set-cookie'), null);
  });
});
