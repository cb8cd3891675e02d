/**
 * HTTP through the fake load balancers, for smoke checks (`lambdas/aws/http.ts` HttpGet shape):
 * `http://<lb dns>:<listener port>/<path>` is routed by the listener's rules and default action
 * to a target group and answered by one of its task sets. ALB User Guide, "HTTP error codes":
 * 503 when the target group has no registered targets, 502 when the target fails (here: an
 * unhealthy or starting task set); otherwise the test's responder decides (default 200).
 */
import type { TaskSet } from './ecs';
import type { FakeEcs } from './ecs';
import type { FakeElbv2 } from './elbv2';
import { forwardWeights } from './elbv2-actions';

export interface HttpRequest {
  readonly path: string;
  readonly headers: Readonly<Record<string, string>>;
  readonly taskSet: TaskSet;
  /** Image of the task set's container(s), from its task definition. */
  readonly image: string | undefined;
}

export interface HttpResult {
  readonly status?: number;
  readonly error?: string;
}

/**
 * ALB http-header condition values — ELB API Reference, HttpHeaderConditionConfig: "The comparison
 * strings are case insensitive. The following wildcard characters are supported: * (matches 0 or
 * more characters) and ? (matches exactly 1 character)"; several values match if any one does.
 */
export function headerValueMatches(pattern: string, value: string): boolean {
  const source = [...pattern].map((ch) => (ch === '*' ? '.*' : ch === '?' ? '.' : ch.replace(/[\\^$.|+()[\]{}]/g, '\\$&'))).join('');
  return new RegExp(`^${source}$`, 'is').test(value);
}

export class FakeHttp {
  /** Status a healthy task answers with. @default () => 200 */
  responder: (request: HttpRequest) => number = () => 200;
  readonly requests: Array<{ url: string; status?: number; error?: string }> = [];
  private counter = 0;

  constructor(
    private readonly elbv2: FakeElbv2,
    private readonly ecs: FakeEcs,
  ) {}

  /** GET `url` (optionally with headers, which header rules match). Never throws: errors come back as `{ error }`. */
  get = async (url: string, _timeoutMs?: number, headers: Record<string, string> = {}): Promise<HttpResult> => {
    const result = this.route(url, headers);
    this.requests.push({ url, ...result });
    return result;
  };

  private route(url: string, headers: Record<string, string>): HttpResult {
    let parsed: URL;
    try {
      parsed = new URL(url);
    } catch {
      return { error: `TypeError: Invalid URL: ${url}` };
    }
    const lb = [...this.elbv2.loadBalancers.values()].find((l) => l.dnsName === parsed.hostname);
    const port = Number(parsed.port || (parsed.protocol === 'https:' ? 443 : 80));
    const listener = lb && [...this.elbv2.listeners.values()].find((l) => l.loadBalancerArn === lb.arn && l.port === port);
    if (!listener) return { error: `TypeError: fetch failed (connect ECONNREFUSED ${parsed.host})` };
    const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
    const rule = [...listener.rules]
      .sort((a, b) => a.priority - b.priority)
      .find((r) =>
        r.conditions.every((c) => {
          const value = lower[(c.HttpHeaderConfig?.HttpHeaderName ?? '').toLowerCase()];
          return (
            c.Field === 'http-header' &&
            value !== undefined &&
            (c.HttpHeaderConfig?.Values ?? []).some((pattern) => headerValueMatches(pattern, value))
          );
        }),
      );
    const weights = forwardWeights(rule ? rule.actions : listener.defaultActions);
    const targetGroup = this.pick(weights);
    if (!targetGroup) return { status: 503 };
    const taskSets = this.ecs.liveTaskSets(targetGroup);
    if (taskSets.length === 0) return { status: 503 };
    // ALB routes to healthy targets; with none healthy it fails open to all of them (502 here).
    const healthy = taskSets.filter((t) => this.ecs.healthyTasks(t) > 0);
    if (healthy.length === 0) return { status: 502 };
    const taskSet = healthy[this.counter++ % healthy.length];
    const image = this.ecs.findTaskDefinition(taskSet.taskDefinitionArn)?.containerDefinitions?.[0]?.image;
    return { status: this.responder({ path: parsed.pathname, headers: lower, taskSet, image }) };
  }

  /** Deterministic weighted choice: request n goes to the group whose cumulative share covers n mod total. */
  private pick(weights: Record<string, number>): string | undefined {
    const entries = Object.entries(weights).filter(([, w]) => w > 0);
    const total = entries.reduce((s, [, w]) => s + w, 0);
    if (total === 0) return undefined;
    let slot = this.counter++ % total;
    for (const [arn, weight] of entries) {
      if (slot < weight) return arn;
      slot -= weight;
    }
    return entries[0][0];
  }
}
