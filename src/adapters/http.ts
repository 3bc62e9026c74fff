/**
 * One HTTP(S) request with its whole answer read as text: what the registry calls need.
 * node:http rather than fetch, which loads undici on first use: some 30–40 ms of start-up
 * for every command that asks the registry anything.
 */
export interface HttpRequest {
  method: string;
  headers: Record<string, string>;
  body?: string;
  timeoutMs: number;
  /** Ctrl-C: aborts the request as the timeout does. */
  signal?: AbortSignal;
  /** PEM of the CAs an https server's certificate must chain to, instead of the system's. */
  ca?: Buffer;
}

export interface HttpResponse {
  status: number;
  text: string;
}

/**
 * Fails as fetch does: with the socket error (its `code`, e.g. ECONNREFUSED), or with an
 * AbortError whose cause is the TimeoutError when the answer took longer than `timeoutMs`.
 */
export async function httpRequest(url: string, request: HttpRequest): Promise<HttpResponse> {
  const target = new URL(url);
  const { request: send } = target.protocol === 'https:' ? await import('node:https') : await import('node:http');
  const timeout = AbortSignal.timeout(request.timeoutMs);
  const signal = request.signal ? AbortSignal.any([request.signal, timeout]) : timeout;
  const headers = request.body === undefined ? request.headers : { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) };
  return new Promise((resolve, reject) => {
    const outgoing = send(target, { method: request.method, headers, signal, ...(request.ca ? { ca: request.ca } : {}) }, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve({ status: response.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }));
      response.on('error', reject);
    });
    outgoing.on('error', reject);
    outgoing.end(request.body);
  });
}

/** 2xx. */
export function succeeded(response: HttpResponse): boolean {
  return response.status >= 200 && response.status < 300;
}

/** The answer's JSON; its text when it is not JSON (an error page); undefined when empty. */
export function answerBody(response: HttpResponse): unknown {
  if (response.text === '') return undefined;
  try {
    return JSON.parse(response.text) as unknown;
  } catch {
    return response.text;
  }
}
