/**
 * `--region`: a malformed region is a usage error (exit 2) saying the accepted form; a well-formed
 * region the installed aws-cdk-lib's region table does not list is flagged on stderr (with the
 * nearest known name) but used, since AWS opens regions after a release.
 */
import { RegionInfo } from 'aws-cdk-lib/region-info';
import { InvalidArgumentError } from 'commander';

/** `eu-west-1`, `us-gov-west-1`, `eusc-de-east-1`: lowercase words joined by `-`, ending in a number. */
const REGION_FORMAT = /^[a-z]{2,4}(-[a-z]+){1,3}-\d{1,2}$/;

/** The regions aws-cdk-lib's region-info lists, every partition. */
export const KNOWN_REGIONS: readonly string[] = RegionInfo.regions.map((r) => r.name);

/** A commander parser for `--region`; `warn` receives the line flagging an unknown region. */
export function regionOption(warn: (line: string) => void): (value: string) => string {
  return (value: string) => {
    if (!REGION_FORMAT.test(value)) {
      const near = nearestRegion(
        value
          .trim()
          .toLowerCase()
          .replace(/[\s_]+/g, '-'),
      );
      throw new InvalidArgumentError(
        `--region is ${JSON.stringify(value)}; accepted: a region code such as eu-west-1 or us-east-1 (lowercase, words joined by -)${near ? `; did you mean ${near}?` : ''}`,
      );
    }
    if (!KNOWN_REGIONS.includes(value)) {
      const near = nearestRegion(value);
      warn(
        `warning: --region ${value} is not a region this ecs-canary knows (aws-cdk-lib's region list)${near ? `; did you mean ${near}?` : ''} Going on with ${value}.`,
      );
    }
    return value;
  };
}

/** The known region at edit distance 2 or less from `text`, if any. */
export function nearestRegion(text: string): string | undefined {
  let best: { region: string; distance: number } | undefined;
  for (const region of KNOWN_REGIONS) {
    const distance = editDistance(text, region);
    if (distance <= 2 && (!best || distance < best.distance)) best = { region, distance };
  }
  return best?.region;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++)
      current[j] = Math.min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (a[i - 1] === b[j - 1] ? 0 : 1));
    previous = current;
  }
  return previous[b.length];
}
