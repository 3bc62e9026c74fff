import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '../diagnostics.js';
import { loadTopicsFile } from './load.js';

function load(environment: string) {
  const text = `environments:\n  prod:\n${environment.replace(/^/gm, '    ')}\ntopics: []\n`;
  return loadTopicsFile(text, 'topics.yaml');
}

const errors = (environment: string) => load(environment).diagnostics.filter((d) => d.severity === 'error').map(formatDiagnostic);

describe('environments.<env>.security', () => {
  it('reads SASL_SSL with SCRAM-SHA-512, secrets by reference, TLS files as written', () => {
    const { project, diagnostics } = load(
      [
        'security:',
        '  protocol: SASL_SSL',
        '  sasl:',
        '    mechanism: scram-sha-512',
        '    username: svc',
        '    password: {env: PROD_KAFKA_PASSWORD}',
        '  tls:',
        '    caFile: certs/ca.pem',
        '    keystoreFile: certs/svc.p12',
        '    keystorePassword: {file: secrets/svc.p12.password}',
        'schemaRegistry:',
        '  url: https://registry.prod:8443',
        '  username: svc',
        '  password: {file: secrets/registry.password}',
        '  caFile: certs/ca.pem',
      ].join('\n'),
    );
    expect(diagnostics).toEqual([]);
    const prod = project!.environments.prod!;
    expect(prod.security).toEqual({
      protocol: 'SASL_SSL',
      sasl: { mechanism: 'SCRAM-SHA-512', username: 'svc', password: { env: 'PROD_KAFKA_PASSWORD' } },
      tls: { verifyHostname: true, caFile: 'certs/ca.pem', keystoreFile: 'certs/svc.p12', keystorePassword: { file: 'secrets/svc.p12.password' } },
    });
    expect(prod.schemaRegistry).toBe('https://registry.prod:8443');
    expect(prod.registrySecurity).toEqual({ username: 'svc', password: { file: 'secrets/registry.password' }, caFile: 'certs/ca.pem' });
  });

  it('keeps the string form of schemaRegistry', () => {
    const { project } = load('schemaRegistry: http://localhost:8081\nsecurity: {protocol: SSL}');
    expect(project!.environments.prod!.schemaRegistry).toBe('http://localhost:8081');
    expect(project!.environments.prod!.security).toEqual({ protocol: 'SSL', tls: { verifyHostname: true } });
  });

  it('refuses a literal password with its file:line:col, without echoing it', () => {
    const found = errors('security:\n  protocol: SASL_SSL\n  sasl: {mechanism: PLAIN, username: svc, password: hunter2}');
    expect(found).toEqual([
      'topics.yaml:5:57: error: "password" in the sasl of the security of environment "prod" must be a reference, not a literal password (write password: {env: VARIABLE} or password: {file: path/to/secret})',
    ]);
    expect(found.join()).not.toContain('hunter2');
    expect(errors('schemaRegistry: {url: "https://r:8443", username: u, password: "s3cret"}')[0]).toMatch(/^topics\.yaml:3:\d+: error: "password" in the schemaRegistry of environment "prod" must be a reference/);
  });

  it('refuses a JKS store in one line saying how to convert it', () => {
    expect(errors('security:\n  protocol: SSL\n  tls: {keystoreFile: certs/svc.jks}')).toEqual([
      'topics.yaml:5:27: error: certs/svc.jks in the tls of the security of environment "prod" is a JKS store, which iotmsg cannot read (convert it to PKCS12: keytool -importkeystore -srckeystore certs/svc.jks -destkeystore certs/svc.p12 -deststoretype PKCS12)',
    ]);
  });

  it.each([
    ['security: {protocol: SASL_TLS}', /invalid protocol "SASL_TLS"/],
    ['security: {protocol: SASL_SSL}', /uses SASL_SSL but has no "sasl" block/],
    ['security: {protocol: SSL, sasl: {mechanism: PLAIN, username: u, password: {env: P}}}', /"sasl" in the security of environment "prod" has no effect with protocol SSL/],
    ['security: {protocol: SASL_PLAINTEXT, sasl: {mechanism: GSSAPI, username: u, password: {env: P}}}', /invalid mechanism "GSSAPI"/],
    ['security: {protocol: SASL_PLAINTEXT, sasl: {mechanism: PLAIN, username: u, password: {env: P, file: f}}}', /needs exactly one of "env" or "file"/],
    ['security: {protocol: SASL_PLAINTEXT, sasl: {mechanism: PLAIN, username: u, password: {env: "not a name"}}}', /"not a name" is not an environment variable name/],
    ['security: {protocol: SSL, tls: {certFile: c.pem}}', /needs both "certFile" and "keyFile"/],
    ['security: {protocol: SSL, tls: {keystoreFile: a.p12, certFile: c.pem, keyFile: k.pem}}', /names both a PKCS#12 "keystoreFile" and PEM/],
    ['security: {protocol: SSL, tls: {cafile: ca.pem}}', /unknown key "cafile".*did you mean "caFile"/],
    ['schemaRegistry: {username: u}', /missing key "url"/],
  ])('refuses %s', (yaml, message) => {
    expect(errors(yaml).join('\n')).toMatch(message);
  });
});
