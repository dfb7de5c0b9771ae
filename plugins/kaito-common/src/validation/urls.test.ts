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
});
