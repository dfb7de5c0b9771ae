import { LoggerService } from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { createMockActionContext } from '@backstage/plugin-scaffolder-node-test-utils';
import { KaitoService } from '@kaito-backstage/plugin-kaito-node';

/**
 * Records which KaitoService methods an action called, passing every call
 * through to the real client.
 */
export function spyOnClient(client: KaitoService): {
  kaito: KaitoService;
  calls: string[];
  count(method: keyof KaitoService): number;
} {
  const calls: string[] = [];
  const kaito = new Proxy(client, {
    get(target, prop, receiver) {
      const value = Reflect.get(target, prop, receiver);
      if (typeof value !== 'function') return value;
      return (...args: unknown[]) => {
        calls.push(String(prop));
        return value.apply(target, args);
      };
    },
  });
  return {
    kaito,
    calls,
    count: method => calls.filter(c => c === method).length,
  };
}

/**
 * A checkpoint store that behaves like the scaffolder's: a key that
 * succeeded before returns its stored JSON value without running `fn`.
 */
export function checkpointStore() {
  const values = new Map<string, unknown>();
  const runs: string[] = [];
  return {
    values,
    runs,
    async checkpoint<T>(opts: {
      key: string;
      fn: () => Promise<T> | T;
    }): Promise<T> {
      if (values.has(opts.key)) {
        return values.get(opts.key) as T;
      }
      runs.push(opts.key);
      const value = await opts.fn();
      values.set(opts.key, JSON.parse(JSON.stringify(value ?? {})));
      return value;
    },
  };
}

/** A logger whose lines can be read back. */
export function capturingLogger(onLine?: (line: string) => void) {
  const lines: string[] = [];
  const logger = mockServices.logger.mock();
  for (const level of ['info', 'warn', 'error', 'debug'] as const) {
    logger[level].mockImplementation((message: string) => {
      lines.push(`${level}: ${message}`);
      onLine?.(message);
    });
  }
  logger.child.mockImplementation(() => logger as unknown as LoggerService);
  return { logger: logger as unknown as LoggerService, lines };
}

/**
 * `createMockActionContext` with the fields it ignores (`isDryRun`,
 * `signal`, `checkpoint`, `step`) spread in.
 */
export function actionContext<TInput extends Record<string, any>>(
  input: TInput,
  options: {
    logger?: LoggerService;
    isDryRun?: boolean;
    signal?: AbortSignal;
    checkpoint?: (opts: { key: string; fn: () => any }) => Promise<any>;
    taskId?: string;
    stepId?: string;
  } = {},
) {
  const base = createMockActionContext({
    input,
    ...(options.logger ? { logger: options.logger } : {}),
    task: { id: options.taskId ?? 'mock-task-id' },
  });
  return {
    ...base,
    ...(options.isDryRun !== undefined ? { isDryRun: options.isDryRun } : {}),
    ...(options.signal ? { signal: options.signal } : {}),
    ...(options.checkpoint ? { checkpoint: options.checkpoint } : {}),
    step: { id: options.stepId ?? 'mock-step-id', name: 'mock step' },
  } as any;
}

/** The output values an action set, by name. */
export function outputsOf(ctx: { output: jest.Mock }): Record<string, unknown> {
  return Object.fromEntries(ctx.output.mock.calls.map(([k, v]) => [k, v]));
}
