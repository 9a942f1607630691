/**
 * Which callees configure TLS: Node's own APIs, undici, and libraries known to hand an options
 * object to `tls.connect`/`tls.createServer`. Matching is by the resolved module path, so every
 * import form (`require('node:tls')`, `import * as tls`, default and named imports with aliases,
 * destructuring) lands on the same names.
 */
import type { TlsRole } from '../../model/context.js';

/** `node:tls` → `tls`; `mysql2/promise` stays as is (libraries are matched by package). */
export function normalizeModuleName(name: string): string {
  return name.startsWith('node:') ? name.slice(5) : name;
}

/** The npm package of a module specifier: `@grpc/grpc-js/build/x` → `@grpc/grpc-js`. */
export function packageOf(specifier: string): string {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]!;
}

export interface KnownApi {
  /** `tls.createServer`: the module and member path it is reached by. */
  api: string;
  role: TlsRole;
  /** Called with `new` (constructors) — both forms are accepted, this only shapes labels. */
  isClass?: boolean;
  /** Argument positions that may hold the options object, first object wins. */
  optionArgs: number[];
  /** Path inside the options object to the TLS options (undici `connect`). */
  within?: string[];
  /** A feature use recorded for the call itself (deprecated APIs are facts, the rule judges). */
  feature?: string;
}

export const KNOWN_APIS: readonly KnownApi[] = [
  { api: 'tls.createServer', role: 'server', optionArgs: [0] },
  { api: 'tls.Server', role: 'server', isClass: true, optionArgs: [0] },
  { api: 'tls.connect', role: 'client', optionArgs: [0, 1, 2] },
  { api: 'tls.createSecureContext', role: 'either', optionArgs: [0] },
  { api: 'tls.TLSSocket', role: 'client', isClass: true, optionArgs: [1] },
  { api: 'tls.createSecurePair', role: 'either', optionArgs: [], feature: 'node.createSecurePair' },
  {
    api: 'crypto.createCredentials',
    role: 'either',
    optionArgs: [0],
    feature: 'node.createCredentials',
  },
  { api: 'https.createServer', role: 'server', optionArgs: [0] },
  { api: 'https.Server', role: 'server', isClass: true, optionArgs: [0] },
  { api: 'https.request', role: 'client', optionArgs: [0, 1] },
  { api: 'https.get', role: 'client', optionArgs: [0, 1] },
  { api: 'https.Agent', role: 'client', isClass: true, optionArgs: [0] },
  { api: 'http2.createSecureServer', role: 'server', optionArgs: [0] },
  { api: 'http2.connect', role: 'client', optionArgs: [1] },
  { api: 'undici.Agent', role: 'client', isClass: true, optionArgs: [0], within: ['connect'] },
  { api: 'undici.Pool', role: 'client', isClass: true, optionArgs: [1], within: ['connect'] },
  { api: 'undici.Client', role: 'client', isClass: true, optionArgs: [1], within: ['connect'] },
  { api: 'undici.buildConnector', role: 'client', optionArgs: [0] },
  {
    api: 'undici.ProxyAgent',
    role: 'client',
    isClass: true,
    optionArgs: [0],
    within: ['requestTls'],
  },
];

const BY_API = new Map(KNOWN_APIS.map((a) => [a.api, a]));

export function knownApi(name: string | undefined): KnownApi | undefined {
  return name === undefined ? undefined : BY_API.get(name);
}

/**
 * Libraries that pass an options object (or part of it) to Node's TLS. Keys are npm packages;
 * the value is the name shown in messages. A TLS-looking object handed to any of their exports
 * is recognised as `library` instead of `heuristic`.
 */
const TLS_LIBRARIES: Readonly<Record<string, string>> = {
  pg: 'pg',
  'pg-pool': 'pg',
  'pg-promise': 'pg-promise',
  postgres: 'postgres',
  mysql: 'mysql',
  mysql2: 'mysql2',
  mariadb: 'mariadb',
  ioredis: 'ioredis',
  redis: 'redis',
  nodemailer: 'nodemailer',
  ws: 'ws',
  request: 'request',
  'request-promise': 'request',
  'request-promise-native': 'request',
  sequelize: 'sequelize',
  typeorm: 'typeorm',
  knex: 'knex',
  '@grpc/grpc-js': 'gRPC',
  grpc: 'gRPC',
  mqtt: 'mqtt',
  amqplib: 'amqplib',
  'amqp-connection-manager': 'amqp-connection-manager',
  mongodb: 'mongodb',
  mongoose: 'mongoose',
  kafkajs: 'kafkajs',
  '@elastic/elasticsearch': 'Elasticsearch',
  'socket.io-client': 'socket.io-client',
  ldapjs: 'ldapjs',
  got: 'got',
  axios: 'axios',
  'node-fetch': 'node-fetch',
  superagent: 'superagent',
  needle: 'needle',
  'https-proxy-agent': 'https-proxy-agent',
  nats: 'nats',
  tedious: 'tedious',
  mssql: 'mssql',
  fastify: 'fastify',
  '@hapi/hapi': 'hapi',
  '@nestjs/typeorm': 'typeorm',
  '@nestjs/mongoose': 'mongoose',
  '@nestjs/microservices': 'NestJS microservices',
  ldapts: 'ldapts',
  imapflow: 'imapflow',
  imap: 'imap',
  'basic-ftp': 'basic-ftp',
  'cassandra-driver': 'cassandra-driver',
  '@clickhouse/client': 'ClickHouse',
  rhea: 'rhea',
  'http-proxy': 'http-proxy',
  'http-proxy-middleware': 'http-proxy-middleware',
  stompit: 'stompit',
};

export function libraryOf(moduleName: string): string | undefined {
  return TLS_LIBRARIES[packageOf(moduleName)];
}

/**
 * Option names that are TLS switches only for some libraries: http-proxy (and
 * http-proxy-middleware, built on it) sets `rejectUnauthorized: false` on the proxied request
 * when `secure` is given and falsy. Keys are npm packages.
 */
export const LIBRARY_OPTION_KEYS: Readonly<Record<string, readonly string[]>> = {
  'http-proxy': ['secure'],
  'http-proxy-middleware': ['secure'],
};

export function libraryKeysOf(moduleName: string): readonly string[] {
  return LIBRARY_OPTION_KEYS[packageOf(moduleName)] ?? [];
}

/**
 * Methods of a library's request builder that turn server certificate verification off with no
 * options object to read: superagent's `request.get(url).disableTLSCerts()` sets
 * `rejectUnauthorized: false` on its requests. Keys are npm packages.
 */
export const VERIFY_OFF_METHODS: Readonly<Record<string, readonly string[]>> = {
  superagent: ['disableTLSCerts'],
};

/**
 * Library-specific option names that mean "do not verify" (translated by the options module):
 * MongoDB's `tlsAllowInvalidCertificates`/`tlsInsecure`/`tlsAllowInvalidHostnames`/`sslValidate`,
 * request's `strictSSL`, tedious' (SQL Server: node-mssql, TypeORM, Sequelize, Knex)
 * `trustServerCertificate`.
 */
export const LIBRARY_VERIFY_KEYS = [
  'tlsAllowInvalidCertificates',
  'tlsInsecure',
  'tlsAllowInvalidHostnames',
  'sslValidate',
  'strictSSL',
  'trustServerCertificate',
] as const;

/** Keys that only TLS options carry: an object with one of these is a TLS options object. */
export const TLS_MARKER_KEYS = ['rejectUnauthorized', 'checkServerIdentity'] as const;
