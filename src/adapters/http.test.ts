import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { httpRequest, succeeded } from './http.js';

// A real local server: it echoes what it was sent, or never answers on /silent.
let server: Server;
let base: string;

beforeAll(async () => {
  server = createServer((request, response) => {
    if (request.url === '/silent') return;
    const chunks: Buffer[] = [];
    request.on('data', (chunk: Buffer) => chunks.push(chunk));
    request.on('end', () => {
      response.writeHead(request.url === '/missing' ? 404 : 200, { 'content-type': 'application/json' });
      response.end(JSON.stringify({ method: request.method, type: request.headers['content-type'], body: Buffer.concat(chunks).toString('utf8') }));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
});

describe('httpRequest', () => {
  it('sends the method, headers and body, and reads the whole answer', async () => {
    const body = JSON.stringify({ schema: 'é'.repeat(10_000) });
    const response = await httpRequest(`${base}/subjects/x`, { method: 'POST', headers: { 'content-type': 'application/json' }, body, timeoutMs: 5_000 });
    expect(succeeded(response)).toBe(true);
    expect(JSON.parse(response.text)).toEqual({ method: 'POST', type: 'application/json', body });
  });

  it('returns an error status as an answer', async () => {
    const response = await httpRequest(`${base}/missing`, { method: 'GET', headers: {}, timeoutMs: 5_000 });
    expect([response.status, succeeded(response)]).toEqual([404, false]);
  });

  it('fails with the socket error code when nothing listens, and with a TimeoutError cause when nothing answers', async () => {
    const closed = createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise((resolve) => closed.close(resolve));
    await expect(httpRequest(`http://127.0.0.1:${port}/`, { method: 'GET', headers: {}, timeoutMs: 5_000 })).rejects.toMatchObject({ code: 'ECONNREFUSED' });
    await expect(httpRequest(`${base}/silent`, { method: 'GET', headers: {}, timeoutMs: 200 })).rejects.toMatchObject({ name: 'AbortError', cause: { name: 'TimeoutError' } });
  });

  it('stops when its signal aborts', async () => {
    const controller = new AbortController();
    const pending = httpRequest(`${base}/silent`, { method: 'GET', headers: {}, timeoutMs: 5_000, signal: controller.signal });
    controller.abort();
    await expect(pending).rejects.toMatchObject({ name: 'AbortError' });
  });
});
