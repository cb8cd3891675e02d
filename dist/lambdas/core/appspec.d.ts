export interface AppSpecInput {
    /** ARN of the task definition revision to deploy (with its revision number). */
    readonly taskDefinitionArn: string;
    /** Container the load balancer routes to; must exist in the task definition. */
    readonly containerName: string;
    /** Port of that container the target groups forward to. */
    readonly containerPort: number;
    /**
     * Hook name → Lambda function name (or ARN), from the deployment metadata's `hooks`.
     * Every hook of `HOOKS` must be present: without them CodeDeploy would shift 100% at once.
     */
    readonly hooks: {
        readonly [hook: string]: string | undefined;
    };
}
export interface EcsAppSpec {
    readonly version: '0.0';
    readonly Resources: readonly [
        {
            readonly TargetService: {
                readonly Type: 'AWS::ECS::Service';
                readonly Properties: {
                    readonly TaskDefinition: string;
                    readonly LoadBalancerInfo: {
                        readonly ContainerName: string;
                        readonly ContainerPort: number;
                    };
                };
            };
        }
    ];
    readonly Hooks: ReadonlyArray<{
        readonly [hook: string]: string;
    }>;
}
/** Invalid input to the renderer; `field` names what is wrong. */
export declare class AppSpecError extends Error {
    readonly field: string;
    constructor(message: string, field: string, options?: {
        cause?: unknown;
    });
}
/** Renders the AppSpec; throws `AppSpecError` naming the field, the value and what is accepted. */
export declare function renderAppSpec(input: AppSpecInput): EcsAppSpec;
/** The `revision` of `CreateDeployment` for an AppSpec: `AppSpecContent` with its SHA-256. */
export declare function appSpecRevision(appSpec: EcsAppSpec): {
    revisionType: 'AppSpecContent';
    appSpecContent: {
        content: string;
        sha256: string;
    };
};
