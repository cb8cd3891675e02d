import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { GetMetricDataCommand } from '@aws-sdk/client-cloudwatch';
import { GetParameterCommand } from '@aws-sdk/client-ssm';

import { BLUE, GREEN, metadata } from '../deploy/fixtures';
import { scratchDir } from '../scratch';
import { aws, resetAws, run, seedService } from './harness';
import { seedTraffic } from './support/traffic';

afterEach(resetAws);

const OFFLINE = (rps: number, ...more: string[]) => ['plan', 'demo', '--rps', String(rps), '--error-rate', '0.5', '--p95', '200', ...more];
const json = async (argv: string[]) => {
  const result = await run([...argv, '--json']);
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout.lines().at(-1)!);
};
/** services/demo.yaml with other steps, in a temporary file. */
function demoWith(steps: string): string {
  const text = readFileSync(join('services', 'demo.yaml'), 'utf8').replace(/steps:\n(\s+- .*\n)+/, `steps:\n${steps}`);
  const file = join(scratchDir('plan-'), 'demo.yaml');
  writeFileSync(file, text);
  return file;
}

describe('canary plan, offline', () => {
  it("says what each comparison of the service's own metrics can detect by the final shift, at 1 and 10 events per 100 requests", async () => {
    const file = demoWith(
      '    - { weight: 5, bakeMinutes: 5 }\n    - { weight: 25, bakeMinutes: 10 }\n    - { weight: 50, bakeMinutes: 15 }\n',
    );
    writeFileSync(
      file,
      `${readFileSync(file, 'utf8')}metrics:\n  - { name: orders, namespace: Shop, metricName: Orders, statistic: Sum, compare: { tolerancePercent: 5, worse: lower }, versionDimension: Rev }\n  - { name: memory, namespace: Shop, metricName: Memory, statistic: Maximum, max: 512 }\n`,
    );
    const lines = (await run(OFFLINE(50, '--config', file))).stdout.lines();
    expect(lines).toContain('metrics compared with the original: the smallest change caught with 90% probability by the final shift');
    const orders = lines.find((l) => l.startsWith('  orders (lower is worse, 5.0% tolerated): '))!;
    const [atOne, atTen] = [...orders.matchAll(/a fall of ([\d.]+)% at (\d+) events per 100 requests/g)].map((m) => [
      Number(m[1]),
      Number(m[2]),
    ]);
    expect([atOne[1], atTen[1]]).toEqual([1, 10]);
    // More events a minute, smaller falls caught; never below the tolerance.
    expect(atTen[0]).toBeLessThan(atOne[0]);
    expect(atTen[0]).toBeGreaterThan(5);
    expect(lines.some((l) => l.includes('memory'))).toBe(false);
    const figures = await json(OFFLINE(50, '--config', file));
    expect(figures.metrics).toEqual([expect.objectContaining({ name: 'orders', worse: 'lower', tolerance: 0.05 })]);
  });

  it('prints per stage the canary requests, what is caught and the +5 pp probability, with no AWS client at all', async () => {
    const result = await run(OFFLINE(10));
    expect(result.code).toBe(0);
    expect(result.awsOptions).toEqual([]);
    expect(aws.cloudwatch.calls()).toHaveLength(0);
    const lines = result.stdout.lines();
    expect(lines[0]).toBe('canary plan demo at 10 req/s (600 a minute), 0.50% errors, p95 200 ms');
    expect(lines[1]).toMatch(/offline figures/);
    expect(lines.find((l) => /^\s+1 at 5%\s+5 min\s+30\s+150 \(150\)/.test(l))).toBeDefined();
    expect(lines.find((l) => /^\s+2 at 25%\s+10 min\s+150\s+1,500 \(1,650\)/.test(l))).toBeDefined();
    expect(lines.find((l) => /^\s+3 at 50%\s+15 min\s+300\s+4,500 \(6,150\)\s+\+1\.0 pp\*/.test(l))).toBeDefined();
    expect(lines).toContain('  * the tolerance (maxErrorIncreasePp): the judge rolls back nothing smaller');
    expect(lines).toContainEqual(expect.stringMatching(/^\+5\.0 pp: ≥ 50% caught by data-minute \d+ \(at 5%\)/));
    expect(lines).toContainEqual(expect.stringMatching(/^minRequests 300: served by data-minute \d+, before the final shift$/));
    expect(lines.at(-1)).toMatch(/^advice: the 5% stage sees ~150 canary requests: a first step of \d+% would catch \+5 pp before 25%$/);
  });

  it('more traffic catches smaller increases at every stage; a 2 rps service at 5% cannot catch +1 pp before 25%', async () => {
    const levels = await Promise.all([2, 10, 50, 500].map((rps) => json(OFFLINE(rps))));
    for (let stage = 0; stage < 3; stage++) {
      const increases = levels.map((d) => d.stages[stage].errorIncrease);
      for (let i = 1; i < increases.length; i++) expect(increases[i]).toBeLessThan(increases[i - 1]);
    }
    expect(levels[0].stages[0].canaryRequests).toBeCloseTo(30);
    expect(levels[0].stages[0].errorIncrease).toBeGreaterThan(0.01);
    expect(levels[3].stages[0].errorIncrease).toBeLessThan(0.01);
  });

  it('the advised first step, run through plan again, catches +5 pp before 25%', async () => {
    const advice = (await json(OFFLINE(10))).advice as string;
    const weight = /a first step of (\d+)%/.exec(advice)![1];
    const advised = await json([
      ...OFFLINE(10),
      '--config',
      demoWith(
        `    - { weight: ${weight}, bakeMinutes: 5 }\n    - { weight: 25, bakeMinutes: 10 }\n    - { weight: 50, bakeMinutes: 15 }\n`,
      ),
    ]);
    expect(advised.stages[0].targetProbability).toBeGreaterThanOrEqual(0.9);
    expect(advised.advice).toBeUndefined();
  });

  it('without --p95 plans errors only', async () => {
    const result = await run(['plan', 'demo', '--rps', '50', '--error-rate', '1']);
    expect(result.code).toBe(0);
    expect(result.stdout.text).not.toMatch(/latency: E =/);
    expect(result.stdout.text).toMatch(/no p95/);
  });

  it.each<[string[], RegExp]>([
    [
      ['plan', 'demo', '--rps', 'ten', '--error-rate', '0.5'],
      /^usage error: option '--rps <n>' argument 'ten' is invalid\. --rps is "ten"; accepted: requests per second above 0, e\.g\. 10$/,
    ],
    [['plan', 'demo', '--rps', '0', '--error-rate', '0.5'], /--rps is "0"; accepted: requests per second above 0/],
    [
      ['plan', 'demo', '--rps', '10', '--error-rate', '150'],
      /--error-rate is "150"; accepted: a percentage from 0 to 100, e\.g\. 0\.5 for 0\.5%$/,
    ],
    [['plan', 'demo', '--rps', '10', '--error-rate', '0.5', '--p95', '-3'], /--p95 is "-3"; accepted: milliseconds above 0/],
    [['plan', 'demo', '--error-rate', '0.5'], /^usage error: --error-rate given without --rps; accepted: --rps and --error-rate together/],
    [['plan', 'demo', '--rps', '10'], /^usage error: --rps given without --error-rate; accepted:/],
    [
      ['plan', 'demo', '--rps', '10', '--error-rate', '0.5', '--config', '/nonexistent/web.yaml'],
      /^usage error: cannot read \/nonexistent\/web\.yaml .*give the service's YAML with --config$/,
    ],
    [['plan'], /missing required argument 'service'/],
  ])('exits 2 on %j with one line naming the option, the value and what is accepted, calling no AWS', async (argv, message) => {
    const result = await run(argv);
    expect(result.code).toBe(2);
    // One line: the reason (a parse error's ends with where the usage is).
    expect(result.stderr.lines()).toHaveLength(1);
    expect(result.stderr.lines().at(-1)).toMatch(message);
    expect(result.awsOptions).toEqual([]);
  });
});

describe('canary plan, from CloudWatch', () => {
  it('names the offline route when AWS cannot be reached (no credentials)', async () => {
    resetAws();
    aws.ssm
      .on(GetParameterCommand)
      .rejects(Object.assign(new Error('Could not load credentials from any providers'), { name: 'CredentialsProviderError' }));
    const result = await run(['plan', 'demo']);
    expect(result.code).toBe(3);
    expect(result.stderr.lines().at(-1)).toMatch(
      /^no AWS credentials \(ssm:GetParameter: Could not load credentials from any providers\); configure them .* or AWS_PROFILE; without AWS, plan offline: canary plan demo --rps <n> --error-rate <percent>$/,
    );
  });

  it('reads the last hour of both target groups with the engine queries and plans the deployed plan at it', async () => {
    seedService();
    seedTraffic({ rps: 10, errorRate: 0.005, p95Ms: 200 });
    const d = await json(['plan', 'web']);
    expect(d.traffic).toMatchObject({ source: 'cloudwatch', minutes: 58, p95Ms: 200, slowThresholdMs: 300, slowShare: 0.01 });
    // The fake delivers the newest minutes late: the complete ones are all there, at 600 a minute.
    expect(d.traffic.requestsPerMinute).toBeCloseTo(600, 0);
    expect(d.traffic.errorRate).toBeCloseTo(0.005, 6);
    // The same figures as offline at the same traffic (the latency share is measured here: 1%).
    const offline = await json([
      'plan',
      'web',
      '--rps',
      '10',
      '--error-rate',
      '0.5',
      '--p95',
      '200',
      '--config',
      join('services', 'demo.yaml'),
    ]);
    d.stages.forEach((s: { errorIncrease: number }, i: number) => expect(s.errorIncrease).toBeCloseTo(offline.stages[i].errorIncrease, 3));
    const calls = aws.cloudwatch.commandCalls(GetMetricDataCommand).map((c) => c.args[0].input);
    expect(calls).toHaveLength(2);
    const dims = new Set(
      calls.flatMap((i) => i.MetricDataQueries!.map((q) => q.MetricStat!.Metric!.Dimensions!.map((x) => x.Value).join(' '))),
    );
    expect(dims).toEqual(new Set([`${BLUE.fullName} app/web/abc`, `${GREEN.fullName} app/web/abc`]));
    expect(calls[1].MetricDataQueries!.map((q) => q.MetricStat!.Stat)).toContain('TC(0.3:)');
    expect(calls[0].EndTime!.getTime() - calls[0].StartTime!.getTime()).toBe(60 * 60_000);
  });

  it("says what each comparison can detect at the metric's rate measured over the last hour, read service-wide like the traffic", async () => {
    const compared = { namespace: 'Shop', dimensions: { Service: 'web' }, versionDimension: 'Rev', action: 'rollback' as const };
    seedService({
      metrics: [
        { ...compared, name: 'orders', metricName: 'Orders', statistic: 'Sum', compare: { tolerancePercent: 5, worse: 'lower' } },
        {
          ...compared,
          name: 'checkout-errors',
          ratio: { numerator: 'CheckoutErrors', denominator: 'Checkouts' },
          statistic: 'Sum',
          compare: { tolerancePercent: 20, worse: 'higher' },
        },
        { ...compared, name: 'memory', metricName: 'MemoryMB', statistic: 'Average', compare: { tolerancePercent: 20, worse: 'higher' } },
        { ...compared, name: 'refunds', metricName: 'Refunds', statistic: 'Sum', compare: { tolerancePercent: 10, worse: 'higher' } },
      ],
    });
    const fake = seedTraffic({ rps: 10, errorRate: 0.005, p95Ms: 200 });
    // Published service-wide (no revision): 60 orders, 120 checkouts with 2 errors and 60 memory samples a minute; no refunds.
    fake.customProvider = (namespace, name, dims, minute) => {
      if (namespace !== 'Shop' || dims.Service !== 'web' || Object.keys(dims).length !== 1) return undefined;
      if (name === 'Orders') return [60];
      if (name === 'Checkouts') return [120];
      if (name === 'CheckoutErrors') return [2];
      if (name === 'MemoryMB') return Array.from({ length: 60 }, (_, i) => 300 * (1 + 0.3 * Math.sin(i * 1.7 + minute / 60_000)));
      return undefined;
    };
    const lines = (await run(['plan', 'web'])).stdout.lines();
    const line = (name: string) => lines.find((l) => l.startsWith(`  ${name} (`))!;
    expect(line('orders')).toMatch(
      /^ {2}orders \(lower is worse, 5\.0% tolerated\): a fall of [\d.]+% at 10 events per 100 requests \(the last hour's rate, measured\)$/,
    );
    expect(line('checkout-errors')).toMatch(
      /a rise of [\d.]+% at 1\.67 per 100 of its 0\.2 trials a request \(the last hour's rate, measured\)$/,
    );
    expect(line('memory')).toMatch(
      /^ {2}memory \(higher is worse, 20% tolerated\): [\d.]+% of canary samples above 3\d\d(\.\d+)? caught \(a statistic within the tolerance leaves 50%\), at the last hour's 0\.1 samples a request, \d+(\.\d)?% of them above 3\d\d(\.\d+)? on the original \(measured\)$/,
    );
    expect(line('refunds')).toMatch(
      /a rise of [\d.]+% at 1 events per 100 requests, .* at 10 events per 100 requests \(assumed rates: no history of the metric in the last hour\)$/,
    );
    // The samples above E were asked for service-wide, E from the hour's Average.
    const stats = aws.cloudwatch
      .commandCalls(GetMetricDataCommand)
      .flatMap((c) => c.args[0].input.MetricDataQueries!.map((q) => q.MetricStat!.Stat));
    expect(stats).toEqual(expect.arrayContaining(['SampleCount', expect.stringMatching(/^TC\(3\d\d(\.\d+)?:\)$/)]));
  });

  it('uses the deployed plan and thresholds from SSM, not the YAML', async () => {
    seedService({ thresholds: { ...metadata().thresholds, minRequests: 5000 } });
    seedTraffic({ rps: 2, errorRate: 0.005, p95Ms: 200 });
    const result = await run(['plan', 'web']);
    expect(result.code).toBe(0);
    expect(result.stdout.text).toMatch(/minRequests 5000: NOT reached \(1,2\d\d canary requests by the final shift/);
    expect(result.stdout.lines().at(-1)).toMatch(
      /^advice: the rollout serves ~1,2\d\d canary requests before the final shift, short of minRequests 5000/,
    );
  });

  it('says so when no traffic reached the service in the last hour, without dividing by zero', async () => {
    seedService();
    seedTraffic({ rps: 0, errorRate: 0, p95Ms: 200 });
    const result = await run(['plan', 'web']);
    expect(result.code).toBe(0);
    expect(result.stdout.text).not.toMatch(/NaN|Infinity|undefined/);
    expect(result.stdout.lines().at(-1)).toBe(
      `no traffic reached web's target groups in the last hour: nothing can be detected and every rollout would fail "insufficient evidence" (minRequests 300); plan offline with --rps, --error-rate`,
    );
    // One read only: without requests there is no p95 to set E from.
    expect(aws.cloudwatch.commandCalls(GetMetricDataCommand)).toHaveLength(1);
    const d = await json(['plan', 'web']);
    expect(d.traffic).toMatchObject({ requestsPerMinute: 0, errorRate: 0, requests: 0 });
    expect(JSON.stringify(d)).not.toMatch(/null|NaN/);
  });

  it('exits 3 naming cloudwatch:GetMetricData when it may not read the metrics', async () => {
    seedService();
    aws.cloudwatch
      .on(GetMetricDataCommand)
      .rejects(
        Object.assign(
          new Error('User: arn:aws:sts::123456789012:assumed-role/ci/gh is not authorized to perform: cloudwatch:GetMetricData'),
          { name: 'AccessDenied' },
        ),
      );
    const result = await run(['plan', 'web']);
    expect(result.code).toBe(3);
    expect(result.stderr.lines().at(-1)).toMatch(/^AWS error AccessDenied \[missing action: cloudwatch:GetMetricData\]/);
  });

  it('exits 2 when the service is not deployed', async () => {
    aws.ssm.on(GetParameterCommand).rejects(Object.assign(new Error('not found'), { name: 'ParameterNotFound' }));
    const result = await run(['plan', 'web']);
    expect(result.code).toBe(2);
    expect(result.stderr.lines().at(-1)).toMatch(/^configuration error: no SSM parameter \/ecs-canary\/web\/deployment/);
  });
});
