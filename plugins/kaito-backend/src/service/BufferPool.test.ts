import { BufferPool } from './BufferPool';

describe('BufferPool', () => {
  const options = { maxFree: 2, maxBytes: 4096, minBytes: 256 };

  it('hands out buffers of at least the size asked, in powers of two', () => {
    const pool = new BufferPool(options);
    expect(pool.take(10).length).toBe(256);
    expect(pool.take(300).length).toBe(512);
    expect(pool.take(1024).length).toBe(1024);
  });

  it('reuses a returned buffer that is large enough, and only once', () => {
    const pool = new BufferPool(options);
    const first = pool.take(1000);
    pool.give(first);
    expect(pool.take(2000)).not.toBe(first);
    const again = pool.take(900);
    expect(again).toBe(first);
    expect(pool.take(900)).not.toBe(first);
  });

  it('keeps at most maxFree buffers, preferring the larger, and none above maxBytes', () => {
    const pool = new BufferPool(options);
    const [small, medium, large, huge] = [256, 1024, 2048, 8192].map(n =>
      pool.take(n),
    );
    pool.give(huge);
    expect(pool.freeCount).toBe(0);
    pool.give(small);
    pool.give(medium);
    pool.give(large);
    expect(pool.freeCount).toBe(2);
    expect(pool.take(2000)).toBe(large);
    expect(pool.take(1000)).toBe(medium);
    expect(pool.freeCount).toBe(0);
  });
});
