/**
 * The load generator, in a process of its own (forked by the benchmark): it
 * sends the reads to the backend and times them. The simulated API servers
 * live in the benchmark's main process; after every Kubernetes plugin read
 * they have served lists and collect their garbage. Timing the reads there
 * put that work into the following kaito read's latency (a 20 ms pause
 * between reads made kaito's p95 five times worse, while the backend's CPU
 * per read did not change), so the clock runs here, where nothing else
 * happens. A browser is not inside the API server either.
 *
 * Protocol (IPC): `init` (the backend's port) answered by `ready`; then
 * `read` answered by `read` with the latency, this process's CPU time for
 * the read and the answer's problem, if any (the body only when asked, so
 * that large answers do not cross the IPC channel at every read).
 */
import {
  kaitoListProblem,
  kubernetesQueryProblem,
  type ExpectedAnswer,
} from './answers';
import { BenchClient } from './client';

export interface LoadInit {
  type: 'init';
  port: number;
  expected: ExpectedAnswer;
}

export interface ReadRequest {
  type: 'read';
  id: number;
  endpoint: 'kaito' | 'kubernetes';
  method: 'GET' | 'POST';
  path: string;
  json?: unknown;
  withBody?: boolean;
}

export interface ReadReply {
  type: 'read';
  id: number;
  status: number;
  /** Request sent to the last byte of the answer. */
  ms: number;
  /** This process's CPU time for the read (sending, receiving, checking). */
  cpuMs: number;
  problem?: string;
  body?: unknown;
}

/** Entry point of the forked process. */
export function main(): void {
  if (!process.send) {
    throw new Error('loadProcess must be forked with an IPC channel');
  }
  let client: BenchClient | undefined;
  let expected: ExpectedAnswer | undefined;
  process.on('message', async (message: LoadInit | ReadRequest) => {
    if (message.type === 'init') {
      client = new BenchClient(message.port);
      expected = message.expected;
      process.send!({ type: 'ready' });
      return;
    }
    if (message.type !== 'read' || !client || !expected) return;
    const cpu = process.cpuUsage();
    const response = await client.send(
      message.method,
      message.path,
      message.json,
    );
    const problem = (
      message.endpoint === 'kaito' ? kaitoListProblem : kubernetesQueryProblem
    )(response.status, response.body, expected);
    const used = process.cpuUsage(cpu);
    const reply: ReadReply = {
      type: 'read',
      id: message.id,
      status: response.status,
      ms: response.ms,
      cpuMs: (used.user + used.system) / 1000,
      ...(problem ? { problem } : {}),
      ...(message.withBody ? { body: response.body } : {}),
    };
    process.send!(reply);
  });
  process.on('disconnect', () => {
    client?.close();
    process.exit(0);
  });
}
