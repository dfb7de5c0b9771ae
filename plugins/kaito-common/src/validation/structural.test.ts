import type { z } from 'zod/v3';
import type { ChatCompletionRequest } from '../api/chat';
import { KaitoValidationError } from './issues';
import type { CreateGpuPoolRequest, CreateWorkspaceRequest } from './requests';
import {
  chatCompletionRequestSchema,
  createGpuPoolRequestSchema,
  createWorkspaceRequestSchema,
} from './schemas';
import { knownFieldsAt } from './structural';
import { closestName } from './suggest';
import { validateChatCompletionRequest } from './validateChatCompletionRequest';
import { validateCreateWorkspaceRequest } from './validateCreateWorkspaceRequest';
import {
  validateCreateGpuPoolRequest,
  validateUpdateGpuPoolRequest,
} from './validateGpuPoolRequest';
import { validateQuery } from './validateQuery';

const valid = () => ({
  entityRef: 'component:default/support-bot',
  cluster: 'aks-dev',
  namespace: 'ml',
  name: 'bot',
  resource: { instanceType: 'Standard_NC24ads_A100_v4' },
  inference: { preset: 'phi-3-mini-128k-instruct' },
});

const issuesOf = (request: unknown) =>
  validateCreateWorkspaceRequest(request as any).map(i => ({
    field: i.field,
    rule: i.rule,
    message: i.message,
    ...(i.didYouMean ? { didYouMean: i.didYouMean } : {}),
  }));

describe('strict request structure', () => {
  it('accepts a valid request', () => {
    expect(issuesOf(valid())).toEqual([]);
  });

  it('accepts entity refs in any case, as Backstage compares them', () => {
    expect(
      issuesOf({ ...valid(), entityRef: 'Component:Default/Support-Bot' }),
    ).toEqual([]);
  });

  it('describes the same shapes as the request types', () => {
    // Compile-time: every request the types allow passes the structure
    // (values such as the tuning method are the semantic rules' business).
    const request: z.input<typeof createWorkspaceRequestSchema> =
      {} as CreateWorkspaceRequest;
    const pool: z.input<typeof createGpuPoolRequestSchema> =
      {} as CreateGpuPoolRequest;
    const chat: z.input<typeof chatCompletionRequestSchema> =
      {} as ChatCompletionRequest;
    expect([request, pool, chat]).toHaveLength(3);
  });

  it('names an unknown field and the field meant', () => {
    expect(issuesOf({ ...valid(), dryrun: true })).toEqual([
      {
        field: 'dryrun',
        rule: 'field.unknown',
        didYouMean: 'dryRun',
        message:
          'dryrun: is not a field of the workspace request; did you mean dryRun? [field.unknown]',
      },
    ]);
  });

  it('lists the known fields when none is close', () => {
    const [issue] = issuesOf({ ...valid(), bogus: 1 });
    expect(issue.message).toBe(
      'bogus: is not a field of the workspace request (its fields: entityRef, cluster, namespace, name, dryRun, resource, tuning, inference) [field.unknown]',
    );
    expect(issue.didYouMean).toBeUndefined();
  });

  it('refuses unknown fields at any depth', () => {
    const request: any = valid();
    request.inference.adapters = [
      { name: 'a', image: 'reg.io/a:v1', strenght: '1' },
    ];
    request.resource.labelSelectors = { a: 'b' };
    expect(issuesOf(request).map(i => [i.field, i.didYouMean])).toEqual([
      ['resource.labelSelectors', 'labelSelector'],
      ['inference.adapters[0].strenght', 'strength'],
    ]);
  });

  it('says "must be an object", not "is required", for a wrong type', () => {
    expect(issuesOf({ ...valid(), resource: 'big' })).toEqual([
      {
        field: 'resource',
        rule: 'field.type',
        message: 'resource: must be an object (got a string) [field.type]',
      },
    ]);
    expect(issuesOf({ ...valid(), name: 5 })[0].message).toBe(
      'name: must be a string (got a number) [field.type]',
    );
    expect(issuesOf({ ...valid(), dryRun: 'yes' })[0].message).toBe(
      'dryRun: must be true or false (got a string) [field.type]',
    );
  });

  it('counts an empty image as no source (found by the property test)', () => {
    const adapter: any = valid();
    adapter.inference.adapters = [{ name: 'a', image: '' }];
    expect(issuesOf(adapter).map(i => [i.field, i.rule])).toEqual([
      ['inference.adapters[0]', 'adapter.source.exactly-one'],
    ]);
    const output = {
      ...valid(),
      inference: undefined,
      tuning: {
        preset: 'phi-3-mini-128k-instruct',
        method: 'qlora',
        input: { urls: ['https://example.com/d.jsonl'] },
        output: { image: '', imagePushSecret: 'push' },
      },
    };
    expect(issuesOf(output).map(i => i.rule)).toContain(
      'tuning.output.exactly-one',
    );
  });

  it('still reports semantic problems next to structural ones', () => {
    const rules = issuesOf({ ...valid(), name: 'Bad_Name', extra: 1 }).map(
      i => i.rule,
    );
    expect(rules).toEqual(['field.unknown', 'name.dns-label']);
  });

  it('cuts echoed values, so a huge input makes a short error', () => {
    const huge = 'x'.repeat(1024 * 1024);
    const error = new KaitoValidationError(
      'workspace request',
      validateCreateWorkspaceRequest({
        ...valid(),
        name: huge,
        [huge]: 1,
      } as any),
    );
    expect(error.message.length).toBeLessThan(1000);
    expect(error.message).toContain('more characters');
  });

  it('applies to GPU pool requests and updates', () => {
    expect(
      validateCreateGpuPoolRequest({
        cluster: 'c',
        name: 'gpu1',
        vmSize: 'Standard_NC24ads_A100_v4',
        nodelabels: {},
      } as any).map(i => [i.field, i.didYouMean]),
    ).toEqual([['nodelabels', 'nodeLabels']]);
    expect(
      validateUpdateGpuPoolRequest({ count: 1, maxcount: 2 } as any).map(
        i => i.didYouMean,
      ),
    ).toEqual(['maxCount']);
  });

  it('applies to chat completion requests', () => {
    const ok = { messages: [{ role: 'user', content: 'hi' }], max_tokens: 64 };
    expect(validateChatCompletionRequest(ok)).toEqual([]);
    expect(
      validateChatCompletionRequest({ ...ok, max_token: 64 }).map(
        i => i.didYouMean,
      ),
    ).toEqual(['max_tokens']);
    expect(
      validateChatCompletionRequest({ ...ok, temperature: 9 }).map(
        i => i.message,
      ),
    ).toEqual(['temperature: must be at most 2 [field.range]']);
    expect(
      validateChatCompletionRequest({
        messages: [{ role: 'robot', content: 'x' }],
      }).map(i => i.rule),
    ).toEqual(['field.enum']);
    expect(
      validateChatCompletionRequest({ messages: [] }).map(i => i.message),
    ).toEqual(['messages: must have at least 1 item [field.range]']);
    expect(
      validateChatCompletionRequest({ ...ok, stop: 5 }).map(i => i.message),
    ).toEqual([
      'stop: must be a string or a list of at most 4 strings [field.type]',
    ]);
  });

  it('applies to query strings', () => {
    expect(validateQuery('logs', { tailline: '5' })).toEqual([
      {
        field: 'tailline',
        rule: 'query.unknown',
        didYouMean: 'tailLines',
        message:
          'tailline: is not a query parameter of this route; did you mean tailLines? [query.unknown]',
      },
    ]);
    expect(validateQuery('logs', { follow: ['true', 'true'] })[0].message).toBe(
      'follow: must be given once, as a plain string [field.type]',
    );
    expect(validateQuery('none', { a: '1' })[0].message).toBe(
      'a: is not a query parameter of this route (it has none) [query.unknown]',
    );
  });

  it('knows the fields of every object in the schema', () => {
    expect(
      knownFieldsAt(createWorkspaceRequestSchema, ['inference', 'adapters', 0]),
    ).toContain('strength');
    expect(
      knownFieldsAt(createWorkspaceRequestSchema, ['tuning', 'input']),
    ).toEqual(['name', 'urls', 'image', 'imagePullSecrets', 'volume']);
  });
});

describe('closestName', () => {
  it.each([
    ['dryrun', 'dryRun'],
    ['DRYRUN', 'dryRun'],
    ['instancetype', 'instanceType'],
    ['namspace', 'namespace'],
    ['tuning', 'tuning'],
    ['zzz', undefined],
    ['x'.repeat(500), undefined],
  ])('%p -> %p', (name, expected) => {
    expect(
      closestName(name, [
        'dryRun',
        'instanceType',
        'namespace',
        'name',
        'tuning',
      ]),
    ).toBe(expected);
  });
});
