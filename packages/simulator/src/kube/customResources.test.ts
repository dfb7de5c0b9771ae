/**
 * Custom resources served from a CRD as kube-apiserver serves them, judged
 * through @kubernetes/client-node and raw HTTP: pruning and `fieldValidation`,
 * defaulting, structural-schema validation with the API server's wording,
 * the status subresource, ratcheting, OpenAPI v3 and the CRD object.
 * The CRD here is a made-up one: the machinery is not KAITO's.
 */
import { request } from 'node:https';
import {
  ApiException,
  CustomObjectsApi,
  KubeConfig,
  PatchStrategy,
  setHeaderOptions,
} from '@kubernetes/client-node';
import type { KubeObject } from './api';
import { seedCustomResourceDefinitions } from './customResourceDefinitions';
import { registerCustomResourceDefinition } from './customResources';
import { selfSignedTls, startTestCluster, type TestCluster } from './testSupport';

const WIDGET_CRD: KubeObject = {
  apiVersion: 'apiextensions.k8s.io/v1',
  kind: 'CustomResourceDefinition',
  metadata: { name: 'widgets.example.com' },
  spec: {
    group: 'example.com',
    scope: 'Namespaced',
    names: {
      plural: 'widgets',
      singular: 'widget',
      kind: 'Widget',
      listKind: 'WidgetList',
      shortNames: ['wdg'],
    },
    versions: [
      {
        name: 'v1',
        served: true,
        storage: true,
        subresources: { status: {} },
        additionalPrinterColumns: [
          { name: 'Size', type: 'string', jsonPath: '.spec.size' },
        ],
        schema: {
          openAPIV3Schema: {
            type: 'object',
            description: 'A widget.',
            properties: {
              apiVersion: { type: 'string' },
              kind: { type: 'string' },
              metadata: { type: 'object' },
              spec: {
                type: 'object',
                description: 'What the widget should be.',
                required: ['size'],
                properties: {
                  size: { type: 'string', enum: ['small', 'large'] },
                  replicas: { type: 'integer', minimum: 1, maximum: 5, default: 1 },
                  name: { type: 'string', maxLength: 8, pattern: '^[a-z]+$' },
                  port: { 'x-kubernetes-int-or-string': true },
                  note: { type: 'string', nullable: true },
                  tags: {
                    type: 'array',
                    items: { type: 'string' },
                    'x-kubernetes-list-type': 'set',
                  },
                  options: {
                    type: 'object',
                    properties: { color: { type: 'string', default: 'blue' } },
                  },
                  labels: { type: 'object', additionalProperties: { type: 'string' } },
                  raw: { type: 'object', 'x-kubernetes-preserve-unknown-fields': true },
                  template: {
                    type: 'object',
                    'x-kubernetes-embedded-resource': true,
                    'x-kubernetes-preserve-unknown-fields': true,
                  },
                },
              },
              status: {
                type: 'object',
                properties: {
                  since: { type: 'string', format: 'date-time' },
                  phase: { type: 'string', minLength: 1 },
                },
              },
            },
          },
        },
      },
    ],
  },
};

const W = { group: 'example.com', version: 'v1', plural: 'widgets', namespace: 'default' };

const widget = (name: string, spec: Record<string, unknown>, extra: object = {}) => ({
  apiVersion: 'example.com/v1',
  kind: 'Widget',
  metadata: { name },
  spec,
  ...extra,
});

describe('custom resources served from their CRD', () => {
  let cluster: TestCluster;
  let custom: CustomObjectsApi;
  let caPem: string;

  beforeAll(async () => {
    const tls = await selfSignedTls();
    caPem = tls.certPem;
    cluster = await startTestCluster({ tls });
    registerCustomResourceDefinition(cluster.store, WIDGET_CRD);
    await seedCustomResourceDefinitions(cluster.store);
    const kc = new KubeConfig();
    kc.loadFromOptions(cluster.kubeConfigOptions());
    custom = kc.makeApiClient(CustomObjectsApi);
  });

  afterAll(() => cluster?.close());

  const raw = (method: string, path: string, body?: unknown, contentType = 'application/json') =>
    new Promise<{ status: number; headers: Record<string, unknown>; body: any }>(
      (resolve, reject) => {
        const payload = body === undefined ? undefined : JSON.stringify(body);
        const req = request(
          new URL(path, cluster.server.url),
          {
            method,
            ca: caPem,
            headers: {
              Authorization: 'Bearer test-token-0123456789',
              ...(payload ? { 'Content-Type': contentType } : {}),
            },
          },
          res => {
            let text = '';
            res.on('data', c => (text += c));
            res.on('end', () =>
              resolve({
                status: res.statusCode ?? 0,
                headers: res.headers,
                body: text ? JSON.parse(text) : undefined,
              }),
            );
          },
        );
        req.on('error', reject);
        req.end(payload);
      },
    );

  const failure = (promise: Promise<unknown>) =>
    promise.then(
      () => {
        throw new Error('expected the request to fail');
      },
      (error: ApiException<string>) => ({
        code: error.code,
        status: JSON.parse(error.body),
      }),
    );

  describe('unknown fields and fieldValidation', () => {
    const body = widget('w-unknown', { size: 'small', bogus: 1 }, {});
    const withMeta = {
      ...body,
      metadata: { ...body.metadata, extra: 'x' },
      top: true,
    };

    it('Strict: 400 naming every unknown field, metadata first', async () => {
      const { code, status } = await failure(
        custom.createNamespacedCustomObject({ ...W, body: withMeta, fieldValidation: 'Strict' }),
      );
      expect(code).toBe(400);
      expect(status).toMatchObject({
        reason: 'BadRequest',
        message:
          'Widget in version "v1" cannot be handled as a Widget: strict decoding error: unknown field "metadata.extra", unknown field "spec.bogus", unknown field "top"',
      });
    });

    it('Warn (the default): created without them, one Warning header each', async () => {
      const res = await raw(
        'POST',
        '/apis/example.com/v1/namespaces/default/widgets',
        { ...withMeta, metadata: { name: 'w-warn', extra: 'x' } },
      );
      expect(res.status).toBe(201);
      expect(res.headers.warning).toBe(
        '299 - "unknown field \\"metadata.extra\\"", 299 - "unknown field \\"spec.bogus\\"", 299 - "unknown field \\"top\\""',
      );
      expect(res.body.spec).toEqual({ size: 'small', replicas: 1 });
      expect(res.body.top).toBeUndefined();
      expect(res.body.metadata.extra).toBeUndefined();
    });

    it('Ignore: created without them, no warning', async () => {
      const res = await raw(
        'POST',
        '/apis/example.com/v1/namespaces/default/widgets?fieldValidation=Ignore',
        { ...body, metadata: { name: 'w-ignore' } },
      );
      expect(res.status).toBe(201);
      expect(res.headers.warning).toBeUndefined();
      expect(res.body.spec.bogus).toBeUndefined();
    });

    it('Strict on PATCH: the API server words it without the kind', async () => {
      await custom.createNamespacedCustomObject({ ...W, body: widget('w-patch', { size: 'small' }) });
      const { code, status } = await failure(
        custom.patchNamespacedCustomObject(
          { ...W, name: 'w-patch', body: { spec: { bogus: true } }, fieldValidation: 'Strict' },
          setHeaderOptions('Content-Type', PatchStrategy.MergePatch),
        ),
      );
      expect(code).toBe(400);
      expect(status.message).toBe('strict decoding error: unknown field "spec.bogus"');
    });

    it('keeps what x-kubernetes-preserve-unknown-fields preserves, and embedded resources keep their TypeMeta and ObjectMeta', async () => {
      const created = await custom.createNamespacedCustomObject({
        ...W,
        fieldValidation: 'Strict',
        body: widget('w-preserve', {
          size: 'large',
          raw: { anything: { goes: [1, 2] } },
          template: { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'p' }, spec: { x: 1 } },
        }),
      });
      expect(created.spec.raw).toEqual({ anything: { goes: [1, 2] } });
      expect(created.spec.template).toMatchObject({ apiVersion: 'v1', kind: 'Pod', spec: { x: 1 } });
    });
  });

  it('applies defaults where the parent object exists', async () => {
    const created = await custom.createNamespacedCustomObject({
      ...W,
      body: widget('w-defaults', { size: 'small', options: {} }),
    });
    expect(created.spec).toEqual({ size: 'small', replicas: 1, options: { color: 'blue' } });
  });

  it('refuses values against the schema with a 422 in the API server’s words, before admission', async () => {
    let admitted = 0;
    cluster.store.addAdmissionHook(
      { group: 'example.com', plural: 'widgets' },
      () => {
        admitted++;
      },
      'validating',
    );
    const { code, status } = await failure(
      custom.createNamespacedCustomObject({
        ...W,
        body: widget('w-invalid', {
          size: 'huge',
          replicas: 9,
          name: 'TooLongName',
          port: true,
          tags: ['a', 'a'],
          labels: { team: 3 },
        }),
      }),
    );
    expect(code).toBe(422);
    expect(admitted).toBe(0);
    expect(status.reason).toBe('Invalid');
    expect(status.message).toBe(
      `Widget.example.com "w-invalid" is invalid: [${[
        'spec.size: Unsupported value: "huge": supported values: "small", "large"',
        'spec.replicas: Invalid value: 9: spec.replicas in body should be less than or equal to 5',
        'spec.name: Too long: may not be more than 8 bytes',
        'spec.port: Invalid value: "boolean": spec.port in body must be of type integer,string: "boolean"',
        'spec.labels.team: Invalid value: "integer": spec.labels.team in body must be of type string: "integer"',
        'spec.tags[1]: Duplicate value: "a"',
      ].join(', ')}]`,
    );
    expect(status.details.causes[4]).toEqual({
      reason: 'FieldValueTypeInvalid',
      field: 'spec.labels.team',
      message:
        'Invalid value: "integer": spec.labels.team in body must be of type string: "integer"',
    });
  });

  it('requires required fields and reports patterns; nullable fields take null', async () => {
    const { status } = await failure(
      custom.createNamespacedCustomObject({
        ...W,
        body: widget('w-required', { name: 'ab1', note: null }),
      }),
    );
    expect(status.message).toBe(
      'Widget.example.com "w-required" is invalid: [spec.name: Invalid value: "ab1": spec.name in body should match \'^[a-z]+$\', spec.size: Required value]',
    );
  });

  it('validates status writes, formats included, and ratchets errors of values left unchanged', async () => {
    const created = await custom.createNamespacedCustomObject({
      ...W,
      body: widget('w-status', { size: 'small' }),
    });
    const bad = await failure(
      custom.replaceNamespacedCustomObjectStatus({
        ...W,
        name: 'w-status',
        body: { ...created, status: { since: 'yesterday', phase: '' } },
      }),
    );
    expect(bad.status.message).toBe(
      'Widget.example.com "w-status" is invalid: [status.since: Invalid value: "yesterday": status.since in body must be of type date-time: "yesterday", status.phase: Invalid value: "": status.phase in body should be at least 1 chars long]',
    );
    // An object stored before a stricter schema: unchanged values keep passing.
    await cluster.store.restore({
      ...widget('w-legacy', { size: 'medium' }),
      metadata: { name: 'w-legacy', namespace: 'default' },
    });
    const legacy = await custom.getNamespacedCustomObject({ ...W, name: 'w-legacy' });
    const relabelled = await custom.replaceNamespacedCustomObject({
      ...W,
      name: 'w-legacy',
      body: { ...legacy, metadata: { ...legacy.metadata, labels: { a: 'b' } } },
    });
    expect(relabelled.metadata.labels).toEqual({ a: 'b' });
    const changed = await failure(
      custom.replaceNamespacedCustomObject({
        ...W,
        name: 'w-legacy',
        body: { ...relabelled, spec: { size: 'tiny' } },
      }),
    );
    expect(changed.status.message).toContain('spec.size: Unsupported value: "tiny"');
  });

  it('publishes the schema in OpenAPI v3 for kubectl', async () => {
    const index = await raw('GET', '/openapi/v3');
    const path = index.body.paths['apis/example.com/v1'].serverRelativeURL;
    const doc = (await raw('GET', path)).body;
    const schema = doc.components.schemas['com.example.v1.Widget'];
    expect(schema['x-kubernetes-group-version-kind']).toEqual([
      { group: 'example.com', version: 'v1', kind: 'Widget' },
    ]);
    expect(schema.properties.spec.required).toEqual(['size']);
    expect(schema.properties.spec.properties.size.enum).toEqual(['small', 'large']);
    expect(schema.properties.metadata.allOf).toEqual([
      { $ref: '#/components/schemas/io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
    ]);
    // Embedded resources are published with TypeMeta and ObjectMeta, as upstream.
    expect(schema.properties.spec.properties.template.required).toEqual(['kind', 'apiVersion']);
    const patch = doc.paths['/apis/example.com/v1/namespaces/{namespace}/widgets/{name}'].patch;
    expect(patch.parameters.map((p: { name: string }) => p.name)).toContain('fieldValidation');
  });

  it('serves the CRD object itself, verbatim, with an accepted status', async () => {
    const res = await raw(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/widgets.example.com',
    );
    expect(res.status).toBe(200);
    expect(res.body.spec).toEqual(WIDGET_CRD.spec);
    const vendored = await raw(
      'GET',
      '/apis/apiextensions.k8s.io/v1/customresourcedefinitions/workspaces.kaito.sh',
    );
    expect(vendored.status).toBe(200);
    expect(vendored.body.metadata.annotations).toEqual({
      'controller-gen.kubebuilder.io/version': 'v0.20.1',
    });
    expect(vendored.body.spec.versions.map((v: { name: string }) => v.name)).toEqual([
      'v1alpha1',
      'v1beta1',
    ]);
    expect(vendored.body.status.conditions.map((c: { type: string }) => c.type)).toEqual([
      'NamesAccepted',
      'Established',
    ]);
  });
});
