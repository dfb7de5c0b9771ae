import { dataSourceUrlError, imageReferenceError } from './dataSourceRules';
import { FieldError } from './fieldError';

describe('FieldError (knative apis.FieldError)', () => {
  it('prefixes paths, merges equal messages and sorts like knative', () => {
    const errs = FieldError.generic('field is immutable', 'labelSelector')
      .also(FieldError.generic('field is immutable', 'count'))
      .viaField('resource')
      .also(FieldError.invalidValue('foo', 'Method').viaField('tuning'));
    expect(errs.toString()).toBe(
      'field is immutable: resource.count, resource.labelSelector\ninvalid value: foo: tuning.Method',
    );
  });

  it('renders a missing field whose "path" is a sentence, as KAITO does', () => {
    const errs = FieldError.missing(
      'instanceType is required when node auto-provisioning is enabled',
      'resource.instanceType',
    ).viaField('spec');
    expect(errs.toString()).toBe(
      'missing field(s): spec.instanceType is required when node auto-provisioning is enabled, spec.resource.instanceType',
    );
  });

  it('drops empty path segments and joins indexes', () => {
    expect(FieldError.generic('neither', '').viaField('spec').toString()).toBe(
      'neither: spec',
    );
    expect(
      FieldError.generic('bad', '[0]').viaField('adapters').paths(),
    ).toEqual(['adapters[0]']);
  });
});

describe('data source rules', () => {
  it.each([
    ['https://huggingface.co/datasets/x/resolve/main/train.jsonl', undefined],
    ['ftp://example.com/data', 'data source URL must use HTTP or HTTPS'],
    [
      'http://localhost:8080/x',
      'data source URL must not target a local or metadata endpoint',
    ],
    [
      'http://metadata.google.internal/',
      'data source URL must not target a local or metadata endpoint',
    ],
    [
      'http://10.1.2.3/data',
      'data source URL must not target a loopback, private, or link-local address',
    ],
    [
      'http://169.254.169.254/latest',
      'data source URL must not target a loopback, private, or link-local address',
    ],
    [
      'http://[::1]/x',
      'data source URL must not target a loopback, private, or link-local address',
    ],
    ['not a url', 'invalid data source URL'],
  ])('%s', (url, expected) => {
    expect(dataSourceUrlError(url)).toBe(expected);
  });

  it('parses image references like distribution/reference', () => {
    expect(
      imageReferenceError('myregistry.azurecr.io/adapters/phi-3:0.0.1'),
    ).toBeUndefined();
    expect(imageReferenceError('registry.k8s.io/pause:latest')).toBeUndefined();
    expect(imageReferenceError('MyRegistry.azurecr.io/Adapters:1')).toMatch(
      /must be lowercase/,
    );
    expect(imageReferenceError('bad image')).toBe('invalid reference format');
  });
});
