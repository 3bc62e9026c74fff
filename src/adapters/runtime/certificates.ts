import { existsSync } from 'node:fs';
import { chmod, mkdir, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { CA_FILE, type CertificatePlan, type CertificateSpec } from '../../core/cluster/security.js';
import { UnavailableError } from '../../core/errors.js';

/** Where a deployment's certificates live: `<state-dir>/tls/`. */
export function tlsDir(stateDir: string): string {
  return join(stateDir, 'tls');
}

export interface CertificateFiles {
  certFile: string;
  keyFile: string;
  /** PKCS#12 store of key, certificate and CA, protected by the keystore password. */
  pkcs12File: string;
}

export function certificateFiles(stateDir: string, name: string): CertificateFiles {
  const dir = tlsDir(stateDir);
  return { certFile: join(dir, `${name}.pem`), keyFile: join(dir, `${name}-key.pem`), pkcs12File: join(dir, `${name}.p12`) };
}

export function caFile(stateDir: string): string {
  return join(tlsDir(stateDir), CA_FILE);
}

/**
 * Makes the CA and every certificate of the plan with openssl, each only when it is missing,
 * so a restart keeps the certificates clients already trust. A missing CA key means nothing
 * signed by it can be trusted any more: everything is made anew. The keystore password is
 * read by openssl from its file, never from its command line.
 */
export async function ensureCertificates(stateDir: string, plan: CertificatePlan, keystorePasswordFile: string): Promise<{ created: string[] }> {
  const dir = tlsDir(stateDir);
  await mkdir(dir, { recursive: true, mode: 0o700 });
  const ca = caFile(stateDir);
  const caKey = join(dir, 'ca-key.pem');
  const created: string[] = [];
  const freshCa = !existsSync(ca) || !existsSync(caKey);
  if (freshCa) {
    await openssl(['req', '-x509', ...EC_KEY, '-nodes', '-keyout', caKey, '-out', ca, '-days', String(plan.validityDays), '-subj', `/CN=${plan.caCommonName}`,
      '-addext', 'basicConstraints=critical,CA:TRUE', '-addext', 'keyUsage=critical,keyCertSign,cRLSign'], 'the CA');
    await chmod(caKey, 0o600);
    created.push('ca');
  }
  for (const spec of plan.certificates) {
    const files = certificateFiles(stateDir, spec.name);
    if (freshCa || !existsSync(files.certFile) || !existsSync(files.keyFile)) {
      await issue(spec, files, { ca, caKey, dir, days: plan.validityDays });
      await rm(files.pkcs12File, { force: true });
      created.push(spec.name);
    }
    if (spec.pkcs12 && !existsSync(files.pkcs12File)) {
      await openssl(['pkcs12', '-export', '-in', files.certFile, '-inkey', files.keyFile, '-certfile', ca, '-name', spec.name, '-out', files.pkcs12File, '-passout', `file:${keystorePasswordFile}`], `the keystore of ${spec.name}`);
      await chmod(files.pkcs12File, 0o600);
    }
  }
  return { created };
}

// P-256 keys: fast to make, and read by the JDK, OpenSSL (librdkafka, Node) alike.
const EC_KEY = ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];

const EXTENDED_KEY_USAGE: Readonly<Record<CertificateSpec['use'], string>> = {
  server: 'serverAuth',
  client: 'clientAuth',
  'server-and-client': 'serverAuth,clientAuth',
};

async function issue(spec: CertificateSpec, files: CertificateFiles, signer: { ca: string; caKey: string; dir: string; days: number }): Promise<void> {
  const csr = join(signer.dir, `${spec.name}.csr`);
  const extensions = join(signer.dir, `${spec.name}.ext`);
  const altNames = [...spec.dnsNames.map((d) => `DNS:${d}`), ...spec.ipAddresses.map((ip) => `IP:${ip}`)];
  await writeFile(
    extensions,
    [
      'basicConstraints=CA:FALSE',
      'keyUsage=critical,digitalSignature,keyEncipherment',
      `extendedKeyUsage=${EXTENDED_KEY_USAGE[spec.use]}`,
      ...(altNames.length > 0 ? [`subjectAltName=${altNames.join(',')}`] : []),
      '',
    ].join('\n'),
  );
  try {
    await openssl(['req', '-new', ...EC_KEY, '-nodes', '-keyout', files.keyFile, '-out', csr, '-subj', `/CN=${spec.commonName}`], `the key of ${spec.name}`);
    await chmod(files.keyFile, 0o600);
    await openssl(['x509', '-req', '-in', csr, '-CA', signer.ca, '-CAkey', signer.caKey, '-set_serial', `0x${randomSerial()}`, '-days', String(signer.days), '-extfile', extensions, '-out', files.certFile], `the certificate of ${spec.name}`);
  } finally {
    await rm(csr, { force: true });
    await rm(extensions, { force: true });
  }
}

function randomSerial(): string {
  // Positive and unique per certificate, so a client never sees two certificates with one serial.
  return `1${[...crypto.getRandomValues(new Uint8Array(15))].map((b) => b.toString(16).padStart(2, '0')).join('')}`;
}

async function openssl(args: string[], what: string): Promise<void> {
  const { execa } = await import('execa');
  try {
    await execa('openssl', args, { all: true });
  } catch (error) {
    if ((error as { code?: unknown }).code === 'ENOENT') {
      throw new UnavailableError(`cannot make ${what}: "openssl" is not on the PATH`, { hint: 'install OpenSSL (apt-get install openssl)', cause: error });
    }
    const output = String((error as { all?: unknown }).all ?? (error as Error).message);
    const line = output.split('\n').find((l) => l.trim() !== '') ?? 'no output';
    throw new UnavailableError(`openssl could not make ${what}: ${line.trim()}`, { cause: error });
  }
}
