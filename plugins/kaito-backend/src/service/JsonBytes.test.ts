import { JsonBytes } from './JsonBytes';

describe('JsonBytes', () => {
  it('joins UTF-8 pieces and ASCII strings in order, byte for byte', () => {
    const text = new JsonBytes()
      .bytes(Buffer.from('{"message":"quota — 0/24 vCPUs ✗","ready":'))
      .ascii('12')
      .bytes(Buffer.from(',"tags":["ü"]'))
      .ascii('}')
      .toBuffer();
    expect(text.toString('utf8')).toBe(
      '{"message":"quota — 0/24 vCPUs ✗","ready":12,"tags":["ü"]}',
    );
    expect(JSON.parse(text.toString('utf8')).ready).toBe(12);
  });

  it('is an empty buffer when nothing was appended', () => {
    expect(new JsonBytes().toBuffer().length).toBe(0);
  });
});
