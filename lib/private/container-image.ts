/**
 * Where a container image comes from, so the task execution role can be granted exactly the pull
 * permissions it needs. Pure: no constructs.
 */

/** A private Amazon ECR repository, parsed from an image reference. */
export interface EcrRepositoryRef {
  readonly account: string;
  readonly region: string;
  /** `.amazonaws.com` or `.amazonaws.com.cn`. */
  readonly partition: 'aws' | 'aws-cn';
  readonly repositoryName: string;
}

const ECR_IMAGE =
  /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9][a-z0-9._/-]*?)(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?(?:@sha256:[a-f0-9]{64})?$/;

/** The private ECR repository of `image`, or undefined for any other registry (public ECR, Docker Hub, …). */
export function ecrRepositoryOf(image: string): EcrRepositoryRef | undefined {
  const match = ECR_IMAGE.exec(image);
  if (!match) return undefined;
  const [, account, region, china, repositoryName] = match;
  return { account, region, partition: china ? 'aws-cn' : 'aws', repositoryName };
}

/** The ARN of a parsed repository. */
export function ecrRepositoryArn(repository: EcrRepositoryRef): string {
  return `arn:${repository.partition}:ecr:${repository.region}:${repository.account}:repository/${repository.repositoryName}`;
}
