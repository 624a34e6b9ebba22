/**
 * The cluster's PKI: a self-signed CA and a serving certificate for 127.0.0.1, ::1 and localhost,
 * generated on first start and kept in the data directory so that a kubeconfig written once keeps
 * working. Client certificates signed by the same CA authenticate users (CN = user, O = groups).
 *
 * Keys come from node:crypto (native, fast) and are converted to node-forge keys for signing.
 */
import { generateKeyPairSync, randomBytes } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import forge from 'node-forge';

export interface KeyPairPem {
  cert: string;
  key: string;
}

export interface ClusterPki {
  ca: KeyPairPem;
  serving: KeyPairPem;
}

const YEAR_MS = 365 * 24 * 3600 * 1000;

function newRsaKey(): { privateKey: forge.pki.rsa.PrivateKey; publicKey: forge.pki.rsa.PublicKey; pem: string } {
  const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
  const pem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
  const forgeKey = forge.pki.privateKeyFromPem(pem) as forge.pki.rsa.PrivateKey;
  const publicKey = forge.pki.setRsaPublicKey(forgeKey.n, forgeKey.e);
  return { privateKey: forgeKey, publicKey, pem };
}

function serial(): string {
  // A positive 16-byte serial number (the high bit cleared so DER does not read it as negative).
  const bytes = randomBytes(16);
  bytes[0] = bytes[0]! & 0x7f;
  return bytes.toString('hex');
}

function validity(cert: forge.pki.Certificate, years: number): void {
  const now = Date.now();
  cert.validity.notBefore = new Date(now - 60 * 60 * 1000);
  cert.validity.notAfter = new Date(now + years * YEAR_MS);
}

export function createCa(commonName = 'kube-sim-ca'): KeyPairPem {
  const keys = newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert, 10);
  const attrs = [{ name: 'commonName', value: commonName }];
  cert.setSubject(attrs);
  cert.setIssuer(attrs);
  cert.setExtensions([
    { name: 'basicConstraints', cA: true, critical: true },
    { name: 'keyUsage', keyCertSign: true, cRLSign: true, digitalSignature: true, critical: true },
    { name: 'subjectKeyIdentifier' },
  ]);
  cert.sign(keys.privateKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

function issue(ca: KeyPairPem, subject: forge.pki.CertificateField[], extensions: object[]): KeyPairPem {
  const caCert = forge.pki.certificateFromPem(ca.cert);
  const caKey = forge.pki.privateKeyFromPem(ca.key);
  const keys = newRsaKey();
  const cert = forge.pki.createCertificate();
  cert.publicKey = keys.publicKey;
  cert.serialNumber = serial();
  validity(cert, 5);
  cert.setSubject(subject);
  cert.setIssuer(caCert.subject.attributes);
  cert.setExtensions([{ name: 'basicConstraints', cA: false }, ...extensions]);
  cert.sign(caKey, forge.md.sha256.create());
  return { cert: forge.pki.certificateToPem(cert), key: keys.pem };
}

export function createServingCert(ca: KeyPairPem): KeyPairPem {
  return issue(ca, [{ name: 'commonName', value: 'kube-apiserver' }], [
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', serverAuth: true },
    {
      name: 'subjectAltName',
      altNames: [
        { type: 2, value: 'localhost' },
        { type: 2, value: 'kubernetes' },
        { type: 2, value: 'kubernetes.default' },
        { type: 2, value: 'kubernetes.default.svc' },
        { type: 7, ip: '127.0.0.1' },
        { type: 7, ip: '::1' },
      ],
    },
  ]);
}

/** A client certificate: Kubernetes reads the user from CN and the groups from each O. */
export function createClientCert(ca: KeyPairPem, user: string, groups: string[] = []): KeyPairPem {
  const subject: forge.pki.CertificateField[] = [
    ...groups.map((g) => ({ name: 'organizationName', value: g })),
    { name: 'commonName', value: user },
  ];
  return issue(ca, subject, [
    { name: 'keyUsage', digitalSignature: true, keyEncipherment: true, critical: true },
    { name: 'extKeyUsage', clientAuth: true },
  ]);
}

/** Loads the PKI from `dataDir` (ca.crt, ca.key, apiserver.crt, apiserver.key), creating what is missing. */
export function loadOrCreatePki(dataDir: string | undefined): ClusterPki {
  if (!dataDir) {
    const ca = createCa();
    return { ca, serving: createServingCert(ca) };
  }
  const file = (name: string) => join(dataDir, name);
  const read = (name: string) => readFileSync(file(name), 'utf8');
  const write = (name: string, text: string, mode: number) => writeFileSync(file(name), text, { mode });
  let ca: KeyPairPem;
  if (existsSync(file('ca.crt')) && existsSync(file('ca.key'))) {
    ca = { cert: read('ca.crt'), key: read('ca.key') };
  } else {
    ca = createCa();
    write('ca.key', ca.key, 0o600);
    write('ca.crt', ca.cert, 0o644);
  }
  let serving: KeyPairPem;
  if (existsSync(file('apiserver.crt')) && existsSync(file('apiserver.key'))) {
    serving = { cert: read('apiserver.crt'), key: read('apiserver.key') };
  } else {
    serving = createServingCert(ca);
    write('apiserver.key', serving.key, 0o600);
    write('apiserver.crt', serving.cert, 0o644);
  }
  return { ca, serving };
}
