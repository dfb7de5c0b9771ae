import { KubernetesObject } from '@kubernetes/client-node';

/**
 * Objects of one kind by the value of one label, then namespace, then name,
 * kept in step with the informers' add/update/delete events (a relist
 * reports its differences as the same events). Lists come out in the order
 * the informers keep them (namespace, then name, by first insertion).
 */
export class LabelIndex<T extends KubernetesObject = KubernetesObject> {
  private readonly byValue = new Map<string, Map<string, Map<string, T>>>();
  /** Where each indexed object is: `namespace/name` → label value. */
  private readonly where = new Map<string, string>();

  constructor(readonly label: string) {}

  get size(): number {
    return this.where.size;
  }

  /** Records an added or updated object (moving it if its label changed). */
  set(object: T): void {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    const value = object.metadata?.labels?.[this.label];
    const previous = this.where.get(key);
    if (previous !== undefined && previous !== value) {
      this.remove(previous, namespace, name);
    }
    if (value === undefined) {
      this.where.delete(key);
      return;
    }
    let namespaces = this.byValue.get(value);
    if (!namespaces) {
      namespaces = new Map();
      this.byValue.set(value, namespaces);
    }
    let names = namespaces.get(namespace);
    if (!names) {
      names = new Map();
      namespaces.set(namespace, names);
    }
    names.set(name, object);
    this.where.set(key, value);
  }

  /** Forgets a deleted object (found by namespace and name). */
  delete(object: T): void {
    const namespace = object.metadata?.namespace ?? '';
    const name = object.metadata?.name ?? '';
    const key = `${namespace}/${name}`;
    const previous = this.where.get(key);
    if (previous !== undefined) {
      this.remove(previous, namespace, name);
      this.where.delete(key);
    }
  }

  clear(): void {
    this.byValue.clear();
    this.where.clear();
  }

  /** Objects whose label has `value`, optionally in one namespace. */
  list(value: string, namespace?: string): T[] {
    const namespaces = this.byValue.get(value);
    if (!namespaces) {
      return [];
    }
    if (namespace) {
      const names = namespaces.get(namespace);
      return names ? [...names.values()] : [];
    }
    const result: T[] = [];
    for (const names of namespaces.values()) {
      for (const object of names.values()) {
        result.push(object);
      }
    }
    return result;
  }

  private remove(value: string, namespace: string, name: string): void {
    const namespaces = this.byValue.get(value);
    const names = namespaces?.get(namespace);
    if (!namespaces || !names) {
      return;
    }
    names.delete(name);
    if (names.size === 0) {
      namespaces.delete(namespace);
      if (namespaces.size === 0) {
        this.byValue.delete(value);
      }
    }
  }
}
