export * from './flagger';
export * from './kayenta';
export * from './seed-rule';
export * from './types';
