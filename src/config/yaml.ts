/**
 * The `yaml` package, loaded on first use: most runs read no YAML (the probe, `--version`, a tree
 * without Envoy configs or a YAML config file), and loading it costs more than starting the CLI.
 */
import { createRequire } from 'node:module';
import type * as Yaml from 'yaml';

let yaml: typeof Yaml | undefined;

export function yamlPackage(): typeof Yaml {
  return (yaml ??= createRequire(import.meta.url)('yaml') as typeof Yaml);
}
