/**
 * Query parameters decoded as kube-apiserver decodes them. Expected values
 * and messages are the upstream ones: k8s.io/apimachinery/pkg/runtime
 * conversion.go (Convert_Slice_string_To_bool/int64), the generated
 * Convert_url_Values_To_v1_*Options, apis/meta/v1/validation and
 * apis/meta/internalversion/validation, and apiserver's isPrettyPrint and
 * request-deadline filter.
 */
import { vendoredCrds } from '../crds';
import { POD_TYPE, NODE_CLAIM_TYPE, CONFIG_MAP_TYPE } from './builtinTypes';
import { resourceTypeFromCrd } from './customResources';
import { StatusError } from './errors';
import { goParseDuration } from './goValues';
import {
  checkRequestTimeout,
  deleteOptionsOf,
  isPrettyPrint,
  listOptionsOf,
  writeOptionsOf,
} from './queryOptions';

const WORKSPACE_TYPE = resourceTypeFromCrd(
  vendoredCrds().find(crd => crd.metadata.name === 'workspaces.kaito.sh')!,
);

const q = (query: string) => new URLSearchParams(query);
const list = (
  query: string,
  extra: { watchList?: boolean; forceWatch?: boolean; name?: string } = {},
) => listOptionsOf(q(query), { type: POD_TYPE, watchList: false, ...extra });

function failure(fn: () => unknown): StatusError {
  try {
    fn();
  } catch (error) {
    if (error instanceof StatusError) {
      return error;
    }
    throw error;
  }
  throw new Error('expected a StatusError');
}

describe('boolean parameters (runtime.Convert_Slice_string_To_bool)', () => {
  it.each([
    ['true', true],
    ['True', true],
    ['TRUE', true],
    ['1', true],
    ['t', true],
    ['yes', true],
    ['', true],
    ['f', true],
    ['F', true],
    ['false', false],
    ['False', false],
    ['FALSE', false],
    ['fAlSe', false],
    ['0', false],
  ])('watch=%j is %s', (value, expected) => {
    expect(list(`watch=${value}`).watch).toBe(expected);
    expect(list(`allowWatchBookmarks=${value}`).allowWatchBookmarks).toBe(
      expected,
    );
  });

  it('only the first value counts, as url.Values[0]', () => {
    expect(list('watch=false&watch=true').watch).toBe(false);
    expect(list('watch=1&watch=0').watch).toBe(true);
  });

  it('a missing parameter is false', () => {
    expect(list('').watch).toBe(false);
  });
});

describe('integer parameters (strconv.ParseInt)', () => {
  it.each([
    ['limit=abc', 'strconv.ParseInt: parsing "abc": invalid syntax'],
    ['limit=1.5', 'strconv.ParseInt: parsing "1.5": invalid syntax'],
    ['limit=', 'strconv.ParseInt: parsing "": invalid syntax'],
    [
      'timeoutSeconds=9223372036854775808',
      'strconv.ParseInt: parsing "9223372036854775808": value out of range',
    ],
    ['timeoutSeconds=1e3', 'strconv.ParseInt: parsing "1e3": invalid syntax'],
  ])('%s is a 400: %s', (query, message) => {
    const error = failure(() => list(query));
    expect(error.code).toBe(400);
    expect(error.reason).toBe('BadRequest');
    expect(error.message).toBe(message);
  });

  it('accepts signs and leading zeros, as Go does', () => {
    expect(list('limit=%2B007').limit).toBe(7);
    expect(list('limit=-5').limit).toBe(-5);
    expect(list('timeoutSeconds=-1').timeoutSeconds).toBe(-1);
  });
});

describe('ListOptions validation', () => {
  const invalid = (query: string, extra = {}) => {
    const error = failure(() => list(query, extra));
    expect(error.code).toBe(422);
    expect(error.details?.kind).toBe('ListOptions');
    expect(error.details?.group).toBe('meta.k8s.io');
    return error.message;
  };

  it.each([
    [
      'resourceVersionMatch=Exact',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden unless resourceVersion is provided',
    ],
    [
      'resourceVersion=5&resourceVersionMatch=Newest',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Unsupported value: "Newest": supported values: "Exact", "NotOlderThan", ""',
    ],
    [
      'resourceVersion=0&resourceVersionMatch=Exact',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch "exact" is forbidden for resourceVersion "0"',
    ],
    [
      'resourceVersion=5&resourceVersionMatch=Exact&continue=abc',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden when continue is provided',
    ],
    [
      'sendInitialEvents=false',
      'ListOptions.meta.k8s.io "" is invalid: sendInitialEvents: Forbidden: sendInitialEvents is forbidden for list',
    ],
    [
      'watch=1&resourceVersionMatch=NotOlderThan',
      'ListOptions.meta.k8s.io "" is invalid: resourceVersionMatch: Forbidden: resourceVersionMatch is forbidden for watch unless sendInitialEvents is provided',
    ],
    [
      'watch=1&sendInitialEvents=true',
      'ListOptions.meta.k8s.io "" is invalid: [resourceVersionMatch: Forbidden: sendInitialEvents requires setting resourceVersionMatch to NotOlderThan, sendInitialEvents: Forbidden: sendInitialEvents is forbidden for watch unless the WatchList feature gate is enabled]',
    ],
  ])('%s', (query, message) => {
    expect(invalid(query)).toBe(message);
  });

  it('accepts sendInitialEvents with NotOlderThan when the WatchList gate is on', () => {
    const options = list(
      'watch=true&sendInitialEvents=true&resourceVersionMatch=NotOlderThan',
      {
        watchList: true,
      },
    );
    expect(options.sendInitialEvents).toBe(true);
  });

  it('defaults a legacy watch to sendInitialEvents with the gate on (SetListOptionsDefaults), not otherwise', () => {
    expect(list('watch=1', { watchList: true })).toMatchObject({
      sendInitialEvents: true,
      resourceVersionMatch: 'NotOlderThan',
    });
    expect(
      list('watch=1&resourceVersion=7', { watchList: true }).sendInitialEvents,
    ).toBeUndefined();
    expect(list('watch=1').sendInitialEvents).toBeUndefined();
  });

  it('the watch path forces a watch whatever watch= says', () => {
    expect(list('watch=false', { forceWatch: true }).watch).toBe(true);
  });
});

describe('field selectors (ConvertFieldLabel)', () => {
  it('accepts the fields a Pod has a conversion for, and the old spec.host', () => {
    expect(
      list('fieldSelector=spec.nodeName=n1,status.phase!=Running')
        .fieldSelector,
    ).toBe('spec.nodeName=n1,status.phase!=Running');
    expect(list('fieldSelector=spec.host=n1').fieldSelector).toBe(
      'spec.nodeName=n1',
    );
  });

  it('refuses other Pod fields with the conversion function error', () => {
    const error = failure(() => list('fieldSelector=spec.containers=x'));
    expect(error.code).toBe(400);
    expect(error.message).toBe('field label not supported: spec.containers');
  });

  it('types without a conversion accept metadata.name and metadata.namespace only', () => {
    const options = listOptionsOf(q('fieldSelector=metadata.name=a'), {
      type: CONFIG_MAP_TYPE,
      watchList: false,
    });
    expect(options.fieldSelector).toBe('metadata.name=a');
    const error = failure(() =>
      listOptionsOf(q('fieldSelector=data.key=v'), {
        type: CONFIG_MAP_TYPE,
        watchList: false,
      }),
    );
    expect(error.message).toBe(
      '"data.key" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
  });

  it('custom resources: metadata.namespace only when namespaced', () => {
    expect(
      listOptionsOf(q('fieldSelector=metadata.namespace=ml'), {
        type: WORKSPACE_TYPE,
        watchList: false,
      }).fieldSelector,
    ).toBe('metadata.namespace=ml');
    const error = failure(() =>
      listOptionsOf(q('fieldSelector=metadata.namespace=ml'), {
        type: NODE_CLAIM_TYPE,
        watchList: false,
      }),
    );
    expect(error.message).toBe('field label not supported: metadata.namespace');
  });

  it('a watch of one object by name takes metadata.name from the URL; another field selector is a 400', () => {
    expect(list('', { forceWatch: true, name: 'web-0' }).fieldSelector).toBe(
      'metadata.name=web-0',
    );
    expect(
      list('fieldSelector=metadata.name=web-0', {
        forceWatch: true,
        name: 'web-0',
      }).fieldSelector,
    ).toBe('metadata.name=web-0');
    const error = failure(() =>
      list('fieldSelector=status.phase=Running', {
        forceWatch: true,
        name: 'web-0',
      }),
    );
    expect(error.message).toBe(
      "fieldSelector metadata.name doesn't match requested name",
    );
  });

  it('selector syntax errors are a 400 from the decoding step', () => {
    expect(failure(() => list('labelSelector=a%20in%20(b')).code).toBe(400);
    expect(failure(() => list('fieldSelector=nonsense')).code).toBe(400);
  });
});

describe('CreateOptions, UpdateOptions, PatchOptions', () => {
  const invalid = (fn: () => unknown) => {
    const error = failure(fn);
    expect(error.code).toBe(422);
    return error.message;
  };

  it('dryRun: only All; the bad value printed as a Go []string', () => {
    expect(writeOptionsOf(q('dryRun=All'), 'CreateOptions').dryRun).toBe(true);
    expect(writeOptionsOf(q(''), 'CreateOptions').dryRun).toBe(false);
    expect(
      invalid(() =>
        writeOptionsOf(q('dryRun=All&dryRun=Server'), 'CreateOptions'),
      ),
    ).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: dryRun: Unsupported value: []string{"All", "Server"}: supported values: "All"',
    );
  });

  it('fieldValidation: empty, Ignore, Warn or Strict', () => {
    expect(
      writeOptionsOf(q('fieldValidation=Strict'), 'UpdateOptions')
        .fieldValidation,
    ).toBe('Strict');
    expect(
      invalid(() =>
        writeOptionsOf(q('fieldValidation=strict'), 'UpdateOptions'),
      ),
    ).toBe(
      'UpdateOptions.meta.k8s.io "" is invalid: fieldValidation: Unsupported value: "strict": supported values: "", "Ignore", "Strict", "Warn"',
    );
  });

  it('fieldManager: at most 128 bytes of printable characters', () => {
    expect(
      invalid(() =>
        writeOptionsOf(q(`fieldManager=${'m'.repeat(129)}`), 'CreateOptions'),
      ),
    ).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Too long: may not be more than 128 bytes',
    );
    expect(
      invalid(() => writeOptionsOf(q('fieldManager=a%01b'), 'CreateOptions')),
    ).toBe(
      'CreateOptions.meta.k8s.io "" is invalid: fieldManager: Invalid value: "a\\x01b": invalid character U+0001 (at position 1)',
    );
  });

  it('apply needs a fieldManager; force is only for apply', () => {
    expect(
      invalid(() => writeOptionsOf(q(''), 'PatchOptions', { apply: true })),
    ).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: fieldManager: Required value: is required for apply patch',
    );
    expect(
      invalid(() =>
        writeOptionsOf(q('force=true'), 'PatchOptions', { apply: false }),
      ),
    ).toBe(
      'PatchOptions.meta.k8s.io "" is invalid: force: Forbidden: may not be specified for non-apply patch',
    );
    expect(
      writeOptionsOf(q('fieldManager=kubectl&force=True'), 'PatchOptions', {
        apply: true,
      }).force,
    ).toBe(true);
  });
});

describe('DeleteOptions', () => {
  it('reads the query string when there is no body, uid and resourceVersion as preconditions', () => {
    expect(
      deleteOptionsOf(
        q(
          'propagationPolicy=Foreground&dryRun=All&uid=u1&resourceVersion=9&gracePeriodSeconds=0',
        ),
        undefined,
      ),
    ).toEqual({
      propagationPolicy: 'Foreground',
      dryRun: true,
      preconditions: { uid: 'u1', resourceVersion: '9' },
      gracePeriodSeconds: 0,
    });
  });

  it('ignores the query string when there is a body', () => {
    expect(
      deleteOptionsOf(q('propagationPolicy=Orphan&dryRun=All'), {
        kind: 'DeleteOptions',
      }),
    ).toEqual({
      dryRun: false,
    });
  });

  it('orphanDependents maps to a policy; with propagationPolicy too it is a 422', () => {
    expect(
      deleteOptionsOf(q('orphanDependents=True'), undefined).propagationPolicy,
    ).toBe('Orphan');
    expect(
      deleteOptionsOf(q('orphanDependents=false'), undefined).propagationPolicy,
    ).toBe('Background');
    const error = failure(() =>
      deleteOptionsOf(
        q('orphanDependents=true&propagationPolicy=Orphan'),
        undefined,
      ),
    );
    expect(error.code).toBe(422);
    expect(error.message).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Invalid value: "Orphan": orphanDependents and deletionPropagation cannot be both set',
    );
  });

  it('an unknown or empty propagationPolicy names the supported ones, nil included', () => {
    expect(
      failure(() => deleteOptionsOf(q('propagationPolicy='), undefined))
        .message,
    ).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
    expect(
      failure(() => deleteOptionsOf(q(''), { propagationPolicy: 'background' }))
        .message,
    ).toBe(
      'DeleteOptions.meta.k8s.io "" is invalid: propagationPolicy: Unsupported value: "background": supported values: "Foreground", "Background", "Orphan", "nil"',
    );
  });

  it('a malformed gracePeriodSeconds is a 400', () => {
    expect(
      failure(() => deleteOptionsOf(q('gracePeriodSeconds=soon'), undefined))
        .message,
    ).toBe('strconv.ParseInt: parsing "soon": invalid syntax');
  });
});

describe('request-wide parameters', () => {
  it('pretty: strconv.ParseBool, else false; curl, Wget and browsers get it by default', () => {
    expect(isPrettyPrint(q('pretty=T'), undefined)).toBe(true);
    expect(isPrettyPrint(q('pretty=yes'), 'curl/8.0')).toBe(false);
    expect(isPrettyPrint(q('pretty=0'), 'curl/8.0')).toBe(false);
    expect(isPrettyPrint(q(''), 'curl/8.0')).toBe(true);
    expect(isPrettyPrint(q(''), 'Mozilla/5.0 (X11)')).toBe(true);
    expect(isPrettyPrint(q(''), 'kubectl/v1.33.2')).toBe(false);
  });

  it('timeout: a Go duration, a 400 otherwise', () => {
    expect(() => checkRequestTimeout(q('timeout=32s'))).not.toThrow();
    expect(() => checkRequestTimeout(q('timeout=1m30.5s'))).not.toThrow();
    expect(failure(() => checkRequestTimeout(q('timeout=30'))).message).toBe(
      'invalid timeout specified in the request URL - time: missing unit in duration "30"',
    );
    expect(failure(() => checkRequestTimeout(q('timeout=soon'))).message).toBe(
      'invalid timeout specified in the request URL - time: invalid duration "soon"',
    );
  });

  it('time.ParseDuration', () => {
    expect(goParseDuration('1h2m3.5s')).toBe(3_723_500);
    expect(goParseDuration('-1.5h')).toBe(-5_400_000);
    expect(goParseDuration('0')).toBe(0);
    expect(goParseDuration('5d')).toBe(
      'time: unknown unit "d" in duration "5d"',
    );
  });
});
