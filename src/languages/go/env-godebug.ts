/**
 * GODEBUG in a process environment (Dockerfile `ENV`, compose/Kubernetes `env`, .env, shell
 * `export`): the settings it names override go.mod and `//go:debug` for every Go program started
 * with it (Go's doc/godebug.md). The facts are go-defaults.ts's; this turns each setting into
 * the process-wide context the rules judge, as the Go reader does for a godebug line.
 *
 * The Go version of those programs is unknown from an env file unless `--target go=…` says it:
 * a setting that only some versions read is stated with that condition, and one the named
 * version ignores becomes a notice. A value decided elsewhere (`$VAR`, `{{ … }}`) is unknown
 * and gives nothing.
 */
import path from 'node:path';
import type { Targets } from '../../config/targets.js';
import { goEnvSettingEffect, type LooseningEffect } from '../../crypto/platforms/go-defaults.js';
import { newContext, type TlsContext } from '../../model/context.js';
import type { SourceRange } from '../../model/location.js';
import { explicit } from '../../model/setting.js';

export const GODEBUG = 'GODEBUG';

/** One `name=value` of a GODEBUG value; templated items (`$X`, `{{ x }}`) are left out. */
export function parseGodebugValue(value: string): Array<{ name: string; value: string }> {
  const out: Array<{ name: string; value: string }> = [];
  for (const item of value.split(',')) {
    const m = /^\s*([A-Za-z0-9_]+)=([^\s$`{}%]*)\s*$/.exec(item);
    if (m) out.push({ name: m[1]!, value: m[2]! });
  }
  return out;
}

/** The contexts (and notices) of one `GODEBUG=…` assignment at `at`. */
export function godebugEnvContexts(
  at: SourceRange,
  value: string,
  id: string,
  targets: Targets | undefined,
): { contexts: TlsContext[]; notices: string[] } {
  const contexts: TlsContext[] = [];
  const notices: string[] = [];
  const target = targets?.get('go');
  const toolchain = target?.source === 'cli' ? target.version : undefined;
  const where = `${path.basename(at.file)}:${at.line}`;
  for (const item of parseGodebugValue(value)) {
    const effect = goEnvSettingEffect(item.name, item.value, toolchain);
    if (!effect) continue;
    const raw = `${item.name}=${item.value}`;
    if (effect.ignoredBy) {
      notices.push(
        `GODEBUG ${raw} at ${where} changes nothing: ${effect.ignoredBy} (--target go=${toolchain ?? ''})`,
      );
      continue;
    }
    const condition = effect.condition
      ? `, if ${effect.condition}`
      : effect.olderDefault
        ? `; ${effect.olderDefault}`
        : '';
    const source = `GODEBUG ${raw} in the environment at ${where}`;
    const e = effect.effect;
    const c = newContext({
      id: `${id}.${contexts.length}`,
      language: 'env',
      role: e.kind === 'default-floor' ? e.role : 'either',
      at,
      enabledAt: at,
      label:
        e.kind === 'default-floor'
          ? `every Go ${e.role} started with this environment whose tls.Config sets no MinVersion (${source}${condition})`
          : `every Go program started with this environment (${source}${condition})`,
      api: `GODEBUG ${item.name}`,
      recognition: 'known-api',
      scope: 'process',
    });
    c.tlsLibrary = 'go';
    switch (e.kind) {
      case 'peer-signature-hashes':
      case 'feature':
        applyLoosening(c, e, at, GODEBUG, raw);
        break;
      case 'default-floor':
        c.protocols = explicit(e.protocols, at, GODEBUG, raw);
        c.notes = {
          protocolsFix: `remove ${raw} from GODEBUG, or set MinVersion: tls.VersionTLS12 in the program's tls.Config`,
        };
        break;
      case 'default-suites':
        c.notes = {
          ciphers: `the default suites of every Go program started with this environment whose tls.Config sets no CipherSuites: ${source}${condition}`,
          ciphersFix: `remove ${raw} from GODEBUG, or set CipherSuites in the program's tls.Config`,
        };
        c.ciphers = explicit(
          { syntax: 'go', text: e.suites.join(', '), items: e.suites.map((text) => ({ text })) },
          at,
          GODEBUG,
          raw,
        );
        break;
    }
    contexts.push(c);
  }
  return { contexts, notices };
}

/**
 * Puts what a loosening switch changes (go-defaults.ts `LooseningEffect`) on its process-wide
 * context, the same for a godebug line, a `//go:debug` directive and a GODEBUG environment.
 * `written`: where the detail of a feature says it was set, when not at `at`'s own words.
 */
export function applyLoosening(
  c: TlsContext,
  effect: LooseningEffect,
  at: SourceRange,
  source: string,
  raw: string,
  written?: string,
): void {
  if (effect.kind === 'peer-signature-hashes')
    c.peerSignatureHashes = { [effect.where]: explicit(effect.hashes, at, source, raw) };
  else
    c.features.push({
      feature: effect.feature,
      at,
      detail: written ? `${effect.detail} (${written})` : effect.detail,
    });
}
