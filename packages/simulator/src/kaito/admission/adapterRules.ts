import type { AdapterSpec } from '../workspace';
import { validateDataSourceCreate, type DataSourceRules } from './dataSourceRules';
import { dns1123SubdomainErrors } from './dnsNames';
import { FieldError } from './fieldError';
import { parseFloat64 } from './goStrconv';
import { WebhookPanic } from './webhookPanic';

/**
 * `AdapterSpec.validateCreateorUpdate` and `validateDuplicateName` of
 * `api/v1beta1/workspace_validation.go` (the v1alpha1 twin is the same but
 * for the data-source URL rules). KAITO runs the adapter rules on update
 * only; on create it checks just the count and duplicate names.
 */
export function validateAdapter(
  adapter: AdapterSpec,
  rules: DataSourceRules,
): FieldError {
  const source = adapter.source;
  if (!source) return FieldError.missing('Source');
  let errs = validateDataSourceCreate(source, rules).viaField('Adapters');
  if (!source.name) {
    errs = errs.also(
      FieldError.missing('Name of Adapter field must be specified'),
    );
  } else {
    const dns = dns1123SubdomainErrors(source.name);
    if (dns.length > 0) {
      errs = errs.also(
        FieldError.invalidValue(dns.join(', '), 'adapters.source.name'),
      );
    }
  }
  if (!source.image && !source.volumeSource) {
    errs = errs.also(
      FieldError.generic(
        'Either Image or Volume must be specified for adapter source',
        'adapters.source',
      ),
    );
  }
  if ((source.urls ?? []).length > 0) {
    errs = errs.also(
      FieldError.generic(
        'URLs are not supported as adapter source',
        'adapters.source.urls',
      ),
    );
  }
  const name = source.name ?? '';
  const strength = parseFloat64(adapter.strength ?? '1.0');
  if (strength.error) {
    errs = errs.also(
      FieldError.generic(
        `Invalid strength value for Adapter '${name}': ${strength.error}`,
        'adapter',
      ),
    );
  }
  if (strength.value < 0 || strength.value > 1) {
    errs = errs.also(
      FieldError.generic(
        `Strength value for Adapter '${name}' must be between 0 and 1`,
        'adapter',
      ),
    );
  }
  return errs;
}

/** `validateDuplicateName`; an adapter without `source` makes KAITO's webhook panic (nil pointer). */
export function duplicateAdapterNames(adapters: AdapterSpec[]): FieldError {
  let errs = FieldError.none();
  const seen = new Set<string>();
  for (const adapter of adapters) {
    if (!adapter.source) {
      throw new WebhookPanic(
        'invalid memory address or nil pointer dereference (validateDuplicateName: adapter without source)',
      );
    }
    const name = adapter.source.name ?? '';
    if (seen.has(name)) {
      errs = errs.also(
        FieldError.generic(`Duplicate adapter source name found: ${name}`),
      );
    } else {
      seen.add(name);
    }
  }
  return errs;
}
