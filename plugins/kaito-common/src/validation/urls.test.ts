import { checkTuningInputUrl, classifyUrlHost } from './urls';

describe('classifyUrlHost', () => {
  it.each([
    ['huggingface.co', 'public'],
    ['8.8.8.8', 'public'],
    ['[2606:4700::1111]', 'public'],
    ['172.32.0.1', 'public'],
    ['localhost', 'url.localhost'],
    ['LOCALHOST.', 'url.localhost'],
    ['127.8.9.10', 'url.localhost'],
    ['[::]', 'url.localhost'],
    ['[::ffff:7f00:1]', 'url.localhost'],
    ['172.31.255.255', 'url.private-host'],
    ['[fc00::1]', 'url.private-host'],
    ['data.internal', 'url.private-host'],
    ['printer.local', 'url.private-host'],
    ['[fe80::abcd]', 'url.link-local'],
    ['169.254.0.1', 'url.link-local'],
    ['169.254.169.254', 'url.metadata-host'],
    ['100.100.100.200', 'url.metadata-host'],
    ['metadata', 'url.metadata-host'],
    ['metadata.google', 'url.metadata-host'],
    ['instance-data.ec2.internal', 'url.metadata-host'],
    ['224.0.0.251', 'url.link-local'],
    ['[ff02::fb]', 'url.link-local'],
    ['224.0.1.1', 'public'],
  ])('%s is %s', (host, expected) => {
    expect(classifyUrlHost(host)).toBe(expected);
  });
});

describe('checkTuningInputUrl', () => {
  it('accepts public http and https URLs', () => {
    expect(
      checkTuningInputUrl(
        'https://huggingface.co/datasets/a/b/resolve/main/x.parquet',
      ),
    ).toBeUndefined();
    expect(
      checkTuningInputUrl('http://example.com:8080/x.jsonl'),
    ).toBeUndefined();
  });

  it('sees through alternative IPv4 spellings', () => {
    expect(checkTuningInputUrl('http://0x7f.1/x')?.rule).toBe('url.localhost');
    expect(checkTuningInputUrl('http://0xa9fea9fe/latest')?.rule).toBe(
      'url.metadata-host',
    );
    expect(checkTuningInputUrl('http://[::ffff:169.254.169.254]/x')?.rule).toBe(
      'url.metadata-host',
    );
  });

  it('explains the problem', () => {
    expect(checkTuningInputUrl('gopher://example.com/x')).toEqual({
      rule: 'url.scheme',
      reason: 'scheme "gopher" is not allowed; use http or https',
    });
    expect(checkTuningInputUrl('http://10.0.0.1/x')).toEqual({
      rule: 'url.private-host',
      reason:
        'host 10.0.0.1 is a private or cluster-internal address, which KAITO rejects for tuning input',
    });
  });

  it('says when the rule is the suite\'s, not KAITO\'s', () => {
    for (const [url, kaito] of [
      ['http://localhost/x', true],
      ['http://a.localhost/x', true],
      ['http://metadata.google.internal/x', true],
      ['http://127.0.0.1/x', true],
      ['http://[::1]/x', true],
      ['http://[::ffff:192.168.1.1]/x', true],
      ['http://[fd00::1]/x', true],
      ['http://169.254.169.254/x', true],
      ['http://0.0.0.0/x', false],
      ['http://100.64.0.1/x', false],
      ['http://168.63.129.16/x', false],
      ['http://datasets.internal/x', false],
      ['http://storage/x', false],
      ['http://metadata/x', false],
    ] as const) {
      expect(checkTuningInputUrl(url)?.reason).toMatch(
        kaito
          ? /, which KAITO rejects for tuning input$/
          : /, which the suite rejects for tuning input \(KAITO v0\.12 lets it through\)$/,
      );
    }
  });
});
