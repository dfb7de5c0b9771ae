/**
 * The admission chain of the store's writes, as the API server runs its
 * admission plugins and webhooks: per type, mutating hooks (which may return
 * a changed object) before the object is validated, validating hooks (which
 * can only deny) after, on the final object.
 */
import type {
  AdmissionHook,
  AdmissionPhase,
  AdmissionRequest,
  KubeObject,
  ResourceKey,
} from './api';
import { typeKeyOf } from './objects';

export class AdmissionChain {
  private readonly hooks = new Map<
    string,
    { hook: AdmissionHook; phase: AdmissionPhase }[]
  >();

  add(key: ResourceKey, hook: AdmissionHook, phase: AdmissionPhase): void {
    const list = this.hooks.get(typeKeyOf(key)) ?? [];
    list.push({ hook, phase });
    this.hooks.set(typeKeyOf(key), list);
  }

  /** Runs the type's hooks of one phase; returns the (mutated) object, or the old one for a DELETE. */
  async admit(
    key: ResourceKey,
    request: AdmissionRequest,
    phase: AdmissionPhase = 'mutating',
  ): Promise<KubeObject> {
    let object = request.object;
    for (const registration of this.hooks.get(typeKeyOf(key)) ?? []) {
      if (registration.phase !== phase) {
        continue;
      }
      const result = await registration.hook({ ...request, object });
      if (result && phase === 'mutating') {
        object = result;
      }
    }
    return object ?? request.oldObject!;
  }
}
