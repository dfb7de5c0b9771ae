import type { AdmissionContext } from './context';
import { FieldError } from './fieldError';
import { formatQuantity, gibibytes, compareQuantities, parseQuantity } from './quantity';

/**
 * `resource.partition` (v0.12, BYO only): `validatePartition`,
 * `validateMIGPartition`, `validateAcceleratorPartition` and
 * `validateMIGModelFit` of `api/v1beta1/workspace_validation.go`, with the
 * MIG profiles of `pkg/utils/mig/mig.go`. Paths are relative to `resource`.
 */
export interface Partition {
  mode?: string;
  profile?: string;
  count?: number;
}

const KNOWN_MIG_PROFILES = [
  '1g.6gb', '2g.12gb', '4g.24gb',
  '1g.5gb', '2g.10gb', '3g.20gb', '4g.20gb', '7g.40gb',
  '1g.10gb', '1g.20gb', '2g.20gb', '3g.40gb', '4g.40gb', '7g.80gb',
  '1g.12gb', '1g.24gb', '2g.24gb', '3g.47gb', '4g.47gb', '7g.94gb',
  '3g.48gb', '4g.48gb', '7g.96gb',
  '1g.18gb', '1g.35gb', '2g.35gb', '3g.71gb', '4g.71gb', '7g.141gb',
  '1g.23gb', '1g.45gb', '2g.45gb', '3g.90gb', '4g.90gb', '7g.180gb',
].sort();

/** `mig.ParseMIGProfile`: the slice memory in whole GB, or the parse error. */
function migMemoryGb(profile: string): { gb: number } | { error: string } {
  const m = /^(\d+)g\.([\d.]+)gb$/.exec(profile);
  if (!m) {
    return {
      error: `invalid MIG profile format ${JSON.stringify(
        profile,
      )}: expected format like '1g.10gb'`,
    };
  }
  const memory = Number(m[2]);
  if (Number.isNaN(memory)) {
    return {
      error: `invalid MIG profile ${JSON.stringify(
        profile,
      )}: cannot parse memory value`,
    };
  }
  if (Number(m[1]) === 0) {
    return {
      error: `invalid MIG profile ${JSON.stringify(
        profile,
      )}: compute slices must be > 0`,
    };
  }
  const gb = Math.floor(memory);
  if (gb === 0) {
    return {
      error: `invalid MIG profile ${JSON.stringify(profile)}: memory must be > 0`,
    };
  }
  return { gb };
}

/** `mig.ValidateMIGProfile` */
function migProfileError(profile: string): string | undefined {
  const parsed = migMemoryGb(profile);
  if ('error' in parsed) return parsed.error;
  if (!KNOWN_MIG_PROFILES.includes(profile)) {
    return `unknown MIG profile ${JSON.stringify(
      profile,
    )}: must be one of [${KNOWN_MIG_PROFILES.join(' ')}]`;
  }
  return undefined;
}

export function validatePartition(
  partition: Partition,
  ctx: AdmissionContext,
): FieldError {
  switch (partition.mode) {
    case 'mig': {
      if (!ctx.featureGates.enableMIG) {
        return FieldError.generic(
          'MIG support is not enabled, set feature gate enableMIG=true',
          'partition',
        );
      }
      if (partition.count !== undefined) {
        return FieldError.invalidValue(
          'count is only valid for accelerator mode',
          'partition.count',
        );
      }
      const error = migProfileError(partition.profile ?? '');
      return error
        ? FieldError.invalidValue(error, 'partition.profile')
        : FieldError.none();
    }
    case 'accelerator': {
      if (!ctx.featureGates.enableAccelerator) {
        return FieldError.generic(
          'accelerator partition support is not enabled, set feature gate enableAccelerator=true',
          'partition',
        );
      }
      let errs = FieldError.none();
      if (partition.profile) {
        errs = errs.also(
          FieldError.invalidValue(
            'profile is not valid for accelerator mode',
            'partition.profile',
          ),
        );
      }
      if (partition.count === undefined) {
        errs = errs.also(FieldError.missing('partition.count'));
      }
      return errs;
    }
    default:
      return FieldError.invalidValue(
        `unsupported partition mode ${JSON.stringify(
          partition.mode ?? '',
        )}, supported modes are "mig" and "accelerator"`,
        'partition.mode',
      );
  }
}

/** `validateMIGModelFit`: the weights must fit one slice (raw weight size, no overhead). */
export function validateMigModelFit(
  partition: Partition,
  presetName: string,
  secretName: string,
  namespace: string,
  bypass: boolean,
  ctx: AdmissionContext,
): FieldError {
  const profile = partition.profile ?? '';
  const slice = migMemoryGb(profile);
  if ('error' in slice) {
    return FieldError.invalidValue(
      `invalid MIG profile: ${slice.error}`,
      'partition.profile',
    );
  }
  const lookup = ctx.models.getModelByName(presetName, secretName, namespace);
  if ('error' in lookup) {
    return FieldError.invalidValue(
      `failed to get model preset: ${lookup.error}`,
      'preset',
    );
  }
  const sizeText = lookup.model.totalSafeTensorFileSize;
  if (sizeText === '') return FieldError.none();
  const size = parseQuantity(sizeText);
  if ('error' in size) {
    return FieldError.invalidValue(
      `invalid TotalSafeTensorFileSize ${JSON.stringify(
        sizeText,
      )} for preset ${presetName}: ${size.error}`,
      'TotalSafeTensorFileSize',
    );
  }
  const sliceMemory = gibibytes(slice.gb);
  if (compareQuantities(sliceMemory, size) < 0 && !bypass) {
    return FieldError.invalidValue(
      `Model ${presetName} requires at least ${sizeText} for weights, which exceeds the ${profile} MIG slice capacity of ${formatQuantity(
        sliceMemory,
      )}`,
      'partition',
    );
  }
  return FieldError.none();
}
