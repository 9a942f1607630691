/** ANSI colours, only when writing to a terminal and NO_COLOR is not set (no-color.org). */
export interface Palette {
  red(s: string): string;
  yellow(s: string): string;
  blue(s: string): string;
  dim(s: string): string;
  bold(s: string): string;
  underline(s: string): string;
}

const wrap = (open: number, close: number) => (s: string) => `\u001b[${open}m${s}\u001b[${close}m`;

const COLORS: Palette = {
  red: wrap(31, 39),
  yellow: wrap(33, 39),
  blue: wrap(34, 39),
  dim: wrap(2, 22),
  bold: wrap(1, 22),
  underline: wrap(4, 24),
};

const id = (s: string) => s;
export const PLAIN: Palette = { red: id, yellow: id, blue: id, dim: id, bold: id, underline: id };

export function paletteFor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): Palette {
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return PLAIN;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return COLORS;
  return stream.isTTY ? COLORS : PLAIN;
}

/**
 * Whether a stream's terminal shows OSC 8 hyperlinks: a TTY whose terminal is known to (or
 * FORCE_HYPERLINK=1); never for TERM=dumb, NO_COLOR-free is not required. Elsewhere links are
 * printed as plain URLs.
 */
export function hyperlinksFor(
  stream: { isTTY?: boolean },
  env: NodeJS.ProcessEnv = process.env,
): boolean {
  if (env.FORCE_HYPERLINK !== undefined)
    return env.FORCE_HYPERLINK !== '0' && env.FORCE_HYPERLINK !== '';
  if (!stream.isTTY || env.TERM === 'dumb' || env.CI) return false;
  if (
    env.WT_SESSION ||
    env.VTE_VERSION ||
    env.KONSOLE_VERSION ||
    env.WEZTERM_EXECUTABLE ||
    env.KITTY_WINDOW_ID
  )
    return true;
  if (['iTerm.app', 'WezTerm', 'vscode', 'ghostty', 'Hyper'].includes(env.TERM_PROGRAM ?? ''))
    return true;
  return /^(xterm-kitty|xterm-ghostty|alacritty|foot)/.test(env.TERM ?? '');
}
