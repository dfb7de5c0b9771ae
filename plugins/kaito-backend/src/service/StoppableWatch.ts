import { Watch } from '@kubernetes/client-node';

/**
 * client-node's Watch, plus a way to end every stream it opened, including
 * one whose request is still in flight when the cache stops (an informer only
 * aborts the stream it already holds).
 */
export class StoppableWatch extends Watch {
  private readonly controllers = new Set<AbortController>();
  private stopped = false;

  override async watch(
    path: string,
    queryParams: Record<string, string | number | boolean | undefined>,
    callback: (phase: string, apiObj: any, watchObj?: any) => void,
    done: (err: any) => void,
  ): Promise<AbortController> {
    if (this.stopped) {
      // Never throw here: informers call this outside their error handling.
      const aborted = new AbortController();
      aborted.abort();
      return aborted;
    }
    let controller: AbortController | undefined = undefined;
    controller = await super.watch(path, queryParams, callback, err => {
      if (controller) this.controllers.delete(controller);
      done(err);
    });
    if (this.stopped) {
      controller.abort();
    } else {
      this.controllers.add(controller);
    }
    return controller;
  }

  stopAll(): void {
    this.stopped = true;
    for (const controller of this.controllers) {
      controller.abort();
    }
    this.controllers.clear();
  }
}
