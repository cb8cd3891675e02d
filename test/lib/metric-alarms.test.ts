/**
 * The service's own metrics in the stack: the example service file of docs/metrics.md (the three
 * rollback triggers of the original design and a KPI) synthesizes one alarm per bar on the
 * deployment group beside the six built-in ones, and its metrics, with the ECS service that tells
 * the versions, in the deployment metadata; `warn` metrics get no alarm; more bars than CodeDeploy
 * accepts fail with one line, never dropping an alarm.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';

import { Match, Template } from 'aws-cdk-lib/assertions';

import { parseServiceConfig } from '../../lib/config';
import { MAX_METRIC_ALARMS } from '../../lib/config/metrics-schema';
import { addEcsCanaryStacks } from '../../lib/ecs-canary-app';
import { testApp } from './fixtures';

const DOC = path.join(__dirname, '..', '..', 'docs', 'metrics.md');

/** The service file shown in docs/metrics.md (its only yaml block). */
function exampleFile(): string {
  const blocks = [...fs.readFileSync(DOC, 'utf8').matchAll(/```yaml\n([\s\S]*?)```/g)].map((m) => m[1]);
  expect(blocks).toHaveLength(1);
  return blocks[0];
}

function synthesize(yaml: string) {
  const parsed = parseServiceConfig(yaml, 'services/shop.yaml');
  if (!parsed.success) throw new Error(parsed.problems.map((p) => p.line).join('\n'));
  const { services } = addEcsCanaryStacks(testApp(), [parsed.config], { region: 'eu-west-1' });
  return { template: Template.fromStack(services[0]), service: services[0].canaryService };
}

describe('metrics: in the stack', () => {
  const { template, service } = synthesize(exampleFile());

  it('creates one alarm per bar of the docs example, watching the ratio as a percentage of the service-wide series', () => {
    const alarms = template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: Match.stringLikeRegexp('-metric-') } });
    expect(
      Object.values(alarms)
        .map((a) => [a.Properties.AlarmName, a.Properties.Threshold, a.Properties.ComparisonOperator])
        .sort(),
    ).toEqual([
      ['ecs-canary-shop-metric-critical-path-failures-max', 0.1, 'GreaterThanThreshold'],
      ['ecs-canary-shop-metric-db-connection-errors-max', 5, 'GreaterThanThreshold'],
      ['ecs-canary-shop-metric-session-errors-max', 0.5, 'GreaterThanThreshold'],
    ]);
    template.hasResourceProperties('AWS::CloudWatch::Alarm', {
      AlarmName: 'ecs-canary-shop-metric-session-errors-max',
      EvaluationPeriods: 4,
      DatapointsToAlarm: 3,
      TreatMissingData: 'notBreaching',
      Metrics: Match.arrayWith([
        Match.objectLike({ Expression: '100 * numerator / denominator' }),
        Match.objectLike({
          Id: 'numerator',
          MetricStat: Match.objectLike({
            Metric: { Namespace: 'Shop', MetricName: 'SessionErrors', Dimensions: [{ Name: 'service', Value: 'shop' }] },
            Stat: 'Sum',
            Period: 60,
          }),
        }),
      ]),
    });
  });

  it('attaches the three metric alarms to the deployment group beside the six built-in ones', () => {
    const group = Object.values(template.findResources('AWS::CodeDeploy::DeploymentGroup'))[0];
    const names = group.Properties.AlarmConfiguration.Alarms.map((a: { Name: unknown }) => JSON.stringify(a.Name));
    expect(names).toHaveLength(9);
    expect(service.rollbackAlarms).toHaveLength(9);
  });

  it('publishes the metrics and the ECS service in the deployment metadata', () => {
    const parameter = Object.values(
      template.findResources('AWS::SSM::Parameter', { Properties: { Name: '/ecs-canary/shop/deployment' } }),
    )[0];
    const json = JSON.stringify(parameter.Properties.Value);
    expect(json).toContain('\\"metrics\\":[{\\"name\\":\\"session-errors\\"');
    expect(json).toContain('\\"ecsService\\":{\\"cluster\\":');
  });

  it('grants ecs:DescribeServices on the service only, never on *', () => {
    const statements = Object.values(template.findResources('AWS::IAM::Policy')).flatMap(
      (p) => p.Properties.PolicyDocument.Statement as Array<{ Action: unknown; Resource: unknown }>,
    );
    const describe = statements.filter((s) => s.Action === 'ecs:DescribeServices');
    expect(describe.length).toBeGreaterThan(0);
    expect(describe.map((d) => d.Resource)).toEqual(describe.map(() => ({ Ref: expect.stringMatching(/^CanaryService/) })));
  });

  it('overlays canary and stable per metric on the dashboard, with its bars', () => {
    const dashboard = Object.values(template.findResources('AWS::CloudWatch::Dashboard'))[0];
    const body = JSON.stringify(dashboard.Properties.DashboardBody);
    for (const name of ['session-errors', 'critical-path-failures', 'db-connection-errors', 'orders']) {
      expect(body).toContain(`${name}`);
      expect(body).toMatch(new RegExp(`ServiceMetric\\\\",\\\\"Metric\\\\",\\\\"${name}`));
    }
    expect(body).toContain('orders per 100 requests: canary vs stable');
    expect(body).toContain('session-errors %: canary vs stable');
  });

  it('creates no alarm for a warn metric', () => {
    const yaml =
      'name: shop\nimage: public.ecr.aws/nginx/nginx:1.27\nmetrics:\n  - { name: memory, namespace: ECS/ContainerInsights, metricName: MemoryUtilized, statistic: Maximum, max: 512, action: warn }\n';
    const warn = synthesize(yaml);
    expect(
      Object.keys(warn.template.findResources('AWS::CloudWatch::Alarm', { Properties: { AlarmName: Match.stringLikeRegexp('-metric-') } })),
    ).toEqual([]);
  });

  it(`fails with one line naming the metrics when more than ${MAX_METRIC_ALARMS} bars would need alarms`, () => {
    const entries = Array.from(
      { length: MAX_METRIC_ALARMS + 1 },
      (_, i) => `  - { name: m${i}, namespace: Shop, metricName: M${i}, max: 1 }`,
    );
    const parsed = parseServiceConfig(
      `name: shop\nimage: public.ecr.aws/nginx/nginx:1.27\nmetrics:\n${entries.join('\n')}\n`,
      'services/shop.yaml',
    );
    expect(parsed.success ? [] : parsed.problems.map((p) => p.line)).toEqual([
      'services/shop.yaml: metrics: got 5 bars with action: rollback (m0, m1, m2, m3, m4); accepted: at most 4: each gets a rollback alarm on the deployment group, CodeDeploy accepts 10 and the service uses 6; make the others action: warn or compare-only',
    ]);
  });
});
