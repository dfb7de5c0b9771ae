/**
 * A JSON text assembled from already-encoded pieces (UTF-8 buffers that are
 * reused across responses) and short ASCII strings (numbers, punctuation),
 * copied once into a single buffer at the end.
 */
export class JsonBytes {
  private readonly pieces: Array<Buffer | string> = [];
  private length = 0;

  /** Appends UTF-8 bytes. */
  bytes(piece: Buffer): this {
    this.pieces.push(piece);
    this.length += piece.length;
    return this;
  }

  /** Appends a string made only of ASCII characters (one byte each). */
  ascii(piece: string): this {
    this.pieces.push(piece);
    this.length += piece.length;
    return this;
  }

  toBuffer(): Buffer {
    const out = Buffer.allocUnsafe(this.length);
    let offset = 0;
    for (const piece of this.pieces) {
      offset +=
        typeof piece === 'string'
          ? out.write(piece, offset, 'latin1')
          : piece.copy(out, offset);
    }
    return out;
  }
}
