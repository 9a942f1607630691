export * from './location.js';
export * from './setting.js';
export * from './protocol.js';
export * from './context.js';
export * from './finding.js';
