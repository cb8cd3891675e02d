/**
 * The limits AWS enforces on what a service file turns into, in one table: every name derived
 * from the service name, the task-definition size, the load balancer's security-group rules and the
 * file size. The schema, the loader and `CanaryService` check against these values; the sources are
 * in `docs/configuration-limits.md` and in `source` below. No CDK imports: the CLI reads this too.
 */
import type { ConfigProblem } from './errors';
/** One physical name the stacks derive from the service name, and the limit AWS puts on it. */
export interface DerivedNameRule {
    /** Short id, quoted in docs/configuration-limits.md. */
    readonly id: string;
    /** What carries the name, in words. */
    readonly what: string;
    /** CloudFormation resource type and property that hold the name in the template. */
    readonly resourceType: string;
    readonly property: string;
    /** The names derived from `service`, as the constructs derive them (the limit test compares them with the template). */
    readonly derive: (service: string) => readonly string[];
    /** Most characters AWS accepts. */
    readonly maxLength: number;
    /** Characters AWS accepts, when it restricts them. */
    readonly allowed?: RegExp;
    /** Where AWS documents the limit. */
    readonly source: string;
}
export declare const DERIVED_NAME_RULES: readonly DerivedNameRule[];
/**
 * Names CloudFormation generates (target groups 32, load balancer 32, state machine 80, ECS
 * service, log groups, table, roles): the stacks must leave them unset, since a derived name there
 * could break these short limits. The limit test checks the template sets none of them.
 */
export declare const GENERATED_NAME_PROPERTIES: ReadonlyArray<{
    readonly resourceType: string;
    readonly property: string;
    readonly maxLength: number;
}>;
/** The rule whose limit leaves the service name the fewest characters (the hook function name). */
export declare const BINDING_NAME_RULE: DerivedNameRule;
/** The longest service name every derived name fits: 27 (64 − "CodeDeployHook_" − "-AfterAllowTestTraffic"). */
export declare const MAX_SERVICE_NAME_LENGTH: number;
/** Why the service name stops at `MAX_SERVICE_NAME_LENGTH`, for the schema's message. */
export declare const SERVICE_NAME_LIMIT_REASON: string;
/** ECS refuses a task definition over 64 KiB ("Actual length: … Max allowed length is '65536' bytes"). */
export declare const TASK_DEFINITION_MAX_BYTES = 65536;
/**
 * Bytes kept for everything of the task definition but `environment` (family, image, ports, log
 * configuration, role ARNs): about 1.5 KiB with the longest accepted name and image, measured in
 * test/config/limits.test.ts; 4 KiB leaves room.
 */
export declare const TASK_DEFINITION_RESERVED_BYTES = 4096;
/** What `environment` may take of the task definition, as ECS serializes it. */
export declare const MAX_ENVIRONMENT_BYTES: number;
/** The environment as ECS receives it: `[{"name":…,"value":…},…]`, counted in UTF-8 bytes. */
export declare function environmentBytes(environment: Readonly<Record<string, string>>): number;
/** Parameter Store's largest value: 4 KB in the standard tier, 8 KB in the advanced tier (PutParameter, Value). */
export declare const SSM_STANDARD_VALUE_BYTES = 4096;
export declare const SSM_ADVANCED_VALUE_BYTES = 8192;
/**
 * Characters allowed for each value the deployment metadata receives at deploy time (an ARN or a
 * name): the longest, a listener ARN in a 14-character region, is 143.
 */
export declare const METADATA_TOKEN_ALLOWANCE = 160;
/** Default VPC quota "Inbound or outbound rules per security group" (IPv4 and IPv6 counted apart). */
export declare const SECURITY_GROUP_INBOUND_RULES = 60;
/**
 * Inbound rules the load balancer's security group holds besides one per test CIDR: the
 * production port from anywhere, and port 80 (the redirect) when a certificate is set.
 */
export declare function loadBalancerFixedInboundRules(https: boolean): number;
/** The most `listener.testAllowedCidrs` (distinct) the load balancer's security group can hold. */
export declare function maxTestAllowedCidrs(https: boolean): number;
/**
 * Largest service file read: the environment, its largest part, is limited to 60 KiB by ECS; the
 * cap keeps a wrong file (a 5 MB dump) from hanging synth, and is checked before parsing.
 */
export declare const MAX_SERVICE_FILE_BYTES: number;
/**
 * A load balancer can only use an ACM certificate of its own region (ACM certificates are
 * regional): the problem when `certificateArn` names another region than `stackRegion`.
 */
export declare function certificateRegionProblem(certificateArn: string, stackRegion: string, source: string): ConfigProblem | undefined;
/** `65536` → `65,536`. */
export declare const formatBytes: (bytes: number) => string;
