/**
 * Isomorphic KAITO types, preset catalog, GPU SKU table, sizing and
 * validation rules, permissions and annotations shared by the KAITO plugin
 * suite.
 *
 * @packageDocumentation
 */

export * from './presets';
export * from './skus';
export * from './nodeEstimator';
export * from './sizing';
export * from './cost';
export * from './types';
export * from './status';
export * from './annotations';
export * from './permissions';
export * from './validation';
export * from './manifest';
export * from './api';
export * from './client';
export * from './links';
export * from './gpuPools';
export * from './diagnosis';
export * from './requestFields';
