import type { Command } from 'commander';

// Implementation pending: `tls-lint ciphers '<string>'` (cipher-suite work).
export function registerCiphersCommand(_program: Command, _setExitCode: (code: number) => void): void {}
