import { Entity, stringifyEntityRef } from '@backstage/catalog-model';
import {
  ANNOTATION_ENTITY_REF,
  LABEL_KUBERNETES_ID,
} from '@kaito-backstage/plugin-kaito-common';
import { matchesLabelSelector } from '../service/labelSelector';
import {
  EntityWorkspaceSelector,
  entityWorkspaceSelector,
} from '../service/entityWorkspaces';
import { normalizeEntityRef } from '../service/RunHistoryService';

/** What the publisher knows of a workspace to find its entities. */
export interface WorkspaceIdentity {
  namespace?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
}

/**
 * Which entities a workspace belongs to, for change signals: the entity in
 * its `kaito.backstage.io/entity-ref` annotation (workspaces the suite
 * created), and every entity whose Kubernetes mapping (kubernetes-id or
 * label selector, optional namespace; as the Kubernetes plugin maps) selects
 * it, among the entities whose workspaces were read through the API. Every
 * view reads before it listens, so the entities someone watches are known;
 * the registry keeps the most recently read `capacity` entities.
 */
export class EntityMappings {
  /** Normalized ref → mapping, least recently read first. */
  private readonly byRef = new Map<string, EntityWorkspaceSelector>();
  /** `backstage.io/kubernetes-id` value → refs mapped by just that label. */
  private readonly byKubernetesId = new Map<string, Set<string>>();
  /** Refs with any other mapping (scanned). */
  private readonly others = new Set<string>();

  constructor(private readonly capacity = 10_000) {}

  get size(): number {
    return this.byRef.size;
  }

  /** Records (or refreshes) the mapping of an entity being read. */
  remember(entity: Entity): void {
    let selector: EntityWorkspaceSelector;
    try {
      selector = entityWorkspaceSelector(entity);
    } catch {
      return; // an invalid selector maps nothing (the read said why)
    }
    const ref = normalizeEntityRef(stringifyEntityRef(entity));
    this.forget(ref);
    this.byRef.set(ref, selector);
    const id = kubernetesIdOnly(selector);
    if (id !== undefined) {
      let refs = this.byKubernetesId.get(id);
      if (!refs) {
        refs = new Set();
        this.byKubernetesId.set(id, refs);
      }
      refs.add(ref);
    } else {
      this.others.add(ref);
    }
    while (this.byRef.size > this.capacity) {
      this.forget(this.byRef.keys().next().value!);
    }
  }

  /** The normalized refs of the entities a workspace belongs to. */
  entitiesOf(ws: WorkspaceIdentity): string[] {
    const refs = new Set<string>();
    const annotated = ws.annotations?.[ANNOTATION_ENTITY_REF];
    if (annotated) {
      try {
        refs.add(normalizeEntityRef(annotated));
      } catch {
        // not a ref: the mappings below still apply
      }
    }
    const id = ws.labels?.[LABEL_KUBERNETES_ID];
    const candidates = [
      ...(id !== undefined ? this.byKubernetesId.get(id) ?? [] : []),
      ...this.others,
    ];
    for (const ref of candidates) {
      const selector = this.byRef.get(ref)!;
      if (selector.namespace && selector.namespace !== ws.namespace) continue;
      if (matchesLabelSelector(selector.requirements, ws.labels)) refs.add(ref);
    }
    return [...refs];
  }

  private forget(ref: string): void {
    const selector = this.byRef.get(ref);
    if (!selector) return;
    this.byRef.delete(ref);
    this.others.delete(ref);
    const id = kubernetesIdOnly(selector);
    if (id !== undefined) {
      const refs = this.byKubernetesId.get(id);
      refs?.delete(ref);
      if (refs?.size === 0) this.byKubernetesId.delete(id);
    }
  }
}

/** The value of a mapping that is just `backstage.io/kubernetes-id=<value>`. */
function kubernetesIdOnly(
  selector: EntityWorkspaceSelector,
): string | undefined {
  const [only] = selector.requirements;
  return selector.requirements.length === 1 &&
    only.op === 'eq' &&
    only.key === LABEL_KUBERNETES_ID
    ? only.value
    : undefined;
}
