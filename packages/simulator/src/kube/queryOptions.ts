/**
 * The options structs the API server decodes from a request's query string
 * (`metainternalversionscheme.ParameterCodec.DecodeParameters`, i.e. the
 * generated `Convert_url_Values_To_v1_*Options` conversions) and the checks its
 * handlers run on them (`k8s.io/apimachinery/pkg/apis/meta/v1/validation`,
 * `.../internalversion/validation`), in the same order and with the same
 * errors: a decoding failure is a 400, a validation failure a 422 naming
 * `ListOptions.meta.k8s.io` (or `DeleteOptions`, `CreateOptions`...).
 * Parameters no options struct has are ignored, as upstream.
 */
import type { ResourceType } from './api';
import { badRequest, invalid, type StatusCause } from './errors';
import {
  fieldForbidden,
  fieldInvalid,
  fieldNotSupported,
  fieldRequired,
  fieldTooLong,
  goQuote,
  goUnicode,
  isGoPrintable,
} from './fieldErrors';
import { convertFieldLabels } from './fieldLabels';
import { parseFieldSelector } from './fieldSelector';
import { goParseBool, goParseDuration } from './goValues';
import { parseLabelSelector } from './labelSelector';
import {
  META_GROUP,
  boolParam,
  first,
  int64Param,
  validateDryRun,
} from './queryParameters';

// DeleteOptions have a module of their own; this stays the one entry point for every options struct.
export {
  deleteOptionsOf,
  type DeleteOptions,
  type ResolvedDeleteOptions,
} from './deleteOptions';

// ------------------------------------------------------------------ ListOptions

export interface ListOptions {
  labelSelector?: string;
  fieldSelector?: string;
  watch: boolean;
  allowWatchBookmarks: boolean;
  resourceVersion: string;
  resourceVersionMatch: string;
  timeoutSeconds?: number;
  limit: number;
  continue: string;
  /** Set (true or false) whenever the parameter is present, as the *bool upstream. */
  sendInitialEvents?: boolean;
}

export interface ListRequestContext {
  type: ResourceType;
  /** The deprecated `/watch/` path prefix forces a watch (forceWatch). */
  forceWatch?: boolean;
  /** The object name on the URL, for a watch of one object. */
  name?: string;
  /** The WatchList feature gate (off by default in Kubernetes 1.33). */
  watchList: boolean;
}

function validateListOptions(
  options: ListOptions,
  watchList: boolean,
): StatusCause[] {
  const causes: StatusCause[] = [];
  const match = options.resourceVersionMatch;
  if (options.watch) {
    if (options.sendInitialEvents !== undefined) {
      if (match !== 'NotOlderThan') {
        causes.push(
          fieldForbidden(
            'resourceVersionMatch',
            'sendInitialEvents requires setting resourceVersionMatch to NotOlderThan',
          ),
        );
      }
      if (!watchList) {
        causes.push(
          fieldForbidden(
            'sendInitialEvents',
            'sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled',
          ),
        );
      }
    }
    if (match) {
      if (options.sendInitialEvents === undefined) {
        causes.push(
          fieldForbidden(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
          ),
        );
      }
      if (match !== 'NotOlderThan') {
        causes.push(
          fieldNotSupported('resourceVersionMatch', goQuote(match), [
            'NotOlderThan',
          ]),
        );
      }
      if (options.continue) {
        causes.push(
          fieldForbidden(
            'resourceVersionMatch',
            'resourceVersionMatch is forbidden when continue is provided',
          ),
        );
      }
    }
    return causes;
  }
  if (match) {
    if (!options.resourceVersion) {
      causes.push(
        fieldForbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden unless resourceVersion is provided',
        ),
      );
    }
    if (options.continue) {
      causes.push(
        fieldForbidden(
          'resourceVersionMatch',
          'resourceVersionMatch is forbidden when continue is provided',
        ),
      );
    }
    if (match !== 'Exact' && match !== 'NotOlderThan') {
      causes.push(
        fieldNotSupported('resourceVersionMatch', goQuote(match), [
          'Exact',
          'NotOlderThan',
          '',
        ]),
      );
    }
    if (match === 'Exact' && options.resourceVersion === '0') {
      causes.push(
        fieldForbidden(
          'resourceVersionMatch',
          'resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
        ),
      );
    }
  }
  if (options.sendInitialEvents !== undefined) {
    causes.push(
      fieldForbidden(
        'sendInitialEvents',
        'sendInitialEvents is forbidden for list',
      ),
    );
  }
  return causes;
}

/**
 * ListOptions for a list, watch or deletecollection, as `ListResource` reads
 * them: decoding (400), WatchList defaulting, validation (422), the type's
 * field labels (400) and, for a watch of one object, its name.
 */
export function listOptionsOf(
  query: URLSearchParams,
  context: ListRequestContext,
): ListOptions {
  const options: ListOptions = {
    labelSelector: first(query, 'labelSelector'),
    fieldSelector: first(query, 'fieldSelector'),
    watch: boolParam(query, 'watch') ?? false,
    allowWatchBookmarks: boolParam(query, 'allowWatchBookmarks') ?? false,
    resourceVersion: first(query, 'resourceVersion') ?? '',
    resourceVersionMatch: first(query, 'resourceVersionMatch') ?? '',
    timeoutSeconds: int64Param(query, 'timeoutSeconds'),
    limit: int64Param(query, 'limit') ?? 0,
    continue: first(query, 'continue') ?? '',
    sendInitialEvents: boolParam(query, 'sendInitialEvents'),
  };
  // Convert_v1_ListOptions_To_internalversion_ListOptions parses both selectors.
  parseLabelSelector(options.labelSelector);
  const fields = parseFieldSelector(options.fieldSelector);
  if (context.forceWatch) {
    // The deprecated watch path behaves as watch=true did when it was decoded.
    options.watch = true;
  }
  if (
    context.watchList &&
    options.watch &&
    options.sendInitialEvents === undefined &&
    !options.resourceVersionMatch &&
    (options.resourceVersion === '' || options.resourceVersion === '0')
  ) {
    // SetListOptionsDefaults: a legacy watch asks for the initial events.
    options.sendInitialEvents = true;
    options.resourceVersionMatch = 'NotOlderThan';
  }
  const causes = validateListOptions(options, context.watchList);
  if (causes.length > 0) {
    throw invalid('ListOptions', META_GROUP, '', causes);
  }
  options.fieldSelector = convertFieldLabels(context.type, fields);
  if (context.name !== undefined) {
    if (options.fieldSelector) {
      const named = parseFieldSelector(options.fieldSelector).requirements;
      if (
        named.length !== 1 ||
        named[0].field !== 'metadata.name' ||
        named[0].operator !== 'Equals' ||
        named[0].value !== context.name
      ) {
        throw badRequest(
          "fieldSelector metadata.name doesn't match requested name",
        );
      }
    } else {
      options.fieldSelector = `metadata.name=${context.name.replace(
        /[\\,=]/g,
        c => `\\${c}`,
      )}`;
    }
  }
  return options;
}

// ------------------------------------------------------------------ GetOptions

export function getOptionsOf(query: URLSearchParams): {
  resourceVersion: string;
} {
  return { resourceVersion: first(query, 'resourceVersion') ?? '' };
}

// ------------------------------------------------------------------ Create/Update/PatchOptions

export interface WriteOptions {
  dryRun: boolean;
  fieldManager: string;
  fieldValidation: string;
  /** PatchOptions only. */
  force?: boolean;
}

const FIELD_MANAGER_MAX_LENGTH = 128;

function validateFieldManager(fieldManager: string): StatusCause[] {
  const causes: StatusCause[] = [];
  if (Buffer.byteLength(fieldManager) > FIELD_MANAGER_MAX_LENGTH) {
    causes.push(fieldTooLong('fieldManager', FIELD_MANAGER_MAX_LENGTH));
  }
  let position = 0;
  for (const ch of fieldManager) {
    if (!isGoPrintable(ch)) {
      causes.push(
        fieldInvalid(
          'fieldManager',
          goQuote(fieldManager),
          `invalid character ${goUnicode(ch)} (at position ${position})`,
        ),
      );
    }
    position += Buffer.byteLength(ch);
  }
  return causes;
}

function validateFieldValidation(value: string): StatusCause[] {
  return ['', 'Ignore', 'Warn', 'Strict'].includes(value)
    ? []
    : [
        fieldNotSupported('fieldValidation', goQuote(value), [
          '',
          'Ignore',
          'Strict',
          'Warn',
        ]),
      ];
}

/**
 * CreateOptions, UpdateOptions or PatchOptions (with the patch type, for the
 * apply rules), decoded and validated as the create, update and patch handlers do.
 */
export function writeOptionsOf(
  query: URLSearchParams,
  kind: 'CreateOptions' | 'UpdateOptions' | 'PatchOptions',
  patch?: { apply: boolean },
): WriteOptions {
  const dryRun = query.getAll('dryRun');
  const options: WriteOptions = {
    dryRun: dryRun.length > 0,
    fieldManager: first(query, 'fieldManager') ?? '',
    fieldValidation: first(query, 'fieldValidation') ?? '',
    ...(patch ? { force: boolParam(query, 'force') } : {}),
  };
  const causes: StatusCause[] = [];
  if (patch && !patch.apply && options.force !== undefined) {
    causes.push(
      fieldForbidden('force', 'may not be specified for non-apply patch'),
    );
  }
  if (patch?.apply && options.fieldManager === '') {
    causes.push(fieldRequired('fieldManager', 'is required for apply patch'));
  }
  causes.push(
    ...validateFieldManager(options.fieldManager),
    ...validateDryRun(dryRun),
    ...validateFieldValidation(options.fieldValidation),
  );
  if (causes.length > 0) {
    throw invalid(kind, META_GROUP, '', causes);
  }
  return options;
}

// ------------------------------------------------------------------ request-wide parameters

/**
 * `pretty`: strconv.ParseBool of the value when there is one (an unparsable
 * value is false); without it, curl, Wget and browsers get indented JSON.
 */
export function isPrettyPrint(
  query: URLSearchParams,
  userAgent: string | undefined,
): boolean {
  const value = query.get('pretty');
  if (value) {
    return goParseBool(value) ?? false;
  }
  const agent = userAgent ?? '';
  return (
    agent.startsWith('curl') ||
    agent.startsWith('Wget') ||
    agent.startsWith('Mozilla/5.0')
  );
}

/**
 * `timeout` on a request that is not a watch (the request-deadline filter):
 * a malformed duration is a 400 before the request is handled.
 */
export function checkRequestTimeout(query: URLSearchParams) {
  const value = query.get('timeout');
  if (!value) {
    return;
  }
  const parsed = goParseDuration(value);
  if (typeof parsed === 'string') {
    throw badRequest(
      `invalid timeout specified in the request URL - ${parsed}`,
    );
  }
}
