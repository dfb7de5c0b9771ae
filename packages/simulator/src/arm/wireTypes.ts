/**
 * Type checks of agent pool properties as the AKS RP's Go JSON unmarshalling
 * performs them; mismatches surface as 400 `UnmarshalError` with Go's wording.
 */
import { unmarshalError } from './errors';

export type FieldType =
  | 'string'
  | 'int32'
  | 'float32'
  | 'bool'
  | '[]string'
  | 'map[string]string'
  | 'object';

export const FIELD_TYPES: Record<string, FieldType> = {
  count: 'int32',
  vmSize: 'string',
  osDiskSizeGB: 'int32',
  osDiskType: 'string',
  kubeletDiskType: 'string',
  maxPods: 'int32',
  osType: 'string',
  osSKU: 'string',
  enableAutoScaling: 'bool',
  minCount: 'int32',
  maxCount: 'int32',
  type: 'string',
  mode: 'string',
  orchestratorVersion: 'string',
  upgradeSettings: 'object',
  availabilityZones: '[]string',
  enableNodePublicIP: 'bool',
  scaleSetPriority: 'string',
  scaleSetEvictionPolicy: 'string',
  spotMaxPrice: 'float32',
  tags: 'map[string]string',
  nodeLabels: 'map[string]string',
  nodeTaints: '[]string',
  enableEncryptionAtHost: 'bool',
  enableUltraSSD: 'bool',
  enableFIPS: 'bool',
  gpuInstanceProfile: 'string',
  gpuProfile: 'object',
  securityProfile: 'object',
};

const GO_TYPE_NAMES: Record<FieldType, string> = {
  string: 'string',
  int32: 'int32',
  float32: 'float32',
  bool: 'bool',
  '[]string': '[]string',
  'map[string]string': 'map[string]*string',
  object: 'struct',
};

export const jsonTypeName = (value: unknown): string => {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  if (typeof value === 'number') return `number ${value}`;
  return typeof value;
};

export function checkType(
  field: string,
  value: unknown,
  type: FieldType,
): void {
  if (value === null || value === undefined) return; // null means "not set", as in Go
  const fail = () => {
    throw unmarshalError(field, jsonTypeName(value), GO_TYPE_NAMES[type]);
  };
  switch (type) {
    case 'string':
      if (typeof value !== 'string') fail();
      return;
    case 'int32':
      if (
        typeof value !== 'number' ||
        !Number.isInteger(value) ||
        Math.abs(value) > 2 ** 31 - 1
      )
        fail();
      return;
    case 'float32':
      if (typeof value !== 'number') fail();
      return;
    case 'bool':
      if (typeof value !== 'boolean') fail();
      return;
    case '[]string':
      if (!Array.isArray(value)) fail();
      for (const item of value as unknown[]) {
        if (typeof item !== 'string') {
          throw unmarshalError(field, jsonTypeName(item), 'string');
        }
      }
      return;
    case 'map[string]string':
      if (typeof value !== 'object' || Array.isArray(value)) fail();
      for (const item of Object.values(value as object)) {
        if (item !== null && typeof item !== 'string') {
          throw unmarshalError(field, jsonTypeName(item), 'string');
        }
      }
      return;
    case 'object':
      if (typeof value !== 'object' || Array.isArray(value)) fail();
      return;
    default:
      return;
  }
}
