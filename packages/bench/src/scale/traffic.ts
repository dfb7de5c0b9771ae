/**
 * Bytes the simulated API servers send to their clients (the backend under
 * test), counted on the server side per listening port: Node's
 * `net.server.socket` diagnostics channel gives every accepted connection,
 * and a socket's `bytesWritten` is what went over the wire to the client
 * (TLS included). Closed connections keep their count.
 */
import { subscribe } from 'node:diagnostics_channel';
import type { Socket } from 'node:net';

class ByteCounter {
  private readonly live = new Map<number, Set<Socket>>();
  private readonly closed = new Map<number, number>();
  private subscribed = false;

  track(port: number): () => number {
    this.live.set(port, new Set());
    this.closed.set(port, 0);
    if (!this.subscribed) {
      this.subscribed = true;
      subscribe('net.server.socket', message => {
        const { socket } = message as { socket: Socket };
        const local = socket.localPort ?? -1;
        const sockets = this.live.get(local);
        if (!sockets) return;
        sockets.add(socket);
        socket.once('close', () => {
          sockets.delete(socket);
          this.closed.set(
            local,
            (this.closed.get(local) ?? 0) + socket.bytesWritten,
          );
        });
      });
    }
    return () => {
      let total = this.closed.get(port) ?? 0;
      for (const socket of this.live.get(port) ?? [])
        total += socket.bytesWritten;
      return total;
    };
  }
}

const counter = new ByteCounter();

/** A function returning the bytes sent so far by the server on `port`. */
export function trackBytesSent(port: number): () => number {
  return counter.track(port);
}
