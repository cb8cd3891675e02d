/**
 * The service dashboard, by role: its body checked against the structure CloudWatch accepts and
 * against what on-call must see (canary and stable overlaid, alarms, the engine's decisions).
 */
import { App, Stack } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { z } from 'zod';

import { PlatformStack } from '../../lib/platform-stack';
import { RolloutEngineBinding } from '../../lib/rollout-engine-binding';
import { ServiceStack } from '../../lib/service-stack';
import { serviceConfig, synthesizeService } from './fixtures';

/**
 * CloudWatch "Dashboard Body Structure and Syntax" (CloudWatch API Reference,
 * docs.aws.amazon.com/AmazonCloudWatch/latest/APIReference/CloudWatch-Dashboard-Body-Structure.html):
 * a `widgets` array of 0–500 widgets; each widget has a `type` (metric, text, log, alarm, explorer,
 * custom), `x` 0–23 and `y` ≥ 0 on the 24-column grid, `width` 1–24, `height` 1–1000, and
 * `properties`. Metric widgets need `metrics` (each an array: namespace, name, dimension
 * name/value pairs, optional rendering object) and `region`; `view` is timeSeries, singleValue,
 * gauge, bar or pie. Log widgets need `query` and `region`; `view` is table, timeSeries, bar or pie.
 * Alarm status widgets need `alarms` (ARNs); text widgets `markdown`.
 */
const grid = {
  x: z.number().int().min(0).max(23),
  y: z.number().int().min(0),
  width: z.number().int().min(1).max(24),
  height: z.number().int().min(1).max(1000),
};
const metricLine = z.array(z.union([z.string(), z.record(z.string(), z.unknown())])).min(2);
const widgetSchema = z
  .discriminatedUnion('type', [
    z.object({
      type: z.literal('metric'),
      ...grid,
      properties: z.object({
        metrics: z.array(metricLine).min(1),
        region: z.string().min(1),
        view: z.enum(['timeSeries', 'singleValue', 'gauge', 'bar', 'pie']).optional(),
        title: z.string().optional(),
      }),
    }),
    z.object({
      type: z.literal('log'),
      ...grid,
      properties: z.object({
        query: z.string().min(1),
        region: z.string().min(1),
        view: z.enum(['table', 'timeSeries', 'bar', 'pie']).optional(),
        title: z.string().optional(),
      }),
    }),
    z.object({
      type: z.literal('alarm'),
      ...grid,
      properties: z.object({ alarms: z.array(z.string().min(1)).min(1), title: z.string().optional() }),
    }),
    z.object({ type: z.literal('text'), ...grid, properties: z.object({ markdown: z.string().min(1) }) }),
  ])
  .refine((w) => w.x + w.width <= 24, { message: 'a widget must fit the 24-column grid (x + width <= 24)' });
const bodySchema = z.object({
  widgets: z.array(widgetSchema).max(500),
  start: z.string().optional(),
  periodOverride: z.enum(['auto', 'inherit']).optional(),
});

function flatten(value: unknown): string {
  if (typeof value === 'string') return value;
  const v = value as Record<string, any>;
  if (v['Fn::Join']) return (v['Fn::Join'][1] as unknown[]).map(flatten).join(v['Fn::Join'][0]);
  if (v.Ref) return `<${v.Ref}>`;
  if (v['Fn::GetAtt']) return `<${v['Fn::GetAtt'].join('.')}>`;
  throw new Error(`cannot flatten ${JSON.stringify(value)}`);
}

const bodyOf = (template: Template) => {
  const [dashboard] = Object.values(template.findResources('AWS::CloudWatch::Dashboard'));
  return JSON.parse(flatten(dashboard.Properties.DashboardBody));
};

type Widget = z.infer<typeof widgetSchema>;
const titleOf = (w: Widget): string | undefined => ('title' in w.properties ? w.properties.title : undefined);
let withEngine: { template: Template; tickLogGroup: string };
let withoutEngine: Template;
beforeAll(() => {
  const app = new App({ builtinCloudFormationValidation: false, context: { 'aws:cdk:bundling-stacks': [] } });
  const env = { region: 'eu-west-1' };
  const platform = new PlatformStack(app, 'Platform', { env });
  const binding = new RolloutEngineBinding();
  const stack = new ServiceStack(app, 'Service', {
    env,
    config: serviceConfig(),
    vpc: platform.vpc,
    cluster: platform.cluster,
    engine: binding,
  });
  const bare = new ServiceStack(app, 'Bare', {
    env,
    config: serviceConfig({ name: 'bare' }),
    vpc: platform.vpc,
    cluster: platform.cluster,
  });
  const tickLogGroup = Stack.of(stack).resolve(binding.engine!.tickFunction.logGroup.logGroupName) as { Ref: string };
  withEngine = { template: Template.fromStack(stack), tickLogGroup: `<${tickLogGroup.Ref}>` };
  withoutEngine = Template.fromStack(bare);
});

describe('CanaryDashboard', () => {
  it.each([
    ['without an engine', () => bodyOf(withoutEngine)],
    [
      'of the shipped app',
      () => bodyOf(synthesizeService({ notifications: { slack: { workspaceId: 'T0123ABCD', channelId: 'C0123ABCD' } } }).template),
    ],
    ['with the engine attached', () => bodyOf(withEngine.template)],
  ])('has a body of the structure CloudWatch accepts, every widget checked (%s)', (_name, body) => {
    const parsed = bodySchema.safeParse(body());
    expect(parsed.error?.issues ?? []).toEqual([]);
    expect(body().widgets.length).toBeGreaterThanOrEqual(7);
  });

  const widgets = (): Widget[] => bodySchema.parse(bodyOf(withEngine.template)).widgets;
  const roleLines = (w: Widget) =>
    (w.type === 'metric' ? w.properties.metrics : []).map((line) => [
      line[0],
      line[1],
      ...line.slice(2).filter((p) => typeof p === 'string'),
    ]);

  it.each([
    ['Requests', 'Requests / min'],
    ['ErrorRate', 'Error rate %'],
    ['LatencyP95', 'p95 response time'],
    ['Weight', 'Production weight %'],
  ])('overlays canary and stable %s on one graph, by role whatever the colour', (metricName, title) => {
    const graph = widgets().find((w) => titleOf(w)?.startsWith(title));
    expect(graph?.type).toBe('metric');
    expect(roleLines(graph!)).toEqual([
      ['EcsCanary', metricName, 'Role', 'canary', 'Service', 'orders'],
      ['EcsCanary', metricName, 'Role', 'stable', 'Service', 'orders'],
    ]);
  });

  it('draws the absolute bars on the error rate and p95 graphs', () => {
    const raw = bodyOf(withEngine.template).widgets as Array<{
      properties: { title?: string; annotations?: { horizontal: Array<{ value: number }> } };
    }>;
    const annotation = (title: string) =>
      raw.find((w) => w.properties.title?.startsWith(title))!.properties.annotations!.horizontal[0].value;
    expect(annotation('Error rate %')).toBe(1);
    expect(annotation('p95 response time')).toBe(1000);
  });

  it('shows every rollback alarm', () => {
    const alarms = widgets().find((w) => w.type === 'alarm');
    expect(alarms?.type === 'alarm' && alarms.properties.alarms).toHaveLength(6);
  });

  it("lists this service's decisions (time, stage, verdict, reason) from the tick's log group", () => {
    const log = widgets().find((w) => w.type === 'log');
    expect(log?.type).toBe('log');
    const query = log!.type === 'log' ? log!.properties.query : '';
    expect(query).toContain(`SOURCE '${withEngine.tickLogGroup}'`);
    expect(query).toMatch(/fields @timestamp, stage, verdict, reason/);
    expect(query).toContain('filter message = "decision"');
    expect(log!.properties).toMatchObject({ view: 'table' });
  });

  it('has no decisions widget without an engine, and no per-colour graph but target health', () => {
    const body = bodySchema.parse(bodyOf(withoutEngine));
    expect(body.widgets.filter((w) => w.type === 'log')).toEqual([]);
    const byColour = body.widgets.filter((w) => w.type === 'metric' && roleLines(w).some((line) => line[0] === 'AWS/ApplicationELB'));
    expect(byColour.map(titleOf)).toEqual(['Targets by target group (blue / green)']);
  });
});
