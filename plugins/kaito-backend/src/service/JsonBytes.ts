/**
 * A JSON text assembled from already-encoded pieces (UTF-8 buffers that are
 * reused across responses) and short ASCII strings (numbers, punctuation),
 * copied once into one buffer at the end.
 */
export class JsonBytes {
  private readonly pieces: Array<Buffer | string> = [];
  private size = 0;

  /** Appends UTF-8 bytes. */
  bytes(piece: Buffer): this {
    this.pieces.push(piece);
    this.size += piece.length;
    return this;
  }

  /** Appends a string made only of ASCII characters (one byte each). */
  ascii(piece: string): this {
    this.pieces.push(piece);
    this.size += piece.length;
    return this;
  }

  /** The length of the text in bytes. */
  get length(): number {
    return this.size;
  }

  /**
   * Copies the text to the start of `target` (at least `length` bytes) and
   * returns that part of it.
   */
  copyInto(target: Buffer): Buffer {
    if (target.length < this.size) {
      throw new RangeError(
        `JsonBytes needs ${this.size} bytes, the target has ${target.length}`,
      );
    }
    let offset = 0;
    for (const piece of this.pieces) {
      offset +=
        typeof piece === 'string'
          ? target.write(piece, offset, 'latin1')
          : piece.copy(target, offset);
    }
    return target.subarray(0, offset);
  }

  toBuffer(): Buffer {
    return this.copyInto(Buffer.allocUnsafe(this.size));
  }
}
