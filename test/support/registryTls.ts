import { execa } from 'execa';
import { chmod, mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { RegistryServerSecurity } from '../../src/adapters/runtime/registry.js';

/**
 * A CA, a registry server certificate for 127.0.0.1 signed by it, and an admin password file
 * (0600), made with openssl: what a secured deployment's registry is started with. Stands in
 * until the runtime's own certificates (<state-dir>/tls/, <state-dir>/secrets/) are wired to the registry.
 */
export async function registryTestSecurity(dir: string, password: string): Promise<RegistryServerSecurity & { otherCaFile: string }> {
  await mkdir(dir, { recursive: true });
  const file = (name: string) => join(dir, name);
  const openssl = (args: string[]) => execa('openssl', args, { cwd: dir });
  for (const ca of ['ca', 'other-ca']) {
    await openssl(['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', `${ca}-key.pem`, '-out', `${ca}.pem`, '-days', '2', '-subj', `/CN=iotmsg test ${ca}`]);
  }
  await openssl(['req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'registry-key.pem', '-out', 'registry.csr', '-subj', '/CN=schema-registry']);
  await writeFile(file('san.ext'), 'subjectAltName=IP:127.0.0.1\n');
  await openssl(['x509', '-req', '-in', 'registry.csr', '-CA', 'ca.pem', '-CAkey', 'ca-key.pem', '-CAcreateserial', '-out', 'registry.pem', '-days', '2', '-extfile', 'san.ext']);
  await writeFile(file('admin.password'), `${password}\n`, { mode: 0o600 });
  await chmod(file('registry-key.pem'), 0o600);
  return { certFile: file('registry.pem'), keyFile: file('registry-key.pem'), caFile: file('ca.pem'), username: 'admin', passwordFile: file('admin.password'), otherCaFile: file('other-ca.pem') };
}
