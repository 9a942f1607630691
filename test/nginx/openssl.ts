/**
 * Test certificates made at run time with the openssl command line (weak keys, expired, not yet
 * valid, SHA-1, self-signed). Everything goes into a temporary directory the caller removes.
 */
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';

function openssl(args: string[], cwd: string): string {
  return execFileSync('openssl', args, {
    cwd,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    env: { ...process.env, OPENSSL_CONF: '/dev/null' },
    timeout: 60_000,
  });
}

/** `spec`: `rsa:1024`, `rsa:2048`, `ec:prime256v1`, `ec:secp192r1`, `dsa:1024`. */
export function makeKey(dir: string, name: string, spec: string): string {
  const file = path.join(dir, `${name}.key`);
  const [type, param] = spec.split(':') as [string, string];
  if (type === 'rsa')
    openssl(
      ['genpkey', '-algorithm', 'RSA', '-pkeyopt', `rsa_keygen_bits:${param}`, '-out', file],
      dir,
    );
  else if (type === 'ec')
    openssl(
      ['genpkey', '-algorithm', 'EC', '-pkeyopt', `ec_paramgen_curve:${param}`, '-out', file],
      dir,
    );
  else if (type === 'dsa') {
    const params = path.join(dir, `${name}.dsaparam`);
    openssl(
      [
        'genpkey',
        '-genparam',
        '-algorithm',
        'DSA',
        '-pkeyopt',
        `dsa_paramgen_bits:${param}`,
        '-out',
        params,
      ],
      dir,
    );
    openssl(['genpkey', '-paramfile', params, '-out', file], dir);
  } else throw new Error(`unknown key spec ${spec}`);
  return file;
}

/** `YYYYMMDDHHMMSSZ` for `openssl ca -startdate/-enddate`. */
function asn1Time(d: Date): string {
  return d
    .toISOString()
    .replace(/[-:T]/g, '')
    .replace(/\.\d+Z$/, 'Z');
}

export interface CertOptions {
  /** Key spec for a new key (`rsa:2048`). */
  key: string;
  cn: string;
  /** Digest: sha256 (default), sha1, md5. */
  digest?: string;
  notBefore?: Date;
  notAfter?: Date;
  /** Signed by this CA (its files); self-signed when absent. */
  issuer?: { cert: string; key: string };
  isCA?: boolean;
}

/**
 * A certificate and its key, via `openssl ca` (the only 3.0 command that takes exact dates).
 * Returns the paths of the `.pem` certificate and the `.key`.
 */
export function makeCertificate(
  dir: string,
  name: string,
  options: CertOptions,
): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const key = makeKey(dir, name, options.key);
  const csr = path.join(dir, `${name}.csr`);
  const cert = path.join(dir, `${name}.pem`);
  const db = path.join(dir, `${name}.ca`);
  mkdirSync(db, { recursive: true });
  writeFileSync(path.join(db, 'index.txt'), '');
  writeFileSync(
    path.join(db, 'serial'),
    `${Math.floor(Math.random() * 0xffffff)
      .toString(16)
      .padStart(6, '0')}0\n`.replace(/^(.)/, '1$1'),
  );
  const digest = options.digest ?? 'sha256';
  const conf = path.join(db, 'ca.cnf');
  writeFileSync(
    conf,
    [
      '[ ca ]',
      'default_ca = test_ca',
      '[ test_ca ]',
      `dir = ${db}`,
      'database = $dir/index.txt',
      'serial = $dir/serial',
      'new_certs_dir = $dir',
      `default_md = ${digest}`,
      'policy = anything',
      'unique_subject = no',
      'email_in_dn = no',
      'copy_extensions = none',
      '[ anything ]',
      'commonName = supplied',
      '[ ext ]',
      `basicConstraints = critical, CA:${options.isCA ? 'TRUE' : 'FALSE'}`,
      options.isCA
        ? 'keyUsage = critical, keyCertSign, cRLSign'
        : 'keyUsage = critical, digitalSignature, keyEncipherment',
      ...(options.isCA ? [] : [`subjectAltName = DNS:${options.cn}`]),
      'subjectKeyIdentifier = hash',
      '[ req ]',
      'distinguished_name = dn',
      'prompt = no',
      '[ dn ]',
      `CN = ${options.cn}`,
      '',
    ].join('\n'),
  );
  openssl(['req', '-new', '-config', conf, '-key', key, '-out', csr, '-sha256'], dir);
  const start = options.notBefore ?? new Date(Date.now() - 86_400_000);
  const end = options.notAfter ?? new Date(Date.now() + 365 * 86_400_000);
  const signer = options.issuer
    ? ['-cert', options.issuer.cert, '-keyfile', options.issuer.key]
    : ['-selfsign', '-keyfile', key];
  openssl(
    [
      'ca',
      '-batch',
      '-config',
      conf,
      '-in',
      csr,
      '-out',
      cert,
      '-notext',
      '-md',
      digest,
      '-extensions',
      'ext',
      '-startdate',
      asn1Time(start),
      '-enddate',
      asn1Time(end),
      ...signer,
    ],
    dir,
  );
  return { cert, key };
}

/** DH parameters of the given size (`openssl dhparam` is slow above 1024; 2048 takes seconds). */
export function makeDhParams(dir: string, name: string, bits: number): string {
  const file = path.join(dir, `${name}.pem`);
  openssl(['dhparam', '-out', file, String(bits)], dir);
  return file;
}

export const DAY = 86_400_000;
