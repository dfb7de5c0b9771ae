/**
 * Buffers for large responses, reused once the socket is done with them.
 * An entity's workspace list is hundreds of kilobytes; a fresh buffer for
 * every read (the frontend polls every few seconds) is memory outside the
 * JavaScript heap that V8 only reclaims with garbage collections, which then
 * pause reads (see BENCHMARKS.md).
 */
export class BufferPool {
  private readonly free: Buffer[] = [];

  constructor(
    private readonly options: {
      /** Buffers kept for reuse at most. */
      maxFree: number;
      /** Larger buffers are not kept. */
      maxBytes: number;
      /** The smallest buffer handed out. */
      minBytes: number;
    } = { maxFree: 8, maxBytes: 8 * 2 ** 20, minBytes: 64 * 2 ** 10 },
  ) {}

  /** A buffer of at least `size` bytes; its contents are arbitrary. */
  take(size: number): Buffer {
    const index = this.free.findIndex(b => b.length >= size);
    if (index >= 0) {
      return this.free.splice(index, 1)[0];
    }
    const length = Math.max(
      this.options.minBytes,
      2 ** Math.ceil(Math.log2(size || 1)),
    );
    return Buffer.allocUnsafeSlow(length);
  }

  /** Returns a buffer from `take` once nothing reads it any more. */
  give(buffer: Buffer): void {
    if (buffer.length > this.options.maxBytes) return;
    if (this.free.length >= this.options.maxFree) {
      // Keep the larger ones: they fit every response the smaller ones fit.
      this.free.sort((a, b) => a.length - b.length);
      if (this.free[0].length >= buffer.length) return;
      this.free.shift();
    }
    this.free.push(buffer);
  }

  /** Buffers waiting for reuse (for tests). */
  get freeCount(): number {
    return this.free.length;
  }
}
