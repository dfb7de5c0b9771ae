/**
 * The benchmarks' forked processes, seen from the parent: the IPC
 * handshake and the backend process (see backendProcess.ts), which every
 * benchmark starts the same way.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { setTimeout as sleep } from 'node:timers/promises';
import type {
  MemorySample,
  ResourceUsage,
  ServerSamples,
  StartedMessage,
  StartMessage,
} from './backendProcess';

/**
 * The next message of `type` from a forked process (the node transform also
 * talks over IPC: `{ type: 'watch' }` for every file it compiles).
 */
export function nextMessage<T>(child: ChildProcess, type: string): Promise<T> {
  return new Promise(resolve => {
    const listener = (m: any) => {
      if (m?.type === type) {
        child.off('message', listener);
        resolve(m as T);
      }
    };
    child.on('message', listener);
  });
}

/** Sends `message` to a process just forked and waits for its `type` answer. */
export async function handshake<T>(
  child: ChildProcess,
  message: unknown,
  type: string,
  what: string,
): Promise<T> {
  let onExit = (_code: number | null) => {};
  const exited = new Promise<never>((_, reject) => {
    onExit = code =>
      reject(new Error(`${what} exited (${code}) while starting`));
    child.once('exit', onExit);
  });
  exited.catch(() => undefined);
  const reply = nextMessage<T>(child, type);
  child.send(message as any);
  try {
    return await Promise.race([reply, exited]);
  } finally {
    child.off('exit', onExit);
  }
}

export class BackendProcess {
  private stopping = false;

  private constructor(
    private readonly child: ChildProcess,
    readonly started: StartedMessage,
  ) {
    child.on('exit', code => {
      if (!this.stopping) {
        process.stderr.write(`bench: the backend process died (${code})\n`);
        process.exit(1);
      }
    });
  }

  /**
   * Forks the backend process. With `precompiled` (see precompile.ts) it
   * runs that JavaScript without the development node transform.
   */
  static async start(
    message: StartMessage,
    options: { precompiled?: string } = {},
  ): Promise<BackendProcess> {
    const child = options.precompiled
      ? fork(require.resolve('@kaito-backstage/bench/bin/bench-backend'), [], {
          execArgv: ['--expose-gc'],
          stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          env: { ...process.env, KAITO_BENCH_PRECOMPILED: options.precompiled },
        })
      : fork(
          require.resolve('@kaito-backstage/bench/bin/bench-api'),
          ['--backend-process'],
          {
            execArgv: ['--expose-gc'],
            stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
          },
        );
    const started = await handshake<StartedMessage>(
      child,
      message,
      'started',
      'the backend process',
    );
    return new BackendProcess(child, started);
  }

  async memory(gc: boolean): Promise<MemorySample> {
    const reply = nextMessage<{ sample: MemorySample }>(this.child, 'memory');
    this.child.send({ type: 'memory', gc });
    return (await reply).sample;
  }

  /** CPU time used so far and the handles (timers, sockets) the process holds. */
  async usage(): Promise<ResourceUsage> {
    const reply = nextMessage<{ usage: ResourceUsage }>(this.child, 'usage');
    this.child.send({ type: 'usage' });
    return (await reply).usage;
  }

  /** The backend's CPU time per measured read since the last call. */
  async samples(): Promise<ServerSamples> {
    const reply = nextMessage<{ samples: ServerSamples }>(
      this.child,
      'samples',
    );
    this.child.send({ type: 'samples' });
    return (await reply).samples;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const exited = new Promise(r => this.child.once('exit', r));
    this.child.send({ type: 'stop' });
    await Promise.race([exited, sleep(10_000)]);
    if (this.child.exitCode === null) this.child.kill();
  }
}
