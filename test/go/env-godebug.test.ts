/**
 * GODEBUG in process environments (Dockerfile, compose, Kubernetes, .env, shell): each TLS
 * setting it names becomes the process-wide context a godebug line gives, at the assignment;
 * templated and unrelated values give nothing, and the Go version stays a stated condition.
 */
import { describe, expect, it } from 'vitest';
import { parseTargetArgs, Targets } from '../../src/config/targets.js';
import { goEnvSettingEffect } from '../../src/crypto/platforms/go-defaults.js';
import { parseGodebugValue } from '../../src/languages/go/env-godebug.js';
import { mentionsEnvSwitch, readEnvFile } from '../../src/languages/node/env-files.js';
import { knownValues } from '../../src/model/setting.js';
import type { TlsContext } from '../../src/model/context.js';

const read = (name: string, text: string, targets?: Targets) =>
  readEnvFile(`/project/${name}`, text, 1, targets ?? new Targets(new Map()));

/** `api role line:column fact` of each context. */
function facts(contexts: TlsContext[]) {
  return contexts.map((c) => {
    const fact = c.protocols
      ? knownValues(c.protocols)[0]!.join(' ')
      : c.ciphers
        ? knownValues(c.ciphers)[0]!.text
        : c.peerSignatureHashes
          ? Object.keys(c.peerSignatureHashes).join()
          : c.features.map((f) => f.feature).join();
    return `${c.api} ${c.role} ${c.at.line}:${c.at.column} ${fact}`;
  });
}

describe('parseGodebugValue', () => {
  it('splits settings, and leaves out templated items', () => {
    expect(parseGodebugValue('tls10server=1, x509sha1=1,http2client=0')).toEqual([
      { name: 'tls10server', value: '1' },
      { name: 'x509sha1', value: '1' },
      { name: 'http2client', value: '0' },
    ]);
    expect(parseGodebugValue('$GODEBUG')).toEqual([]);
    expect(parseGodebugValue('${EXTRA},tlsrsakex=1')).toEqual([{ name: 'tlsrsakex', value: '1' }]);
    expect(parseGodebugValue('{{ .Values.godebug }}')).toEqual([]);
    expect(parseGodebugValue('tls10server=$X')).toEqual([]);
    expect(parseGodebugValue('')).toEqual([]);
  });
});

describe('GODEBUG in env files', () => {
  it('Dockerfile: ENV NAME=value with several settings, and the legacy ENV NAME value', () => {
    const text = 'FROM golang\nENV GODEBUG=tls10server=1,x509sha1=1\nENV GODEBUG tlsrsakex=1\n';
    expect(facts(read('Dockerfile', text).contexts)).toEqual([
      'GODEBUG tls10server server 2:5 TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3',
      'GODEBUG x509sha1 either 2:5 certificates',
      'GODEBUG tlsrsakex either 3:5 TLS_RSA_WITH_AES_128_GCM_SHA256, TLS_RSA_WITH_AES_256_GCM_SHA384, TLS_RSA_WITH_AES_128_CBC_SHA, TLS_RSA_WITH_AES_256_CBC_SHA',
    ]);
  });

  it('compose environment as a map and as a list, Kubernetes env, .env, shell', () => {
    const compose =
      'services:\n  a:\n    environment:\n      GODEBUG: "tls3des=1"\n  b:\n    environment:\n      - "GODEBUG=tlssha1=1"\n';
    expect(facts(read('docker-compose.yml', compose).contexts)).toEqual([
      'GODEBUG tls3des either 4:7 TLS_ECDHE_RSA_WITH_3DES_EDE_CBC_SHA',
      'GODEBUG tlssha1 either 7:10 handshake',
    ]);
    const k8s = 'env:\n  - name: GODEBUG\n    value: "tlsunsafeekm=1"\n';
    expect(facts(read('deploy.yaml', k8s).contexts)).toEqual([
      'GODEBUG tlsunsafeekm either 3:5 go.tlsunsafeekm',
    ]);
    expect(facts(read('.env', "GODEBUG='tls10server=1'\n").contexts)).toEqual([
      'GODEBUG tls10server server 1:1 TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3',
    ]);
    const sh = '#!/bin/sh\nexport GODEBUG=x509sha1=1\nGODEBUG=tls10default=1 ./client\n';
    expect(facts(read('run.sh', sh).contexts)).toEqual([
      'GODEBUG x509sha1 either 2:8 certificates',
      'GODEBUG tls10default client 3:1 TLSv1.0 TLSv1.1 TLSv1.2 TLSv1.3',
    ]);
  });

  it('unrelated, restoring, templated and commented values give nothing', () => {
    const text = [
      'GODEBUG=http2client=0,netdns=go',
      'GODEBUG=tls10server=0',
      'GODEBUG=$GODEBUG',
      'GODEBUG="${EXTRA}"',
      '# GODEBUG=tls10server=1',
      'MY_GODEBUG=tls10server=1',
    ].join('\n');
    expect(read('.env', text)).toEqual({ contexts: [], errors: [] });
  });

  it('states the Go version condition when the version is unknown, and where it came from', () => {
    const [sha1, floor, ekm] = read(
      'Dockerfile',
      'ENV GODEBUG=x509sha1=1,tls10server=1,tlsunsafeekm=1\n',
    ).contexts;
    expect(sha1!.label).toBe(
      'every Go program started with this environment (GODEBUG x509sha1=1 in the environment at Dockerfile:1, if built with Go 1.23 or older (Go 1.24 removed x509sha1))',
    );
    expect(floor!.label).toContain('whose tls.Config sets no MinVersion');
    expect(floor!.label).toContain('Go 1.21 and older do this without the setting');
    expect(floor!.notes?.protocolsFix).toContain('remove tls10server=1 from GODEBUG');
    expect(ekm!.features[0]!.detail).toBe('tlsunsafeekm=1');
  });

  it('a setting the Go version given with --target ignores is a notice, not a context', () => {
    const go124 = new Targets(parseTargetArgs(['go=1.24']));
    const r = read('.env', 'GODEBUG=x509sha1=1,tls10default=1\n', go124);
    expect(r.contexts).toEqual([]);
    expect(r.notices).toEqual([
      'GODEBUG x509sha1=1 at .env:1 changes nothing: Go 1.24 removed x509sha1 (Go 1.24) (--target go=1.24)',
      'GODEBUG tls10default=1 at .env:1 changes nothing: Go 1.24 does not read tls10default (Go 1.18 only) (--target go=1.24)',
    ]);
    const go123 = new Targets(parseTargetArgs(['go=1.23']));
    const [sha1] = read('.env', 'GODEBUG=x509sha1=1\n', go123).contexts;
    expect(sha1!.label).not.toContain('if built with');
  });

  it('the cheap claim test names GODEBUG', () => {
    expect(mentionsEnvSwitch('ENV GODEBUG=tls10server=1')).toBe(true);
    expect(mentionsEnvSwitch('ENV GOFLAGS=-mod=mod')).toBe(false);
  });
});

describe('goEnvSettingEffect', () => {
  it('only the value that turns the old behaviour on has an effect', () => {
    expect(goEnvSettingEffect('tls10server', '0')).toBeUndefined();
    expect(goEnvSettingEffect('http2client', '0')).toBeUndefined();
    expect(goEnvSettingEffect('tlsmlkem', '0')).toBeUndefined();
    expect(goEnvSettingEffect('tls10server', '1')?.effect.kind).toBe('default-floor');
  });
});
