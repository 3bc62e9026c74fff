/** Plain HTTP against the registry's Confluent API, independent of iotmsg's client, to check what it really holds. */
export interface RegistryAnswer<T> {
  status: number;
  /** The registry's JSON (its shape depends on the endpoint and the outcome), else its text. */
  body: T;
}

export async function registryCall<T = unknown>(baseUrl: string, method: 'GET' | 'POST' | 'PUT' | 'DELETE', path: string, body?: unknown): Promise<RegistryAnswer<T>> {
  const response = await fetch(`${baseUrl}${path}`, {
    method,
    headers: body === undefined ? {} : { 'content-type': 'application/vnd.schemaregistry.v1+json' },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = JSON.parse(text);
  } catch {
    // Not JSON: keep the text.
  }
  return { status: response.status, body: parsed as T };
}

/** Registers a schema given as JSON (not text) and fails the test on anything but success. */
export async function registerRaw(baseUrl: string, subject: string, schema: unknown): Promise<number> {
  const answer = await registryCall<{ id: number }>(baseUrl, 'POST', `/subjects/${encodeURIComponent(subject)}/versions`, { schema: JSON.stringify(schema) });
  if (answer.status !== 200) throw new Error(`registering in ${subject} failed: ${answer.status} ${JSON.stringify(answer.body)}`);
  return answer.body.id;
}
