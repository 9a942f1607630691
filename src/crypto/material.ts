import type { MaterialRef, MaterialSummary } from '../model/context.js';

export interface MaterialSource {
  readBytes(path: string): Buffer | undefined;
}

// Implementation pending (certificate/key/DH reading).
export function loadMaterialSummary(_ref: MaterialRef, _source: MaterialSource): MaterialSummary | undefined {
  return undefined;
}
