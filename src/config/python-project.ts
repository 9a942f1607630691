/**
 * Python project facts for the target detector (detect.ts): the lowest Python a
 * project admits (`requires-python` in pyproject.toml, Poetry's `python`, `python_requires` in
 * setup.cfg/setup.py, `.python-version`) and the requests version it pins (requirements*.txt,
 * pyproject, Pipfile.lock, poetry.lock), which decides what an empty CURL_CA_BUNDLE does.
 */
import path from 'node:path';
import { lowestVersionInRange, type TargetPlatform } from './targets.js';

type Found = Map<TargetPlatform, { version: string; reason: string }>;

/** PEP 440 specifiers: `!=` excludes, it is not a bound; `~=3.8` and `^3.8` start at 3.8. */
function lowestPython(spec: string): string | undefined {
  return lowestVersionInRange(spec.replace(/!=\s*[\d.*]+/g, '').replace(/,/g, ' '));
}

const PYPROJECT_REQUIRES = /^\s*requires-python\s*=\s*["']([^"']+)["']/m;
const POETRY_PYTHON = /^\s*python\s*=\s*["']([^"']+)["']/m;
const SETUP_CFG = /^\s*python_requires\s*=\s*(.+?)\s*$/m;
const SETUP_PY = /python_requires\s*=\s*["']([^"']+)["']/;
/** `requests==2.27.1`, `requests[socks]===2.27.1`, `requests = "2.27.1"` (Poetry), `"requests==2.27.1"`. */
const REQUESTS_PIN =
  /(?:^|["'\s])requests(?:\[[^\]]*\])?\s*(?:===?\s*|=\s*["']=?=?)v?(\d+\.\d+(?:\.\d+)?)/m;
const POETRY_LOCK =
  /\[\[package\]\]\s*\nname\s*=\s*"requests"\s*\nversion\s*=\s*"(\d+\.\d+(?:\.\d+)?)"/;
const PIPFILE_LOCK = /"requests"\s*:\s*\{[^}]*"version"\s*:\s*"==(\d+\.\d+(?:\.\d+)?)"/;

export function detectPythonTargets(
  dir: string,
  readText: (file: string) => string | undefined,
  found: Found,
): void {
  const at = (name: string) => path.join(dir, name);
  const setPython = (spec: string | undefined, where: string) => {
    if (found.has('python') || !spec) return;
    const version = lowestPython(spec);
    if (version)
      found.set('python', {
        version,
        reason: `${where} "${spec.trim()}" in ${at(where.split(' ')[0]!)}`,
      });
  };
  const setRequests = (text: string | undefined, re: RegExp, file: string) => {
    if (found.has('requests') || !text) return;
    const m = re.exec(text);
    if (m)
      found.set('requests', { version: m[1]!, reason: `requests ${m[1]!} pinned in ${at(file)}` });
  };

  const pyproject = readText(at('pyproject.toml'));
  if (pyproject !== undefined) {
    setPython(PYPROJECT_REQUIRES.exec(pyproject)?.[1], 'pyproject.toml requires-python');
    const poetryDeps = /\[tool\.poetry\.dependencies\]([\s\S]*?)(?:\n\[|$)/.exec(pyproject)?.[1];
    if (poetryDeps)
      setPython(
        POETRY_PYTHON.exec(poetryDeps)?.[1],
        'pyproject.toml tool.poetry.dependencies.python',
      );
    setRequests(pyproject, REQUESTS_PIN, 'pyproject.toml');
  }
  const setupCfg = readText(at('setup.cfg'));
  if (setupCfg !== undefined)
    setPython(
      SETUP_CFG.exec(setupCfg)?.[1]?.replace(/^["']|["']$/g, ''),
      'setup.cfg python_requires',
    );
  const setupPy = readText(at('setup.py'));
  if (setupPy !== undefined) setPython(SETUP_PY.exec(setupPy)?.[1], 'setup.py python_requires');
  const pinned = readText(at('.python-version'));
  if (pinned !== undefined) {
    const first = pinned
      .split('\n')
      .map((l) => l.trim())
      .find((l) => l && !l.startsWith('#'));
    const version = first
      ? /^(?:python-|cpython-)?(\d+\.\d+(?:\.\d+)?)/.exec(first)?.[1]
      : undefined;
    if (version && !found.has('python'))
      found.set('python', {
        version,
        reason: `.python-version "${first!}" in ${at('.python-version')}`,
      });
  }
  for (const file of [
    'requirements.txt',
    'requirements-prod.txt',
    'requirements/base.txt',
    'requirements/prod.txt',
  ])
    setRequests(readText(at(file)), REQUESTS_PIN, file);
  setRequests(readText(at('poetry.lock')), POETRY_LOCK, 'poetry.lock');
  setRequests(readText(at('Pipfile.lock')), PIPFILE_LOCK, 'Pipfile.lock');
}
