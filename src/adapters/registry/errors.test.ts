import { describe, expect, it } from 'vitest';
import { ExitCode } from '../../core/errors.js';
import { RegistryIncompatibleError, translateRequestFailure, translateRegistryResponse } from './errors.js';

const ctx = { url: 'http://registry:8081', action: 'register a schema for s-value', subject: 's-value' };

/** Bodies as Confluent 7 and Apicurio 2.4.2 (ccompat v7) send them. */
const RECORDED = {
  confluentIncompatible: { error_code: 409, message: 'Schema being registered is incompatible with an earlier schema for subject "s-value"' },
  apicurioIncompatible: { error_code: 0, message: 'Incompatible artifact: s-value [AVRO], num of incompatible diffs: {1}, list of diff types: [reader type: STRING not compatible with writer type: INT at /] Causes: reader type: STRING not compatible with writer type: INT at /' },
  subjectNotFound: { error_code: 40401, message: "No artifact with ID 's-value' in group 'null' was found." },
  versionNotFound: { error_code: 40402, message: "No version '9' found for artifact with ID 's-value' in group 'null'." },
  invalidSchema: { error_code: 42201, message: 'Failed to discover artifact type from content.' },
  wrongBase: { error_code: 404, message: 'RESTEASY003210: Could not find resource for full path: http://registry:8081/apis/subjects' },
  apicurioBadLevel: { error_code: 0, message: 'Cannot deserialize value of type `CompatibilityLevelDto$Level` from String "WRONG"\n at [Source: x]' },
};

describe('translateRegistryResponse', () => {
  it('maps 409 to the incompatible exit code with the reason, whatever error_code says', () => {
    for (const body of [RECORDED.confluentIncompatible, RECORDED.apicurioIncompatible]) {
      const error = translateRegistryResponse(409, body, ctx);
      expect(error).toBeInstanceOf(RegistryIncompatibleError);
      expect(error.exitCode).toBe(ExitCode.incompatible);
      expect((error as RegistryIncompatibleError).reasons).toEqual([body.message]);
    }
  });

  it('names the missing subject or version with a hint', () => {
    const subject = translateRegistryResponse(404, RECORDED.subjectNotFound, ctx);
    expect([subject.exitCode, subject.message, subject.hint]).toEqual([1, 'cannot register a schema for s-value: subject "s-value" not found', 'list subjects with "iotmsg schema list"']);
    const version = translateRegistryResponse(404, RECORDED.versionNotFound, { ...ctx, action: 'get the schema', version: 9 });
    expect([version.message, version.hint]).toEqual(['cannot get the schema: subject "s-value" has no version 9', 'list its versions with "iotmsg schema versions s-value"']);
    const latest = translateRegistryResponse(404, RECORDED.versionNotFound, { ...ctx, action: 'get the schema', version: 'latest' });
    expect(latest.message).toBe('cannot get the schema: subject "s-value" not found or has no versions');
  });

  it('maps 422 to the input exit code and auth failures to 77', () => {
    expect(translateRegistryResponse(422, RECORDED.invalidSchema, ctx)).toMatchObject({ exitCode: ExitCode.input, message: 'cannot register a schema for s-value: the registry says the schema is invalid: Failed to discover artifact type from content.' });
    expect(translateRegistryResponse(401, { error_code: 401, message: 'Unauthorized' }, ctx)).toMatchObject({ exitCode: ExitCode.auth, message: 'the schema registry at http://registry:8081 requires credentials (401)' });
    expect(translateRegistryResponse(401, { message: 'Unauthorized' }, { ...ctx, username: 'svc' })).toMatchObject({ exitCode: ExitCode.auth, message: 'the schema registry at http://registry:8081 refused the credentials of user "svc" (401)' });
    expect(translateRegistryResponse(403, { error_code: 40301, message: 'User cannot access the resource.' }, { ...ctx, username: 'svc' })).toMatchObject({
      exitCode: ExitCode.auth,
      message: 'user "svc" is not authorised to register a schema for s-value at http://registry:8081 (403)',
    });
  });

  it('points at the API base when the URL is not one, and keeps messages to one line', () => {
    const base = translateRegistryResponse(404, RECORDED.wrongBase, { ...ctx, action: 'list subjects', subject: undefined });
    expect(base.hint).toContain('/apis/ccompat/v7');
    const failed = translateRegistryResponse(500, RECORDED.apicurioBadLevel, ctx);
    expect(failed).toMatchObject({ exitCode: ExitCode.failed, message: 'cannot register a schema for s-value: the registry answered 500: Cannot deserialize value of type `CompatibilityLevelDto$Level` from String "WRONG"' });
    expect(translateRegistryResponse(503, undefined, ctx).exitCode).toBe(ExitCode.unavailable);
  });
});

describe('translateRequestFailure', () => {
  const failure = { ...ctx, timeoutMs: 2000, interrupted: false };

  it('says why the registry cannot be reached', () => {
    const refused = Object.assign(new TypeError('fetch failed'), { cause: Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:8081'), { code: 'ECONNREFUSED' }) });
    expect(translateRequestFailure(refused, failure)).toMatchObject({ exitCode: ExitCode.unavailable, message: 'cannot reach the schema registry at http://registry:8081: connection refused' });
  });

  it('reports --timeout and Ctrl-C apart', () => {
    const timeout = new DOMException('The operation was aborted due to timeout', 'TimeoutError');
    expect(translateRequestFailure(timeout, failure).message).toBe('the schema registry at http://registry:8081 did not answer within 2s (trying to register a schema for s-value)');
    expect(translateRequestFailure(new DOMException('aborted', 'AbortError'), { ...failure, interrupted: true })).toMatchObject({ exitCode: ExitCode.interrupted });
  });
});
