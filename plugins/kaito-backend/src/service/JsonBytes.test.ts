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

  it('copies into the start of a larger buffer, and refuses a smaller one', () => {
    const json = new JsonBytes()
      .ascii('{"a":')
      .bytes(Buffer.from('"é"'))
      .ascii('}');
    expect(json.length).toBe(10);
    const target = Buffer.alloc(64, 'x');
    const body = json.copyInto(target);
    expect(body.toString('utf8')).toBe('{"a":"é"}');
    expect(body.buffer).toBe(target.buffer);
    expect(() => json.copyInto(Buffer.alloc(9))).toThrow(
      'JsonBytes needs 10 bytes, the target has 9',
    );
  });

  it('is an empty buffer when nothing was appended', () => {
    expect(new JsonBytes().toBuffer().length).toBe(0);
  });
});
