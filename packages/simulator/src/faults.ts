import { EventEmitter } from 'node:events';

/**
 * Faults the simulator can inject, set from configuration at start-up or at
 * run time through the admin endpoint (`GET|PUT|PATCH /_sim/faults`,
 * `POST /_sim/faults/reset`). Each one mirrors a failure seen on real AKS.
 */
export interface Faults {
  /**
   * VM quota families (e.g. `standardNCADSA100v4Family`) whose regional vCPU
   * quota is exhausted: usages report limit = current usage, and an agent pool
   * of that family fails its long-running operation with `QuotaExceeded`.
   */
  quotaExhaustedFamilies: string[];
  /** The next `count` ARM requests are answered 429 with `Retry-After`. */
  armThrottling: { count: number; retryAfterSeconds: number };
  /** The next `count` agent pool writes are answered 409 `OperationNotAllowed`. */
  armConflict: { count: number };
  /** Workspace names (or `*`) whose pods cannot pull their image. */
  imagePullFailure: string[];
  /** A model whose weights do not fit the GPU memory is OOM-killed (as on real GPUs). */
  oomOnSmallGpu: boolean;
  /** Open watch streams are closed by the server every `everyMs` real milliseconds (0 = never). */
  watchDrop: { everyMs: number };
  /** Added latency, in real milliseconds, on every Kubernetes and ARM request. */
  latencyMs: { kube: number; arm: number };
  /**
   * The Kubernetes API server is unreachable (an outage of the control
   * plane or of the network path to it): open connections, watch streams
   * included, are cut and new ones are reset before TLS completes.
   */
  kubeApiDown: boolean;
}

export const defaultFaults = (): Faults => ({
  quotaExhaustedFamilies: [],
  armThrottling: { count: 0, retryAfterSeconds: 1 },
  armConflict: { count: 0 },
  imagePullFailure: [],
  oomOnSmallGpu: true,
  watchDrop: { everyMs: 0 },
  latencyMs: { kube: 0, arm: 0 },
  kubeApiDown: false,
});

export type FaultsPatch = {
  [K in keyof Faults]?: Faults[K] extends unknown[]
    ? Faults[K]
    : Faults[K] extends object
    ? Partial<Faults[K]>
    : Faults[K];
};

/** Holds the current faults; emits `change` when they are updated. */
export class FaultStore extends EventEmitter {
  private faults: Faults;

  constructor(initial?: FaultsPatch) {
    super();
    this.faults = defaultFaults();
    if (initial) {
      this.patch(initial);
    }
  }

  get(): Faults {
    return structuredClone(this.faults);
  }

  patch(patch: FaultsPatch): Faults {
    const next = defaultFaults();
    const current = this.faults as unknown as Record<string, unknown>;
    for (const key of Object.keys(next) as (keyof Faults)[]) {
      const base = current[key];
      const update = (patch as Record<string, unknown>)[key];
      if (update === undefined) {
        (next as any)[key] = base;
      } else if (Array.isArray(update) || typeof update !== 'object') {
        (next as any)[key] = update;
      } else {
        (next as any)[key] = { ...(base as object), ...(update as object) };
      }
    }
    for (const key of Object.keys(patch)) {
      if (!(key in next)) {
        throw new Error(
          `Unknown fault "${key}"; known faults: ${Object.keys(next).join(', ')}`,
        );
      }
    }
    this.faults = next;
    this.emit('change', this.get());
    return this.get();
  }

  reset(): Faults {
    this.faults = defaultFaults();
    this.emit('change', this.get());
    return this.get();
  }

  /** Consumes one unit of a counted fault; true when the fault fires. */
  take(name: 'armThrottling' | 'armConflict'): boolean {
    const fault = this.faults[name];
    if (fault.count > 0) {
      fault.count -= 1;
      return true;
    }
    return false;
  }
}
