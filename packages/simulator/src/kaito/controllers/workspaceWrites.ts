/** Writing a Workspace: its object reference, and a status write that is skipped when nothing changed. */
import type { ObjectStore } from '../../kube/api';
import { mutateObject } from '../../wiring/objectUpdates';
import { WORKSPACE_KEY } from '../constants';
import type { Workspace } from '../workspace';

export function refOf(ws: Workspace) {
  return {
    ...WORKSPACE_KEY,
    namespace: ws.metadata.namespace,
    name: ws.metadata.name,
  };
}

export async function writeWorkspaceStatus(
  store: ObjectStore,
  ws: Workspace,
  build: (
    status: NonNullable<Workspace['status']>,
  ) => NonNullable<Workspace['status']>,
): Promise<void> {
  await mutateObject(
    store,
    refOf(ws),
    obj => {
      const current = ((obj.status as Workspace['status']) ??
        {}) as NonNullable<Workspace['status']>;
      const next = build(current);
      if (JSON.stringify(next) === JSON.stringify(current)) return false;
      obj.status = next;
      return undefined;
    },
    { status: true },
  );
}
