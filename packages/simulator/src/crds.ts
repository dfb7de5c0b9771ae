/**
 * The CustomResourceDefinitions installed on the simulated cluster, read
 * verbatim from `packages/simulator/crds/` (see its README for their
 * sources), found from the package root as `resolvePackagePath` does, so
 * the same from `src/`, a `dist/` bundle or an installed package.
 */
import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import YAML from 'yaml';
import type { KubeObject } from './kube/api';

/** File names in `crds/`, in registration order. */
export const VENDORED_CRDS = ['kaito.sh_workspaces.yaml'];

const CRD_DIR = join(
  dirname(require.resolve('@kaito-backstage/simulator/package.json')),
  'crds',
);

/** Parses a vendored CRD file (`---`-prefixed YAML with one document). */
export function loadVendoredCrd(file: string): KubeObject {
  const docs = YAML.parseAllDocuments(readFileSync(join(CRD_DIR, file), 'utf8'))
    .map(doc => doc.toJS())
    .filter(Boolean);
  if (docs.length !== 1 || docs[0].kind !== 'CustomResourceDefinition') {
    throw new Error(`${file}: expected exactly one CustomResourceDefinition`);
  }
  return docs[0] as KubeObject;
}

let cache: KubeObject[] | undefined;

/** Every vendored CRD, parsed once (callers get copies). */
export function vendoredCrds(): KubeObject[] {
  cache ??= VENDORED_CRDS.map(loadVendoredCrd);
  return structuredClone(cache);
}
