/** A configuration error that names the offending key. */
export class KaitoConfigError extends Error {
  constructor(readonly key: string, problem: string) {
    super(`Invalid KAITO configuration at '${key}': ${problem}`);
    this.name = 'KaitoConfigError';
  }
}
