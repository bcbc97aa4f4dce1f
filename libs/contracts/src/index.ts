export * from './events';
export * from './streams';
export * from './subjects';
export * from './system';
