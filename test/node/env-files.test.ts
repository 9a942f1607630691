/**
 * NODE_TLS_REJECT_UNAUTHORIZED outside code: .env files, Dockerfiles, compose files and
 * package.json scripts, each pointing at the exact `NAME=value` text.
 */
import { describe, expect, it } from 'vitest';
import { Targets } from '../../src/config/targets.js';
import { envFileKind, readEnvFile } from '../../src/languages/node/env-files.js';

const read = (name: string, text: string) => readEnvFile(`/project/${name}`, text, 1);
const summary = (name: string, text: string) =>
  read(name, text).contexts.map((c) => {
    const s = c.peerVerification!;
    return s.origin === 'explicit'
      ? {
          value: s.value,
          raw: s.raw,
          line: s.at.line,
          column: s.at.column,
          endColumn: s.at.endColumn,
        }
      : s.origin;
  });

describe('which files', () => {
  it('knows env files, Dockerfiles, compose files and package.json by name', () => {
    expect(
      [
        '.env',
        '.env.production',
        'prod.env',
        'Dockerfile',
        'Dockerfile.dev',
        'api.dockerfile',
        'Containerfile',
        'package.json',
        'docker-compose.yml',
        'deploy.yaml',
        'start.sh',
        'Procfile',
      ].map(envFileKind),
    ).toEqual([
      'dotenv',
      'dotenv',
      'dotenv',
      'dockerfile',
      'dockerfile',
      'dockerfile',
      'dockerfile',
      'package-json',
      'yaml',
      'yaml',
      'shell',
      'shell',
    ]);
    expect(['app.js', 'environment.ts', 'package-lock.json', 'README.md'].map(envFileKind)).toEqual(
      [undefined, undefined, undefined, undefined],
    );
  });
});

describe('.env files', () => {
  it('reads the usual spellings and only "0" disables verification', () => {
    const text = [
      'NODE_TLS_REJECT_UNAUTHORIZED=0',
      'export NODE_TLS_REJECT_UNAUTHORIZED="0"',
      "NODE_TLS_REJECT_UNAUTHORIZED='0' # for the staging proxy",
      'NODE_TLS_REJECT_UNAUTHORIZED=1',
      'NODE_TLS_REJECT_UNAUTHORIZED=false',
      '# NODE_TLS_REJECT_UNAUTHORIZED=0',
      'MY_NODE_TLS_REJECT_UNAUTHORIZED=0',
    ].join('\n');
    expect(summary('.env', text)).toEqual([
      { value: false, raw: '0', line: 1, column: 1, endColumn: 31 },
      { value: false, raw: '"0"', line: 2, column: 8, endColumn: 40 },
      { value: false, raw: "'0'", line: 3, column: 1, endColumn: 33 },
      { value: true, raw: '1', line: 4, column: 1, endColumn: 31 },
      { value: true, raw: 'false', line: 5, column: 1, endColumn: 35 },
    ]);
  });

  it('makes process-wide client contexts in the env language', () => {
    const [c] = read('.env', 'NODE_TLS_REJECT_UNAUTHORIZED=0\n').contexts;
    expect(c).toMatchObject({
      language: 'env',
      role: 'client',
      recognition: 'known-api',
      api: 'process.env.NODE_TLS_REJECT_UNAUTHORIZED',
      id: '/project/.env#1',
    });
  });
});

describe('SQL Server connection strings', () => {
  it('TrustServerCertificate=true/yes/1 in any case, not false or with Encrypt=false', () => {
    const text = [
      'DB_CONNECTION=Server=db.internal;Database=app;TrustServerCertificate=true',
      'DB2="Server=db;trustservercertificate=YES"',
      'DB3=Server=db;TrustServerCertificate=false',
      'DB4=Server=db;Encrypt=false;TrustServerCertificate=true',
      'DB5=Server=db;Database=TrustServerCertificate=true',
    ].join('\n');
    expect(summary('.env', text)).toEqual([
      { value: false, raw: 'true', line: 1, column: 47, endColumn: 74 },
      { value: false, raw: 'YES', line: 2, column: 16, endColumn: 42 },
    ]);
    expect(read('.env', text).contexts[0]).toMatchObject({
      library: 'sqlserver',
      label: 'SQL Server connection string (TrustServerCertificate=true)',
    });
  });
});

describe('Dockerfiles', () => {
  it('ENV in both forms, ARG and RUN', () => {
    const text = [
      'FROM node:22',
      'ENV NODE_ENV=production NODE_TLS_REJECT_UNAUTHORIZED=0',
      'ENV NODE_TLS_REJECT_UNAUTHORIZED 0',
      'ARG NODE_TLS_REJECT_UNAUTHORIZED=0',
      'ARG NODE_TLS_REJECT_UNAUTHORIZED',
      'RUN NODE_TLS_REJECT_UNAUTHORIZED=0 npm ci',
      '# ENV NODE_TLS_REJECT_UNAUTHORIZED=0',
    ].join('\n');
    expect(summary('Dockerfile', text)).toEqual([
      { value: false, raw: '0', line: 2, column: 25, endColumn: 55 },
      { value: false, raw: '0', line: 3, column: 5, endColumn: 35 },
      { value: false, raw: '0', line: 4, column: 5, endColumn: 35 },
      { value: false, raw: '0', line: 6, column: 5, endColumn: 35 },
    ]);
  });
});

describe('YAML and shell', () => {
  it('Kubernetes name/value pairs', () => {
    const text = [
      'spec:',
      '  containers:',
      '    - name: api',
      '      env:',
      '        - name: NODE_TLS_REJECT_UNAUTHORIZED',
      '          value: "0"',
      '        - name: NODE_ENV',
      '          value: production',
      '        - name: NODE_TLS_REJECT_UNAUTHORIZED',
      '        - name: OTHER',
      '          value: "0"',
    ].join('\n');
    expect(summary('deploy.yaml', text)).toEqual([
      { value: false, raw: '"0"', line: 6, column: 11, endColumn: 21 },
    ]);
  });

  it('shell scripts', () => {
    expect(
      summary('start.sh', '#!/bin/sh\nexport NODE_TLS_REJECT_UNAUTHORIZED=0\nexec node app.js\n'),
    ).toEqual([{ value: false, raw: '0', line: 2, column: 8, endColumn: 38 }]);
  });
});

describe('compose files', () => {
  it('list and mapping forms', () => {
    const text = [
      'services:',
      '  api:',
      '    environment:',
      '      - NODE_TLS_REJECT_UNAUTHORIZED=0',
      '  worker:',
      '    environment:',
      '      NODE_TLS_REJECT_UNAUTHORIZED: "0"',
    ].join('\n');
    expect(summary('docker-compose.yml', text)).toEqual([
      { value: false, raw: '0', line: 4, column: 9, endColumn: 39 },
      { value: false, raw: '"0"', line: 7, column: 7, endColumn: 40 },
    ]);
  });
});

describe('package.json', () => {
  it('finds the variable in scripts only, at its place in the file', () => {
    const text = `{
  "name": "app",
  "description": "NODE_TLS_REJECT_UNAUTHORIZED=0 is not set here",
  "scripts": {
    "dev": "NODE_TLS_REJECT_UNAUTHORIZED=0 node app.js",
    "test": "cross-env NODE_TLS_REJECT_UNAUTHORIZED=\\"0\\" vitest",
    "ok": "NODE_TLS_REJECT_UNAUTHORIZED=1 node app.js"
  }
}`;
    expect(summary('package.json', text)).toEqual([
      { value: false, raw: '0', line: 5, column: 13, endColumn: 43 },
      { value: false, raw: '"0"', line: 6, column: 24, endColumn: 58 },
      { value: true, raw: '1', line: 7, column: 12, endColumn: 42 },
    ]);
  });

  it('a broken package.json is a LintError with its location', () => {
    const result = read(
      'package.json',
      '{\n  "name": "app",\n  "scripts": { "dev": "node app.js", }\n}\n',
    );
    expect(result.contexts).toEqual([]);
    expect(result.errors).toEqual([
      {
        file: '/project/package.json',
        kind: 'syntax',
        message: 'Invalid JSON: Unexpected "}" in JSON, expected a string',
        line: 3,
        column: 38,
      },
    ]);
  });

  it('a package.json without the variable gives nothing', () => {
    expect(
      read('package.json', '{ "name": "app", "scripts": { "start": "node app.js" } }'),
    ).toEqual({ contexts: [], errors: [] });
  });

  it("looks at the project's targets only for an engines.node range worth a context", () => {
    // Most package.json files of a tree (every package's) have no such range: they must not
    // cost a look at the folders around them.
    const lookedFor: string[] = [];
    const targets = (file: string) =>
      new Targets(new Map()).withDetected(() => {
        lookedFor.push(file);
        return new Map([['node', { version: '0.10', reason: 'engines.node' }]]);
      });
    const plain = '{ "name": "app", "engines": { "node": ">=20" }, "scripts": {} }';
    expect(readEnvFile('/p/a/package.json', plain, 1, targets('a')).contexts).toEqual([]);
    expect(readEnvFile('/p/b/package.json', '{ "name": "b" }', 1, targets('b')).contexts).toEqual(
      [],
    );
    const old = '{ "name": "app", "engines": { "node": ">=0.10" } }';
    expect(
      readEnvFile('/p/c/package.json', old, 1, targets('c')).contexts.map((c) => c.api),
    ).toEqual(['engines.node']);
    expect(lookedFor).toEqual(['c']);
  });
});
