/**
 * The OpenAPI v3 component schema of a custom resource version, as the API
 * server's CRD OpenAPI builder publishes it (`buildKubeNative`): the CRD's
 * structural schema with `apiVersion`/`kind`, `metadata` as a reference to
 * ObjectMeta and `x-kubernetes-group-version-kind`; embedded resources get
 * TypeMeta and ObjectMeta too.
 */
import type { ResourceType } from './api';
import { schemaOf } from './customResources';
import type { JsonSchemaProps } from './jsonSchema';

export const OBJECT_META = 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta';

/** A reference to a component schema. */
export const ref = (id: string) => ({ $ref: `#/components/schemas/${id}` });

const TYPE_META_PROPERTIES = {
  apiVersion: {
    description:
      'APIVersion defines the versioned schema of this representation of an object. Servers should convert recognized schemas to the latest internal value, and may reject unrecognized values. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#resources',
    type: 'string',
  },
  kind: {
    description:
      'Kind is a string value representing the REST resource this object represents. Servers may infer this from the endpoint the client submits requests to. Cannot be updated. In CamelCase. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#types-kinds',
    type: 'string',
  },
};

const OBJECT_META_PROPERTY = {
  allOf: [ref(OBJECT_META)],
  description:
    "Standard object's metadata. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata",
};

/** `addEmbeddedProperties` of the CRD OpenAPI builder: embedded resources get TypeMeta and ObjectMeta. */
function withEmbeddedProperties(schema: JsonSchemaProps): JsonSchemaProps {
  const out: JsonSchemaProps & Record<string, unknown> = { ...schema };
  if (schema.properties) {
    out.properties = Object.fromEntries(
      Object.entries(schema.properties).map(([k, v]) => [
        k,
        withEmbeddedProperties(v),
      ]),
    );
  }
  if (schema.items) out.items = withEmbeddedProperties(schema.items);
  if (typeof schema.additionalProperties === 'object') {
    out.additionalProperties = withEmbeddedProperties(
      schema.additionalProperties,
    );
  }
  if (schema['x-kubernetes-embedded-resource']) {
    out.properties = {
      ...out.properties,
      ...TYPE_META_PROPERTIES,
      metadata: OBJECT_META_PROPERTY as JsonSchemaProps,
    };
    out.required = [
      ...new Set([...(schema.required ?? []), 'kind', 'apiVersion']),
    ];
  }
  return out;
}

/** The CRD's own schema, as the API server's CRD OpenAPI builder publishes it (`buildKubeNative`). */
function schemaFromCrd(
  type: ResourceType,
  version: string,
  schema: JsonSchemaProps,
) {
  const published = withEmbeddedProperties(structuredClone(schema));
  return {
    ...published,
    properties: {
      ...published.properties,
      ...TYPE_META_PROPERTIES,
      metadata: OBJECT_META_PROPERTY,
    },
    'x-kubernetes-group-version-kind': [
      { group: type.group, version, kind: type.kind },
    ],
  };
}

export function crdSchema(type: ResourceType, version: string) {
  const schema = schemaOf(type, version);
  if (schema) {
    return schemaFromCrd(type, version, schema);
  }
  return {
    description: `${type.kind} (${type.group}/${version}), served by the KAITO simulator.`,
    type: 'object',
    properties: {
      apiVersion: {
        type: 'string',
        description:
          'APIVersion defines the versioned schema of this representation of an object.',
      },
      kind: {
        type: 'string',
        description:
          'Kind is a string value representing the REST resource this object represents.',
      },
      metadata: {
        allOf: [ref(OBJECT_META)],
        description: "Standard object's metadata.",
      },
    },
    'x-kubernetes-preserve-unknown-fields': true,
    'x-kubernetes-group-version-kind': [
      { group: type.group, version, kind: type.kind },
    ],
  };
}
