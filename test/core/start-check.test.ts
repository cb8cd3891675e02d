import { appSpecHooks, arnScope, isServiceFunction, startCheckDecision, type StartCheckInput } from '../../lambdas/core/start-check';

const HOOKS = {
  AfterAllowTestTraffic: 'CodeDeployHook_web-AfterAllowTestTraffic',
  BeforeAllowTraffic: 'CodeDeployHook_web-BeforeAllowTraffic',
  AfterAllowTraffic: 'CodeDeployHook_web-AfterAllowTraffic',
};
const appSpec = (hooks: Record<string, string> | undefined) =>
  JSON.stringify({
    version: 0.0,
    Resources: [
      {
        TargetService: {
          Type: 'AWS::ECS::Service',
          Properties: {
            TaskDefinition: 'arn:aws:ecs:eu-west-1:123456789012:task-definition/web:7',
            LoadBalancerInfo: { ContainerName: 'app', ContainerPort: 8080 },
          },
        },
      },
    ],
    ...(hooks ? { Hooks: Object.entries(hooks).map(([k, v]) => ({ [k]: v })) } : {}),
  });

/** Where the service lives (its production listener's ARN). */
const SCOPE = { partition: 'aws', region: 'eu-west-1', account: '123456789012' };
/** The three hooks as ARNs built by `arn` from each function name. */
const hooksAs = (arn: (name: string) => string) => Object.fromEntries(Object.entries(HOOKS).map(([k, v]) => [k, arn(v)]));

/** The service's three hooks as a YAML AppSpec's Hooks section. */
const hooksYaml = () =>
  `version: 0.0\nHooks:\n${Object.entries(HOOKS)
    .map(([k, v]) => `  - ${k}: ${v}\n`)
    .join('')}`;

function input(overrides: Partial<StartCheckInput> = {}): StartCheckInput {
  return {
    deploymentId: 'd-1',
    service: 'web',
    applicationName: 'web-app',
    deploymentGroupName: 'web-dg',
    expectedHooks: HOOKS,
    serviceScope: SCOPE,
    deployment: {
      status: 'InProgress',
      applicationName: 'web-app',
      deploymentGroupName: 'web-dg',
      creator: 'user',
      revision: { type: 'AppSpecContent', sha256: 'ab' },
    },
    appSpec: { content: appSpec(HOOKS) },
    freeze: { frozen: false },
    alreadyRecorded: false,
    ...overrides,
  };
}

describe('startCheckDecision', () => {
  it.each<[string, Partial<StartCheckInput>, 'allow' | 'ignore' | 'stop', RegExp]>([
    ['the three hooks by name', {}, 'allow', /names the service's hooks/],
    [
      'the three hooks by ARN',
      {
        appSpec: {
          content: appSpec(
            Object.fromEntries(Object.entries(HOOKS).map(([k, v]) => [k, `arn:aws:lambda:eu-west-1:123456789012:function:${v}`])),
          ),
        },
      },
      'allow',
      /names the service's hooks/,
    ],
    [
      "another account's functions of the same names (by ARN)",
      { appSpec: { content: appSpec(hooksAs((v) => `arn:aws:lambda:eu-west-1:999999999999:function:${v}`)) } },
      'stop',
      /AfterAllowTestTraffic names arn:aws:lambda:eu-west-1:999999999999:function:CodeDeployHook_web-AfterAllowTestTraffic, not this service's/,
    ],
    [
      "another region's functions of the same names (by ARN)",
      { appSpec: { content: appSpec(hooksAs((v) => `arn:aws:lambda:us-east-1:123456789012:function:${v}`)) } },
      'stop',
      /names arn:aws:lambda:us-east-1:123456789012:function:CodeDeployHook_web-AfterAllowTestTraffic, not/,
    ],
    [
      "another partition's functions of the same names (by ARN)",
      { appSpec: { content: appSpec(hooksAs((v) => `arn:aws-cn:lambda:eu-west-1:123456789012:function:${v}`)) } },
      'stop',
      /names arn:aws-cn:lambda:eu-west-1:123456789012:function:CodeDeployHook_web-AfterAllowTestTraffic, not/,
    ],
    [
      'the three hooks by ARN with a version or alias',
      { appSpec: { content: appSpec(hooksAs((v) => `arn:aws:lambda:eu-west-1:123456789012:function:${v}:live`)) } },
      'allow',
      /names the service's hooks/,
    ],
    [
      "the three hooks by ARN when the service's account and region are unknown",
      {
        serviceScope: undefined,
        appSpec: { content: appSpec(hooksAs((v) => `arn:aws:lambda:eu-west-1:123456789012:function:${v}`)) },
      },
      'stop',
      /names arn:aws:lambda:eu-west-1:123456789012:function:CodeDeployHook_web-AfterAllowTestTraffic, not/,
    ],
    [
      'extra BeforeInstall hook besides the three',
      { appSpec: { content: appSpec({ BeforeInstall: 'migrate', ...HOOKS }) } },
      'allow',
      /names the service's hooks/,
    ],
    [
      'no Hooks section',
      { appSpec: { content: appSpec(undefined) } },
      'stop',
      /names no hooks: CodeDeploy would shift 100% of production at once/,
    ],
    ['an empty Hooks list', { appSpec: { content: appSpec({}) } }, 'stop', /names no hooks/],
    [
      'foreign hooks',
      { appSpec: { content: appSpec({ AfterAllowTestTraffic: 'smoke', BeforeAllowTraffic: 'wait', AfterAllowTraffic: 'notify' }) } },
      'stop',
      /AfterAllowTestTraffic names smoke, not this service's CodeDeployHook_web-AfterAllowTestTraffic/,
    ],
    [
      'one hook missing',
      { appSpec: { content: appSpec({ AfterAllowTestTraffic: HOOKS.AfterAllowTestTraffic, AfterAllowTraffic: HOOKS.AfterAllowTraffic }) } },
      'stop',
      /lacks BeforeAllowTraffic \(expected CodeDeployHook_web-BeforeAllowTraffic\)/,
    ],
    [
      "another service's functions",
      { appSpec: { content: appSpec(Object.fromEntries(Object.entries(HOOKS).map(([k, v]) => [k, v.replace('web', 'api')]))) } },
      'stop',
      /names CodeDeployHook_api-AfterAllowTestTraffic/,
    ],
    ['content that is not YAML', { appSpec: { content: 'Hooks: [unclosed' } }, 'stop', /could not be read \(neither JSON nor YAML/],
    // Malformed AppSpecs a pipeline could send: each one stops (a later, ungated shift is never let through).
    ['empty content', { appSpec: { content: '' } }, 'stop', /could not be read \(not a map of AppSpec sections\)/],
    [
      'a Hooks key given twice',
      { appSpec: { content: `${hooksYaml()}Hooks: []\n` } },
      'stop',
      /could not be read \(neither JSON nor YAML: /,
    ],
    ['hooks in lower case', { appSpec: { content: hooksYaml().replace('Hooks:', 'hooks:') } }, 'stop', /names no hooks/],
    [
      'a hook name with a leading space',
      { appSpec: { content: hooksYaml().replace('- AfterAllowTestTraffic', '- " AfterAllowTestTraffic"') } },
      'stop',
      /lacks AfterAllowTestTraffic/,
    ],
    [
      'a hook entry that is a string',
      { appSpec: { content: 'Hooks:\n  - AfterAllowTestTraffic\n' } },
      'stop',
      /a Hooks entry is not a \{ <LifecycleEvent>: <function> \} map/,
    ],
    [
      'an alias bomb',
      {
        appSpec: {
          content: `a: &a [x, x, x, x, x, x, x, x, x, x]\nb: &b [${Array(10).fill('*a').join(', ')}]\nc: &c [${Array(10).fill('*b').join(', ')}]\nd: [${Array(10).fill('*c').join(', ')}]\n${hooksYaml()}`,
        },
      },
      'stop',
      /could not be read \(neither JSON nor YAML: /,
    ],
    [
      'an AppSpec that could not be read',
      { appSpec: { unreadable: 'a S3 revision' } },
      'stop',
      /could not be read \(a S3 revision\); stopped to be safe/,
    ],
    ['metadata without hooks', { expectedHooks: undefined }, 'stop', /metadata names no hook functions/],
    [
      'deployment metadata the check could not use',
      { metadataProblem: 'DeployConfigError: /ecs-canary/web/deployment is not JSON' },
      'stop',
      /the deployment metadata is unusable \(DeployConfigError: \/ecs-canary\/web\/deployment is not JSON\): its hooks cannot be checked/,
    ],
    [
      'a rollback deployment while the deployment metadata is unusable',
      {
        metadataProblem: 'AwsCallError: access denied',
        deployment: { status: 'InProgress', creator: 'codeDeployRollback', rollbackTriggeringDeploymentId: 'd-0' },
      },
      'ignore',
      /a rollback deployment .* is never stopped/,
    ],
    [
      'a frozen service',
      { freeze: { frozen: true, reason: 'incident 7', by: 'alice', callerArn: 'arn:aws:sts::1:assumed-role/ops/alice' } },
      'stop',
      /web is frozen by alice \(arn:aws:sts::1:assumed-role\/ops\/alice\): incident 7/,
    ],
    ['an unreadable freeze switch with the right hooks', { freeze: { unreadable: 'AccessDenied' } }, 'allow', /names the service's hooks/],
    [
      'a rollback deployment without hooks',
      {
        appSpec: { content: appSpec(undefined) },
        deployment: { status: 'InProgress', creator: 'codeDeployRollback', rollbackTriggeringDeploymentId: 'd-0' },
      },
      'ignore',
      /rollback deployment \(of d-0\)/,
    ],
    [
      'a deployment that has ended',
      { appSpec: { content: appSpec(undefined) }, deployment: { status: 'Stopped', creator: 'user' } },
      'ignore',
      /is Stopped already/,
    ],
    [
      "another group's deployment",
      {
        appSpec: { content: appSpec(undefined) },
        deployment: { status: 'InProgress', applicationName: 'api-app', deploymentGroupName: 'api-dg' },
      },
      'ignore',
      /api-app\/api-dg, not of this service's group/,
    ],
  ])('%s → %s', (_name, overrides, verdict, reason) => {
    const decision = startCheckDecision(input(overrides));
    expect(decision.verdict).toBe(verdict);
    expect(decision.reason).toMatch(reason);
  });

  it('records first with the creator, the revision and both hook lists, then announces it as critical', () => {
    const decision = startCheckDecision(
      input({
        appSpec: { content: appSpec({}) },
        deployment: {
          status: 'InProgress',
          creator: 'user',
          description: 'pipeline run 42',
          revision: { type: 'AppSpecContent', sha256: 'ab' },
        },
      }),
    );
    if (decision.verdict !== 'stop') throw new Error('expected a stop');
    expect(decision.record).toEqual({
      kind: 'audit',
      draft: expect.objectContaining({
        kind: 'event',
        deploymentId: 'd-1',
        verdict: 'abort',
        actor: 'start-check',
        figures: expect.objectContaining({
          creator: 'user',
          description: 'pipeline run 42',
          revision: { type: 'AppSpecContent', sha256: 'ab' },
          appSpecHooks: {},
          expectedHooks: HOOKS,
          identity: expect.stringMatching(/CloudTrail/),
        }),
      }),
    });
    expect(decision.notify).toMatchObject({
      kind: 'notify',
      severity: 'critical',
      subject: expect.stringMatching(/stopped at its start .*by user/),
      message: expect.stringMatching(/canary appspec web/),
    });
  });

  it('stops without a second record when a duplicate delivery already recorded it', () => {
    const decision = startCheckDecision(input({ appSpec: { content: appSpec({}) }, alreadyRecorded: true }));
    expect(decision).toMatchObject({ verdict: 'stop' });
    expect(decision).not.toHaveProperty('record');
  });
});

describe('appSpecHooks', () => {
  it('reads the hooks of a YAML AppSpec', () => {
    expect(appSpecHooks('version: 0.0\nHooks:\n  - AfterAllowTestTraffic: "a"\n  - BeforeAllowTraffic: b\n')).toEqual({
      AfterAllowTestTraffic: 'a',
      BeforeAllowTraffic: 'b',
    });
  });

  it.each([
    ['a list', '[1, 2]', /not a map/],
    ['Hooks as a map', 'Hooks: { a: b }', /not a list/],
  ])('fails on %s', (_name, content, message) => {
    expect(() => appSpecHooks(content)).toThrow(message);
  });
});

describe('startCheckDecision in the ready wait', () => {
  const ready = (overrides: Partial<StartCheckInput> = {}) =>
    input({
      deployment: { status: 'Ready', applicationName: 'web-app', deploymentGroupName: 'web-dg', creator: 'user' },
      replacement: { healthy: 2 },
      ...overrides,
    });

  it('continues a gated deployment with a healthy replacement, recording it first', () => {
    const decision = startCheckDecision(ready());
    expect(decision).toMatchObject({
      verdict: 'continue',
      reason: expect.stringMatching(/continued past the ready wait: .* 2 healthy targets/),
    });
    expect(decision.verdict === 'continue' && decision.record).toMatchObject({
      kind: 'audit',
      draft: { verdict: 'start', actor: 'start-check', action: expect.stringMatching(/^ContinueDeployment \(READY_WAIT\)/) },
    });
  });

  it('continues without a second record when an earlier check recorded it', () => {
    const decision = startCheckDecision(ready({ alreadyContinued: true }));
    expect(decision.verdict).toBe('continue');
    expect('record' in decision && decision.record).toBeFalsy();
  });

  it.each<[string, Partial<StartCheckInput>, RegExp]>([
    ['no hooks', { appSpec: { content: appSpec(undefined) } }, /in its ready wait: the AppSpec names no hooks/],
    ['a frozen service', { freeze: { frozen: true, reason: 'incident 7' } }, /web is frozen: incident 7/],
    ['a replacement without a healthy target', { replacement: { healthy: 0 } }, /no healthy target: production is not rerouted to it/],
    ['an unreadable AppSpec', { appSpec: { unreadable: 'throttled (5 attempts)' } }, /could not be read \(throttled \(5 attempts\)\)/],
  ])('stops %s in Ready, never continues it', (_name, overrides, reason) => {
    const decision = startCheckDecision(ready(overrides));
    expect(decision.verdict).toBe('stop');
    expect(decision.reason).toMatch(reason);
  });

  it("waits (continues nothing) while the replacement's health is unknown", () => {
    for (const replacement of [undefined, { unreadable: 'Rate exceeded' }]) {
      const decision = startCheckDecision(ready({ replacement }));
      expect(decision).toMatchObject({ verdict: 'allow', reason: expect.stringMatching(/health is unknown .*waits for the next check/) });
    }
  });

  it('continues a rollback deployment waiting in Ready (it restores the original)', () => {
    const decision = startCheckDecision(
      ready({
        appSpec: { content: appSpec(undefined) },
        replacement: undefined,
        deployment: { status: 'Ready', creator: 'codeDeployRollback', rollbackTriggeringDeploymentId: 'd-0' },
      }),
    );
    expect(decision).toMatchObject({ verdict: 'continue', reason: expect.stringMatching(/rollback deployment \(of d-0\)/) });
  });
});

describe('isServiceFunction', () => {
  const name = 'CodeDeployHook_web-BeforeAllowTraffic';
  const arn = `arn:aws:lambda:eu-west-1:123456789012:function:${name}`;
  it.each<[string, string, string, boolean]>([
    ['its name', name, name, true],
    ['its ARN', arn, name, true],
    ['its ARN with $LATEST', `${arn}:$LATEST`, name, true],
    ['its ARN against an expected ARN', arn, arn, true],
    ["an ARN in the expected ARN's other account", arn.replace('123456789012', '210987654321'), arn, false],
    ['another name', 'CodeDeployHook_web-AfterAllowTraffic', name, false],
    ['its name with a qualifier (not a form the engine writes)', `${name}:live`, name, false],
    ['an ARN with a path after the name', `${arn}:live:extra`, name, false],
    ['an ARN of another service', `arn:aws:states:eu-west-1:123456789012:function:${name}`, name, false],
    ['a partial ARN', `123456789012:function:${name}`, name, false],
  ])('%s: %s', (_what, target, expected, accepted) => {
    expect(isServiceFunction(target, expected, SCOPE)).toBe(accepted);
  });
});

describe('arnScope', () => {
  it.each([
    ['arn:aws:elasticloadbalancing:eu-west-1:123456789012:listener/app/web/1/2', SCOPE],
    [
      'arn:aws-us-gov:elasticloadbalancing:us-gov-west-1:123456789012:listener/app/web/1/2',
      { partition: 'aws-us-gov', region: 'us-gov-west-1', account: '123456789012' },
    ],
    ['arn:aws:elasticloadbalancing:eu-west-1:1:listener/app/web/1/2', undefined],
    ['not an arn', undefined],
  ])('%s', (arn, scope) => {
    expect(arnScope(arn)).toEqual(scope);
  });
});
