"use strict";
/**
 * Where a container image comes from, so the task execution role can be granted exactly the pull
 * permissions it needs. Pure: no constructs.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.ecrRepositoryOf = ecrRepositoryOf;
exports.ecrRepositoryArn = ecrRepositoryArn;
const ECR_IMAGE = /^(\d{12})\.dkr\.ecr(?:-fips)?\.([a-z0-9-]+)\.amazonaws\.com(\.cn)?\/([a-z0-9][a-z0-9._\/-]*?)(?::[A-Za-z0-9_][A-Za-z0-9_.-]*)?(?:@sha256:[a-f0-9]{64})?$/;
/** The private ECR repository of `image`, or undefined for any other registry (public ECR, Docker Hub, …). */
function ecrRepositoryOf(image) {
    const match = ECR_IMAGE.exec(image);
    if (!match)
        return undefined;
    const [, account, region, china, repositoryName] = match;
    return { account, region, partition: china ? 'aws-cn' : 'aws', repositoryName };
}
/** The ARN of a parsed repository. */
function ecrRepositoryArn(repository) {
    return `arn:${repository.partition}:ecr:${repository.region}:${repository.account}:repository/${repository.repositoryName}`;
}
