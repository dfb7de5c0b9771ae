import express from 'express';
import request from 'supertest';
import { BufferPool } from './BufferPool';
import { JsonBytes } from './JsonBytes';
import { sendJsonBytes } from './sendJsonBytes';

describe('sendJsonBytes', () => {
  function app(pool: BufferPool) {
    const server = express();
    server.get('/list/:n', (req, res) => {
      const n = Number(req.params.n);
      const json = new JsonBytes().ascii('{"items":[');
      for (let i = 0; i < n; i++) {
        if (i > 0) json.ascii(',');
        json.bytes(Buffer.from(`{"name":"ws-${i}","note":"ü"}`));
      }
      sendJsonBytes(res, json.ascii(']}'), pool);
    });
    return server;
  }

  it('answers the JSON with its length, and reuses the buffer for the next answer', async () => {
    const pool = new BufferPool({
      maxFree: 2,
      maxBytes: 2 ** 20,
      minBytes: 1024,
    });
    const server = app(pool);

    const big = await request(server).get('/list/3000');
    expect(big.status).toBe(200);
    expect(big.headers['content-type']).toMatch(/^application\/json/);
    expect(big.headers.etag).toBeUndefined();
    expect(Number(big.headers['content-length'])).toBe(
      Buffer.byteLength(JSON.stringify(big.body)),
    );
    expect(big.body.items).toHaveLength(3000);
    expect(big.body.items[2999]).toEqual({ name: 'ws-2999', note: 'ü' });
    expect(pool.freeCount).toBe(1);

    // A shorter answer written into the same (larger) buffer ends where it should.
    const small = await request(server).get('/list/2');
    expect(small.body).toEqual({
      items: [
        { name: 'ws-0', note: 'ü' },
        { name: 'ws-1', note: 'ü' },
      ],
    });
    expect(pool.freeCount).toBe(1);
  });
});
