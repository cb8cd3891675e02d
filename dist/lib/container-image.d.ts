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
/** The private ECR repository of `image`, or undefined for any other registry (public ECR, Docker Hub, …). */
export declare function ecrRepositoryOf(image: string): EcrRepositoryRef | undefined;
/** The ARN of a parsed repository. */
export declare function ecrRepositoryArn(repository: EcrRepositoryRef): string;
