import type { Command } from 'commander';

// Implementation pending: `tls-lint probe <host[:port]>` (live-probe work).
export function registerProbeCommand(_program: Command, _setExitCode: (code: number) => void): void {}
