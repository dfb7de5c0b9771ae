import { spawn, type ChildProcess } from 'node:child_process';
import { createWriteStream, type WriteStream } from 'node:fs';
import { createInterface } from 'node:readline';
import { setTimeout as sleep } from 'node:timers/promises';

/** One line of the backend's production (JSON) log. */
export interface LogLine {
  /** Which start of the replica wrote it (1 for the first). */
  incarnation: number;
  /** When the harness read it. */
  at: number;
  level?: string;
  message?: string;
  plugin?: string;
  isAuditEvent?: boolean;
  eventId?: string;
  status?: string;
  meta?: Record<string, unknown>;
  [key: string]: unknown;
}

export interface BackendReplicaOptions {
  /** Shown in errors and log file names, e.g. `a`. */
  name: string;
  repoRoot: string;
  port: number;
  /** `--config` files in order (app-config.yaml, app-config.production.yaml, overlays). */
  configFiles: string[];
  env: NodeJS.ProcessEnv;
  /** Where the replica's stdout and stderr go (appended across restarts). */
  logFile: string;
}

/**
 * One replica of the real `packages/backend`, run as production runs it:
 * its own `node` process with NODE_ENV=production and the production
 * config, from the sources through the Backstage CLI's Node transform
 * (what `backstage-cli package start` also uses) instead of a bundle
 * built first.
 */
/** Every replica process this test process started, killed if it exits first. */
const children = new Set<ChildProcess>();
process.once('exit', () => {
  for (const child of children) child.kill('SIGKILL');
});

export class BackendReplica {
  private child?: ChildProcess;
  private exited?: Promise<number | null>;
  private log?: WriteStream;
  private incarnation = 0;
  readonly lines: LogLine[] = [];

  constructor(private readonly options: BackendReplicaOptions) {}

  get name(): string {
    return this.options.name;
  }

  get url(): string {
    return `http://127.0.0.1:${this.options.port}`;
  }

  /** Which start this is (1 for the first); log lines carry it too. */
  get incarnationNow(): number {
    return this.incarnation;
  }

  get pid(): number | undefined {
    return this.child?.pid;
  }

  get running(): boolean {
    return Boolean(
      this.child && this.child.exitCode === null && !this.child.signalCode,
    );
  }

  /**
   * Starts the process and resolves once Backstage reports it ready. The
   * limit allows for both replicas compiling their sources at once (the node
   * transform) on a shared 2-core machine.
   */
  async start(timeoutMs = 480_000): Promise<void> {
    if (this.running)
      throw new Error(`replica ${this.name} is already running`);
    this.incarnation += 1;
    const incarnation = this.incarnation;
    // One log per test run, across the replica's restarts.
    this.log ??= createWriteStream(this.options.logFile, {
      flags: incarnation === 1 ? 'w' : 'a',
    });
    this.log.write(
      `\n===== replica ${
        this.name
      } start ${incarnation} at ${new Date().toISOString()}\n`,
    );
    const args = [
      '--require',
      require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      'packages/backend/src/index.ts',
      ...this.options.configFiles.flatMap(file => ['--config', file]),
    ];
    const child = spawn(process.execPath, args, {
      cwd: this.options.repoRoot,
      env: this.options.env,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    this.child = child;
    children.add(child);
    this.exited = new Promise(resolve =>
      child.once('exit', code => {
        children.delete(child);
        resolve(code);
      }),
    );
    for (const stream of [child.stdout!, child.stderr!]) {
      stream.pipe(this.log, { end: false });
      createInterface({ input: stream }).on('line', text =>
        this.onLine(text, incarnation),
      );
    }
    await this.waitReady(timeoutMs);
  }

  /** Kills the process at once (SIGKILL: no shutdown hooks run). */
  async kill(): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGKILL');
    await this.exited;
  }

  /** Stops the process as an orchestrator would (SIGTERM, SIGKILL after 20 s). */
  async stop(): Promise<void> {
    if (!this.child || !this.running) return;
    this.child.kill('SIGTERM');
    const done = await Promise.race([
      this.exited!.then(() => true),
      sleep(20_000).then(() => false),
    ]);
    if (!done) await this.kill();
  }

  /** Closes the log file once the replica will not start again. */
  async dispose(): Promise<void> {
    await this.stop();
    await new Promise<void>(resolve =>
      this.log ? this.log.end(resolve) : resolve(),
    );
    this.log = undefined;
  }

  /** The audit events the replica logged (Backstage's auditor writes them to the log). */
  auditEvents(
    filter: Partial<Pick<LogLine, 'plugin' | 'eventId' | 'status'>> = {},
  ): LogLine[] {
    return this.lines.filter(
      line =>
        line.isAuditEvent === true &&
        Object.entries(filter).every(([k, v]) => line[k] === v),
    );
  }

  /** The last lines of the log, for error messages. */
  tail(count = 30): string {
    return this.lines
      .slice(-count)
      .map(
        l =>
          `[${this.name}] ${l.level ?? ''} ${l.plugin ?? ''} ${
            l.message ?? JSON.stringify(l)
          }`,
      )
      .join('\n');
  }

  private onLine(text: string, incarnation: number) {
    let parsed: Record<string, unknown>;
    try {
      parsed = text.startsWith('{') ? JSON.parse(text) : { message: text };
    } catch {
      parsed = { message: text };
    }
    this.lines.push({ ...parsed, incarnation, at: Date.now() });
  }

  private async waitReady(timeoutMs: number): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      const failed = this.lines.find(
        l =>
          l.incarnation === this.incarnation &&
          /Backend startup failed/.test(l.message ?? ''),
      );
      if (failed) {
        await this.kill();
        throw new Error(
          `replica ${this.name} failed to start: ${failed.message}`,
        );
      }
      if (!this.running) {
        throw new Error(
          `replica ${this.name} exited before it was ready (code ${
            this.child?.exitCode
          }, signal ${this.child?.signalCode}):\n${this.tail()}`,
        );
      }
      try {
        const res = await fetch(`${this.url}/.backstage/health/v1/readiness`);
        if (res.ok) return;
      } catch {
        // not listening yet
      }
      await sleep(250);
    }
    throw new Error(
      `replica ${
        this.name
      } was not ready within ${timeoutMs} ms:\n${this.tail()}`,
    );
  }
}
