import {
  AKS_POOL_NAME_PATTERN,
  isDns1123Label,
  isDns1123Subdomain,
  isImageReference,
} from './names';

describe('isDns1123Label', () => {
  it.each([
    ['a', true],
    ['bot-tune-1', true],
    ['a'.repeat(63), true],
    ['a'.repeat(64), false],
    ['Bot', false],
    ['-bot', false],
    ['bot.tune', false],
    ['', false],
  ])('%p is %p', (value, expected) => {
    expect(isDns1123Label(value)).toBe(expected);
  });
});

describe('isDns1123Subdomain', () => {
  it.each([
    ['hf-token', true],
    ['adapter.v1', true],
    ['Adapter', false],
    ['a..b', false],
    ['a'.repeat(254), false],
  ])('%p is %p', (value, expected) => {
    expect(isDns1123Subdomain(value)).toBe(expected);
  });
});

describe('isImageReference', () => {
  it.each([
    ['busybox', true],
    ['myacr.azurecr.io/adapters/bot:v1', true],
    ['localhost:5000/x/y:1.0', true],
    [`mcr.microsoft.com/aks/kaito/base@sha256:${'0'.repeat(64)}`, true],
    [`ghcr.io/org/img:v1@sha256:${'f'.repeat(64)}`, true],
    ['UPPER/case', false],
    ['Registry.Example.com/team/img:v1', true],
    ['img:', false],
    ['has space', false],
    ['', false],
  ])('%p is %p', (value, expected) => {
    expect(isImageReference(value)).toBe(expected);
  });
});

describe('AKS_POOL_NAME_PATTERN', () => {
  it('matches AKS pool names', () => {
    expect(AKS_POOL_NAME_PATTERN.test('gpua100')).toBe(true);
    expect(AKS_POOL_NAME_PATTERN.test('a12345678901')).toBe(true);
    expect(AKS_POOL_NAME_PATTERN.test('a123456789012')).toBe(false);
    expect(AKS_POOL_NAME_PATTERN.test('Gpu')).toBe(false);
  });
});
