/**
 * The vendored KAITO Workspace CRD as kubectl sees it: `--validate=strict`
 * refuses unknown fields on the server (kubectl finds `fieldValidation` in
 * the OpenAPI v3 document), `--validate=warn` prints the server's warnings,
 * and `kubectl explain` reads the CRD's schema. Skipped when kubectl is not
 * on PATH.
 */
import {
  Kubectl,
  describeWithKubectl,
  selfSignedTls,
  startTestCluster,
  type TestCluster,
} from './testSupport';

const manifest = (name: string, extra = '') => `apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: ${name}
resource:
  instanceType: Standard_NC24ads_A100_v4
  labelSelector:
    matchLabels:
      apps: ${name}
  cont: 2
${extra}inference:
  preset:
    name: phi-3-mini-128k-instruct
`;

describeWithKubectl('customResources.kubectl.test.ts')(
  'kubectl and the Workspace CRD',
  () => {
    jest.setTimeout(60_000);
    let cluster: TestCluster;
    let kubectl: Kubectl;

    beforeAll(async () => {
      cluster = await startTestCluster({ tls: await selfSignedTls() });
      kubectl = new Kubectl(cluster.server.kubeconfig());
    });

    afterAll(async () => {
      kubectl?.dispose();
      await cluster?.close();
    });

    it('apply --validate=strict fails on an unknown field, as against a real API server', async () => {
      const path = kubectl.writeFile('strict.yaml', manifest('strict'));
      const result = await kubectl.run([
        'apply',
        '--validate=strict',
        '-f',
        path,
      ]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `Error from server (BadRequest): error when creating "${path}": Workspace in version "v1beta1" cannot be handled as a Workspace: strict decoding error: unknown field "resource.cont"`,
      );
      expect(
        cluster.store.get({
          group: 'kaito.sh',
          plural: 'workspaces',
          namespace: 'default',
          name: 'strict',
        }),
      ).toBeUndefined();
    });

    it('apply --validate=strict of an existing object fails on the patch, worded as PATCH errors are', async () => {
      const clean = kubectl.writeFile(
        'existing.yaml',
        manifest('existing').replace('  cont: 2\n', ''),
      );
      expect((await kubectl.run(['apply', '-f', clean])).code).toBe(0);
      const path = kubectl.writeFile('existing-bad.yaml', manifest('existing'));
      const result = await kubectl.run([
        'apply',
        '--validate=strict',
        '-f',
        path,
      ]);
      expect(result.code).toBe(1);
      const stderr = result.stderr.trim();
      expect(
        stderr.startsWith(
          'Error from server (BadRequest): error when applying patch:\n',
        ),
      ).toBe(true);
      expect(
        stderr.endsWith(
          `for: "${path}": error when patching "${path}": strict decoding error: unknown field "resource.cont"`,
        ),
      ).toBe(true);
    });

    it('apply --validate=warn creates it and prints the warning', async () => {
      const path = kubectl.writeFile('warn.yaml', manifest('warn'));
      const result = await kubectl.run([
        'apply',
        '--validate=warn',
        '-f',
        path,
      ]);
      expect(result.code).toBe(0);
      expect(result.stdout.trim()).toBe('workspace.kaito.sh/warn created');
      expect(result.stderr.trim()).toBe(
        'Warning: unknown field "resource.cont"',
      );
    });

    it('refuses what the schema refuses, before any webhook', async () => {
      const path = kubectl.writeFile(
        'enum.yaml',
        manifest('enum').replace(
          '  cont: 2\n',
          '  partition:\n    mode: bogus\n',
        ),
      );
      const result = await kubectl.run(['create', '-f', path]);
      expect(result.code).toBe(1);
      expect(result.stderr.trim()).toBe(
        `The Workspace "enum" is invalid: \n* resource.partition.mode: Unsupported value: "bogus": supported values: "mig", "accelerator"\n* <nil>: Invalid value: "": "resource.partition.mode" must validate all the schemas (allOf). None validated`,
      );
    });

    it('explains workspace fields from the CRD schema', async () => {
      const resource = await kubectl.run(['explain', 'workspace.resource']);
      expect(resource.code).toBe(0);
      expect(resource.stdout).toContain('GROUP:      kaito.sh');
      expect(resource.stdout).toContain('FIELD: resource <Object>');
      expect(resource.stdout).toContain('labelSelector\t<Object> -required-');
      expect(resource.stdout).toContain(
        'InstanceType specifies the GPU node SKU.',
      );
      const alpha = await kubectl.run([
        'explain',
        'workspace.resource.instanceType',
        '--api-version=kaito.sh/v1alpha1',
      ]);
      expect(alpha.stdout).toContain(
        'This field defaults to "Standard_NC24ads_A100_v4" if not specified.',
      );
      const mode = await kubectl.run([
        'explain',
        'workspace.resource.partition.mode',
      ]);
      expect(mode.stdout).toContain('FIELD: mode <string>');
    });
  },
);
