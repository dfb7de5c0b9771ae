/**
 * Decoding of `application/vnd.kubernetes.protobuf` request bodies for the few
 * types kubectl's imperative commands send that way (`kubectl create namespace`,
 * `create configmap`, `create secret`, `auth can-i`, `auth whoami`): the `k8s\0` + runtime.Unknown envelope
 * and the generated.proto field numbers of those messages. Responses are always
 * JSON (clients accept it: they send `Accept: application/vnd.kubernetes.protobuf,application/json`).
 */
import { unsupportedMediaType } from './errors';

type FieldKind =
  | 'string'
  | 'bytes'
  | 'int'
  | 'bool'
  | 'time'
  | 'message'
  | 'stringMap'
  | 'bytesMap';

interface FieldSpec {
  name: string;
  kind: FieldKind;
  repeated?: boolean;
  message?: MessageSpec;
}

type MessageSpec = Record<number, FieldSpec>;

const OWNER_REFERENCE: MessageSpec = {
  1: { name: 'kind', kind: 'string' },
  3: { name: 'name', kind: 'string' },
  4: { name: 'uid', kind: 'string' },
  5: { name: 'apiVersion', kind: 'string' },
  6: { name: 'controller', kind: 'bool' },
  7: { name: 'blockOwnerDeletion', kind: 'bool' },
};

const OBJECT_META: MessageSpec = {
  1: { name: 'name', kind: 'string' },
  2: { name: 'generateName', kind: 'string' },
  3: { name: 'namespace', kind: 'string' },
  5: { name: 'uid', kind: 'string' },
  6: { name: 'resourceVersion', kind: 'string' },
  7: { name: 'generation', kind: 'int' },
  8: { name: 'creationTimestamp', kind: 'time' },
  9: { name: 'deletionTimestamp', kind: 'time' },
  10: { name: 'deletionGracePeriodSeconds', kind: 'int' },
  11: { name: 'labels', kind: 'stringMap' },
  12: { name: 'annotations', kind: 'stringMap' },
  13: {
    name: 'ownerReferences',
    kind: 'message',
    repeated: true,
    message: OWNER_REFERENCE,
  },
  14: { name: 'finalizers', kind: 'string', repeated: true },
};

const MESSAGES: Record<string, MessageSpec> = {
  'v1/Namespace': {
    1: { name: 'metadata', kind: 'message', message: OBJECT_META },
    2: {
      name: 'spec',
      kind: 'message',
      message: { 1: { name: 'finalizers', kind: 'string', repeated: true } },
    },
  },
  'v1/ConfigMap': {
    1: { name: 'metadata', kind: 'message', message: OBJECT_META },
    2: { name: 'data', kind: 'stringMap' },
    3: { name: 'binaryData', kind: 'bytesMap' },
    4: { name: 'immutable', kind: 'bool' },
  },
  'v1/Secret': {
    1: { name: 'metadata', kind: 'message', message: OBJECT_META },
    2: { name: 'data', kind: 'bytesMap' },
    3: { name: 'type', kind: 'string' },
    4: { name: 'stringData', kind: 'stringMap' },
    5: { name: 'immutable', kind: 'bool' },
  },
};

const DELETE_OPTIONS: MessageSpec = {
  1: { name: 'gracePeriodSeconds', kind: 'int' },
  2: {
    name: 'preconditions',
    kind: 'message',
    message: {
      1: { name: 'uid', kind: 'string' },
      2: { name: 'resourceVersion', kind: 'string' },
    },
  },
  3: { name: 'orphanDependents', kind: 'bool' },
  4: { name: 'propagationPolicy', kind: 'string' },
  5: { name: 'dryRun', kind: 'string', repeated: true },
};
MESSAGES['v1/DeleteOptions'] = DELETE_OPTIONS;
MESSAGES['meta.k8s.io/v1/DeleteOptions'] = DELETE_OPTIONS;

// What `kubectl auth can-i`, `auth can-i --list` and `auth whoami` send.
MESSAGES['authorization.k8s.io/v1/SelfSubjectAccessReview'] = {
  1: { name: 'metadata', kind: 'message', message: OBJECT_META },
  2: {
    name: 'spec',
    kind: 'message',
    message: {
      1: {
        name: 'resourceAttributes',
        kind: 'message',
        message: {
          1: { name: 'namespace', kind: 'string' },
          2: { name: 'verb', kind: 'string' },
          3: { name: 'group', kind: 'string' },
          4: { name: 'version', kind: 'string' },
          5: { name: 'resource', kind: 'string' },
          6: { name: 'subresource', kind: 'string' },
          7: { name: 'name', kind: 'string' },
        },
      },
      2: {
        name: 'nonResourceAttributes',
        kind: 'message',
        message: {
          1: { name: 'path', kind: 'string' },
          2: { name: 'verb', kind: 'string' },
        },
      },
    },
  },
};
MESSAGES['authorization.k8s.io/v1/SelfSubjectRulesReview'] = {
  1: { name: 'metadata', kind: 'message', message: OBJECT_META },
  2: {
    name: 'spec',
    kind: 'message',
    message: { 1: { name: 'namespace', kind: 'string' } },
  },
};
MESSAGES['authentication.k8s.io/v1/SelfSubjectReview'] = {
  1: { name: 'metadata', kind: 'message', message: OBJECT_META },
};

const ENVELOPE: MessageSpec = {
  1: {
    name: 'typeMeta',
    kind: 'message',
    message: {
      1: { name: 'apiVersion', kind: 'string' },
      2: { name: 'kind', kind: 'string' },
    },
  },
  2: { name: 'raw', kind: 'bytes' },
  3: { name: 'contentEncoding', kind: 'string' },
  4: { name: 'contentType', kind: 'string' },
};

const MAP_ENTRY_STRING: MessageSpec = {
  1: { name: 'key', kind: 'string' },
  2: { name: 'value', kind: 'string' },
};
const MAP_ENTRY_BYTES: MessageSpec = {
  1: { name: 'key', kind: 'string' },
  2: { name: 'value', kind: 'bytes' },
};
const TIME: MessageSpec = {
  1: { name: 'seconds', kind: 'int' },
  2: { name: 'nanos', kind: 'int' },
};

class Reader {
  offset = 0;

  constructor(private readonly buffer: Buffer) {}

  get done() {
    return this.offset >= this.buffer.length;
  }

  varint(): bigint {
    let result = 0n;
    let shift = 0n;
    for (;;) {
      if (this.offset >= this.buffer.length) {
        throw new Error('truncated varint');
      }
      const byte = this.buffer[this.offset++];
      result |= BigInt(byte & 0x7f) << shift;
      if ((byte & 0x80) === 0) {
        return result;
      }
      shift += 7n;
    }
  }

  bytes(): Buffer {
    const length = Number(this.varint());
    if (this.offset + length > this.buffer.length) {
      throw new Error('truncated field');
    }
    const out = this.buffer.subarray(this.offset, this.offset + length);
    this.offset += length;
    return out;
  }

  skip(wireType: number) {
    switch (wireType) {
      case 0:
        this.varint();
        break;
      case 1:
        this.offset += 8;
        break;
      case 2:
        this.bytes();
        break;
      case 5:
        this.offset += 4;
        break;
      default:
        throw new Error(`unsupported wire type ${wireType}`);
    }
  }
}

function decodeMessage(
  buffer: Buffer,
  spec: MessageSpec,
): Record<string, unknown> {
  const reader = new Reader(buffer);
  const out: Record<string, unknown> = {};
  while (!reader.done) {
    const tag = Number(reader.varint());
    const field = spec[tag >> 3];
    const wireType = tag & 7;
    if (!field) {
      reader.skip(wireType);
      continue;
    }
    let value: unknown;
    switch (field.kind) {
      case 'string':
        value = reader.bytes().toString('utf8');
        // Go encodes empty strings on the wire; JSON's omitempty would drop them.
        if (value === '' && !field.repeated) {
          continue;
        }
        break;
      case 'bytes':
        value = reader.bytes().toString('base64');
        break;
      case 'int':
        value = Number(BigInt.asIntN(64, reader.varint()));
        break;
      case 'bool':
        value = reader.varint() !== 0n;
        break;
      case 'time': {
        const time = decodeMessage(reader.bytes(), TIME) as {
          seconds?: number;
        };
        value = new Date((time.seconds ?? 0) * 1000)
          .toISOString()
          .replace(/\.\d{3}Z$/, 'Z');
        break;
      }
      case 'message':
        value = decodeMessage(reader.bytes(), field.message!);
        break;
      case 'stringMap':
      case 'bytesMap': {
        const entry = decodeMessage(
          reader.bytes(),
          field.kind === 'stringMap' ? MAP_ENTRY_STRING : MAP_ENTRY_BYTES,
        );
        const map = (out[field.name] as Record<string, unknown>) ?? {};
        map[String(entry.key ?? '')] = entry.value ?? '';
        out[field.name] = map;
        continue;
      }
      default:
        reader.skip(wireType);
        continue;
    }
    if (field.repeated) {
      ((out[field.name] as unknown[]) ??= []).push(value);
    } else {
      out[field.name] = value;
    }
  }
  return out;
}

const MAGIC = Buffer.from([0x6b, 0x38, 0x73, 0x00]);

/** Decodes a protobuf-encoded object body; 415 for types this simulator cannot decode. */
export function decodeProtobufObject(body: Buffer): Record<string, unknown> {
  if (
    body.length < MAGIC.length ||
    !body.subarray(0, MAGIC.length).equals(MAGIC)
  ) {
    throw unsupportedMediaType(
      'the body of the request was in an unknown format - protobuf payload is missing the k8s envelope',
    );
  }
  const envelope = decodeMessage(body.subarray(MAGIC.length), ENVELOPE) as {
    typeMeta?: { apiVersion?: string; kind?: string };
    raw?: string;
  };
  const apiVersion = envelope.typeMeta?.apiVersion ?? '';
  const kind = envelope.typeMeta?.kind ?? '';
  const spec = MESSAGES[`${apiVersion}/${kind}`];
  if (!spec) {
    throw unsupportedMediaType(
      `the body of the request was in an unknown format - the simulator decodes application/vnd.kubernetes.protobuf only for Namespace, ConfigMap, Secret, DeleteOptions and the self-subject reviews; send ${apiVersion}/${kind} as application/json`,
    );
  }
  return {
    apiVersion,
    kind,
    ...decodeMessage(Buffer.from(envelope.raw ?? '', 'base64'), spec),
  };
}
