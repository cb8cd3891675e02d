/**
 * The start check's AppSpec reading at random: seeded Hooks sections built from the service's
 * functions, other functions, ARNs of other accounts and events named twice, and seeded byte edits
 * of a valid AppSpec in YAML and JSON. A deployment goes on only when each of the three hooks is
 * named once, by this service's function; anything else — an unreadable document included — is
 * stopped, and the check never throws.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';

import { startCheckDecision, type StartCheckInput } from '../../lambdas/core/start-check';

const SEED = Number(process.env.FUZZ_SEED ?? 3707);
const HOOKS = {
  AfterAllowTestTraffic: 'CodeDeployHook_web-AfterAllowTestTraffic',
  BeforeAllowTraffic: 'CodeDeployHook_web-BeforeAllowTraffic',
  AfterAllowTraffic: 'CodeDeployHook_web-AfterAllowTraffic',
} as const;
type Hook = keyof typeof HOOKS;
const GATED = Object.keys(HOOKS) as Hook[];

function decide(content: string) {
  const input: StartCheckInput = {
    deploymentId: 'd-1',
    service: 'web',
    applicationName: 'web-app',
    deploymentGroupName: 'web-dg',
    expectedHooks: HOOKS,
    serviceScope: { partition: 'aws', region: 'eu-west-1', account: '123456789012' },
    deployment: { status: 'InProgress', applicationName: 'web-app', deploymentGroupName: 'web-dg', creator: 'user' },
    appSpec: { content },
    freeze: { frozen: false },
    alreadyRecorded: false,
  };
  return startCheckDecision(input);
}

const document = (hooks: Array<Record<string, string>>) => ({
  version: 0.0,
  Resources: [{ TargetService: { Type: 'AWS::ECS::Service', Properties: { TaskDefinition: '<TASK_DEFINITION>' } } }],
  Hooks: hooks,
});

describe('the start check reads any AppSpec safely', () => {
  it('a Hooks section of random entries: the deployment goes on only with each gated hook named once, by this service', () => {
    const event = fc.constantFrom<string>(...GATED, 'BeforeInstall', 'AfterInstall');
    const target = (e: string) =>
      fc.constantFrom(
        HOOKS[e as Hook] ?? 'CodeDeployHook_web-BeforeInstall',
        `arn:aws:lambda:eu-west-1:123456789012:function:${HOOKS[e as Hook] ?? 'x'}:live`,
        `arn:aws:lambda:eu-west-1:999999999999:function:${HOOKS[e as Hook] ?? 'x'}`,
        'approve-everything',
        HOOKS.AfterAllowTraffic,
      );
    const entry = event.chain((e) => target(e).map((t) => ({ [e]: t })));
    fc.assert(
      fc.property(fc.array(entry, { maxLength: 7 }), fc.boolean(), (entries, asYaml) => {
        const content = asYaml ? stringify(document(entries)) : JSON.stringify(document(entries));
        const decision = decide(content);
        const ours = (e: Hook, t: string) => t === HOOKS[e] || t === `arn:aws:lambda:eu-west-1:123456789012:function:${HOOKS[e]}:live`;
        const gated = GATED.every((e) => {
          const named = entries.filter((x) => e in x);
          return named.length === 1 && ours(e, named[0]![e]!);
        });
        expect({ entries, verdict: decision.verdict }).toEqual({ entries, verdict: gated ? 'allow' : 'stop' });
      }),
      { seed: SEED, numRuns: 80 },
    );
  });

  it('a hook named twice is stopped whichever entry is the service’s: which one CodeDeploy runs is not documented', () => {
    for (const order of [
      [{ BeforeAllowTraffic: 'approve-everything' }, { BeforeAllowTraffic: HOOKS.BeforeAllowTraffic }],
      [{ BeforeAllowTraffic: HOOKS.BeforeAllowTraffic }, { BeforeAllowTraffic: HOOKS.BeforeAllowTraffic }],
    ]) {
      const hooks: Array<Record<string, string>> = [
        { AfterAllowTestTraffic: HOOKS.AfterAllowTestTraffic },
        ...order,
        { AfterAllowTraffic: HOOKS.AfterAllowTraffic },
      ];
      const decision = decide(stringify(document(hooks)));
      expect(decision.verdict).toBe('stop');
      expect(decision.reason).toMatch(/names BeforeAllowTraffic twice/);
    }
  });

  it.each([
    ['YAML', stringify(document(GATED.map((e) => ({ [e]: HOOKS[e] }))))],
    ['JSON', JSON.stringify(document(GATED.map((e) => ({ [e]: HOOKS[e] }))), null, 2)],
  ])(
    'any bytes of a valid %s AppSpec changed: never a throw, and a deployment goes on only if the text still names the three functions',
    (_format, valid) => {
      expect(decide(valid).verdict).toBe('allow');
      const edit = fc.record({
        at: fc.nat({ max: valid.length }),
        remove: fc.nat({ max: 6 }),
        insert: fc.oneof(fc.string({ maxLength: 5 }), fc.constantFrom('- ', ': ', '{', ']', '&a ', '*a', '!!', '\t', 'Hooks: []\n', '"')),
      });
      fc.assert(
        fc.property(fc.array(edit, { minLength: 1, maxLength: 3 }), (edits) => {
          let content = valid;
          for (const e of edits) content = content.slice(0, e.at) + e.insert + content.slice(e.at + e.remove);
          const decision = decide(content);
          expect(['allow', 'stop']).toContain(decision.verdict);
          if (decision.verdict === 'allow') for (const name of Object.values(HOOKS)) expect(content).toContain(name);
        }),
        { seed: SEED, numRuns: 80 },
      );
    },
  );
});
