/**
 * The objects of a team's namespace the suite's templates expect: the
 * Namespace and a docker-registry Secret the tuning runs push adapters
 * with. Create them in the cluster a test uses.
 *
 * @public
 */
export function teamNamespaceManifests(options: {
  namespace: string;
  pushSecret: string;
  registry?: string;
}) {
  const registry = options.registry ?? 'kaitodemo.azurecr.io';
  return [
    {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: options.namespace },
    },
    {
      apiVersion: 'v1',
      kind: 'Secret',
      type: 'kubernetes.io/dockerconfigjson',
      metadata: { name: options.pushSecret, namespace: options.namespace },
      data: {
        '.dockerconfigjson': Buffer.from(
          JSON.stringify({ auths: { [registry]: { auth: 'eDp5' } } }),
        ).toString('base64'),
      },
    },
  ];
}
