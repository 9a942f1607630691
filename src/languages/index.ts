/**
 * The readers registry. A new input format is a folder `src/languages/<name>/` exporting a
 * `LanguageReader`, and one line here.
 */
import { nodeEnvReader, nodeReader } from './node/index.js';
import { nginxReader } from './nginx/index.js';
import { envoyReader } from './envoy/index.js';
import { pythonReader } from './python/index.js';
import { goReader } from './go/index.js';
import { markdownReader } from './markdown/index.js';
import type { LanguageReader } from './reader.js';

export const READERS: readonly LanguageReader[] = [
  nodeReader,
  nodeEnvReader,
  nginxReader,
  envoyReader,
  pythonReader,
  goReader,
  markdownReader,
];
