export * from './types';
export * from './seed-rule';
export * from './flagger';
export * from './kayenta';
