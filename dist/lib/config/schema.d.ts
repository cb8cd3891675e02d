/**
 * The schema of `services/<name>.yaml`, with every default in one place.
 *
 * Each field carries the sentence of what it accepts, so a failed parse can say for every problem:
 * the field, the bad value and what would be accepted (see `loader.ts`). The rollout plan is
 * checked by `planProblems` from `lambdas/core/plan.ts`, the same code the engine runs.
 */
import { z } from 'zod';
import { type RolloutPlanInput } from '../../lambdas/core/plan';
/**
 * Service names become stack names, SSM paths, CodeDeploy, alarm, dashboard and Lambda names; the
 * length is the shortest those limits allow (`aws-limits.ts`).
 */
export declare const SERVICE_NAME_PATTERN: RegExp;
/**
 * A container image reference as Docker accepts it: `[registry[:port]/]repository[:tag][@sha256:digest]`.
 */
export declare const IMAGE_PATTERN: RegExp;
export declare const healthCheckSchema: z.ZodObject<{
    path: z.ZodDefault<z.ZodString>;
    intervalSeconds: z.ZodDefault<z.ZodNumber>;
    healthyThreshold: z.ZodDefault<z.ZodNumber>;
    unhealthyThreshold: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export declare const listenerSchema: z.ZodPipe<z.ZodObject<{
    port: z.ZodOptional<z.ZodNumber>;
    certificateArn: z.ZodOptional<z.ZodString>;
    testPort: z.ZodDefault<z.ZodNumber>;
    testAllowedCidrs: z.ZodDefault<z.ZodArray<z.ZodString>>;
}, z.core.$strict>, z.ZodTransform<{
    port: number;
    testPort: number;
    testAllowedCidrs: string[];
    certificateArn?: string | undefined;
}, {
    testPort: number;
    testAllowedCidrs: string[];
    port?: number | undefined;
    certificateArn?: string | undefined;
}>>;
export declare const DEFAULT_STEPS: {
    weight: number;
    bakeMinutes: number;
}[];
/** Ranges, order and the 55-minute hook windows are checked by `planProblems`, like the engine. */
export declare const rolloutSchema: z.ZodObject<{
    steps: z.ZodDefault<z.ZodArray<z.ZodObject<{
        weight: z.ZodNumber;
        bakeMinutes: z.ZodNumber;
    }, z.core.$strict>>>;
    postTrafficBakeMinutes: z.ZodDefault<z.ZodNumber>;
    holdLimitMinutes: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
export declare const thresholdsSchema: z.ZodObject<{
    maxErrorRatePercent: z.ZodDefault<z.ZodNumber>;
    maxP95Ms: z.ZodDefault<z.ZodNumber>;
    minRequests: z.ZodDefault<z.ZodNumber>;
    maxErrorIncreasePp: z.ZodDefault<z.ZodNumber>;
    maxLatencyRatio: z.ZodDefault<z.ZodNumber>;
}, z.core.$strict>;
/** ALB compares at most 128 characters per condition value; `*name=value*` adds three. */
export declare const MAX_COOKIE_PAIR_LENGTH = 125;
/** The whole file. Sub-objects default to `{}` so their own defaults apply. */
export declare const serviceConfigSchema: z.ZodPipe<z.ZodObject<{
    name: z.ZodString;
    image: z.ZodString;
    containerPort: z.ZodDefault<z.ZodNumber>;
    healthCheck: z.ZodPrefault<z.ZodObject<{
        path: z.ZodDefault<z.ZodString>;
        intervalSeconds: z.ZodDefault<z.ZodNumber>;
        healthyThreshold: z.ZodDefault<z.ZodNumber>;
        unhealthyThreshold: z.ZodDefault<z.ZodNumber>;
    }, z.core.$strict>>;
    cpu: z.ZodDefault<z.ZodNumber>;
    memoryMiB: z.ZodDefault<z.ZodNumber>;
    desiredCount: z.ZodDefault<z.ZodNumber>;
    environment: z.ZodDefault<z.ZodRecord<z.ZodString, z.ZodPipe<z.ZodUnion<readonly [z.ZodString, z.ZodNumber, z.ZodBoolean]>, z.ZodTransform<string, string | number | boolean>>>>;
    listener: z.ZodPrefault<z.ZodPipe<z.ZodObject<{
        port: z.ZodOptional<z.ZodNumber>;
        certificateArn: z.ZodOptional<z.ZodString>;
        testPort: z.ZodDefault<z.ZodNumber>;
        testAllowedCidrs: z.ZodDefault<z.ZodArray<z.ZodString>>;
    }, z.core.$strict>, z.ZodTransform<{
        port: number;
        testPort: number;
        testAllowedCidrs: string[];
        certificateArn?: string | undefined;
    }, {
        testPort: number;
        testAllowedCidrs: string[];
        port?: number | undefined;
        certificateArn?: string | undefined;
    }>>>;
    rollout: z.ZodPrefault<z.ZodObject<{
        steps: z.ZodDefault<z.ZodArray<z.ZodObject<{
            weight: z.ZodNumber;
            bakeMinutes: z.ZodNumber;
        }, z.core.$strict>>>;
        postTrafficBakeMinutes: z.ZodDefault<z.ZodNumber>;
        holdLimitMinutes: z.ZodDefault<z.ZodNumber>;
    }, z.core.$strict>>;
    thresholds: z.ZodPrefault<z.ZodObject<{
        maxErrorRatePercent: z.ZodDefault<z.ZodNumber>;
        maxP95Ms: z.ZodDefault<z.ZodNumber>;
        minRequests: z.ZodDefault<z.ZodNumber>;
        maxErrorIncreasePp: z.ZodDefault<z.ZodNumber>;
        maxLatencyRatio: z.ZodDefault<z.ZodNumber>;
    }, z.core.$strict>>;
    smokeChecks: z.ZodOptional<z.ZodArray<z.ZodObject<{
        path: z.ZodString;
        expectStatus: z.ZodDefault<z.ZodNumber>;
    }, z.core.$strict>>>;
    canaryHeader: z.ZodOptional<z.ZodObject<{
        name: z.ZodDefault<z.ZodString>;
        value: z.ZodDefault<z.ZodString>;
    }, z.core.$strict>>;
    canaryCookie: z.ZodOptional<z.ZodObject<{
        name: z.ZodDefault<z.ZodString>;
        value: z.ZodDefault<z.ZodString>;
    }, z.core.$strict>>;
    notifications: z.ZodPrefault<z.ZodObject<{
        emails: z.ZodDefault<z.ZodArray<z.ZodString>>;
        slack: z.ZodOptional<z.ZodObject<{
            workspaceId: z.ZodString;
            channelId: z.ZodString;
        }, z.core.$strict>>;
        teams: z.ZodOptional<z.ZodObject<{
            teamId: z.ZodString;
            channelId: z.ZodString;
            tenantId: z.ZodString;
        }, z.core.$strict>>;
    }, z.core.$strict>>;
    auditRetentionDays: z.ZodDefault<z.ZodNumber>;
    deployOnCdkDeploy: z.ZodDefault<z.ZodEnum<{
        start: "start";
        wait: "wait";
        off: "off";
    }>>;
}, z.core.$strict>, z.ZodTransform<{
    smokeChecks: {
        path: string;
        expectStatus: number;
    }[];
    name: string;
    image: string;
    containerPort: number;
    healthCheck: {
        path: string;
        intervalSeconds: number;
        healthyThreshold: number;
        unhealthyThreshold: number;
    };
    cpu: number;
    memoryMiB: number;
    desiredCount: number;
    environment: Record<string, string>;
    listener: {
        port: number;
        testPort: number;
        testAllowedCidrs: string[];
        certificateArn?: string | undefined;
    };
    rollout: {
        steps: {
            weight: number;
            bakeMinutes: number;
        }[];
        postTrafficBakeMinutes: number;
        holdLimitMinutes: number;
    };
    thresholds: {
        maxErrorRatePercent: number;
        maxP95Ms: number;
        minRequests: number;
        maxErrorIncreasePp: number;
        maxLatencyRatio: number;
    };
    notifications: {
        emails: string[];
        slack?: {
            workspaceId: string;
            channelId: string;
        } | undefined;
        teams?: {
            teamId: string;
            channelId: string;
            tenantId: string;
        } | undefined;
    };
    auditRetentionDays: number;
    deployOnCdkDeploy: "start" | "wait" | "off";
    canaryHeader?: {
        name: string;
        value: string;
    } | undefined;
    canaryCookie?: {
        name: string;
        value: string;
    } | undefined;
}, {
    name: string;
    image: string;
    containerPort: number;
    healthCheck: {
        path: string;
        intervalSeconds: number;
        healthyThreshold: number;
        unhealthyThreshold: number;
    };
    cpu: number;
    memoryMiB: number;
    desiredCount: number;
    environment: Record<string, string>;
    listener: {
        port: number;
        testPort: number;
        testAllowedCidrs: string[];
        certificateArn?: string | undefined;
    };
    rollout: {
        steps: {
            weight: number;
            bakeMinutes: number;
        }[];
        postTrafficBakeMinutes: number;
        holdLimitMinutes: number;
    };
    thresholds: {
        maxErrorRatePercent: number;
        maxP95Ms: number;
        minRequests: number;
        maxErrorIncreasePp: number;
        maxLatencyRatio: number;
    };
    notifications: {
        emails: string[];
        slack?: {
            workspaceId: string;
            channelId: string;
        } | undefined;
        teams?: {
            teamId: string;
            channelId: string;
            tenantId: string;
        } | undefined;
    };
    auditRetentionDays: number;
    deployOnCdkDeploy: "start" | "wait" | "off";
    smokeChecks?: {
        path: string;
        expectStatus: number;
    }[] | undefined;
    canaryHeader?: {
        name: string;
        value: string;
    } | undefined;
    canaryCookie?: {
        name: string;
        value: string;
    } | undefined;
}>>;
/**
 * `deployOnCdkDeploy: wait` needs the whole rollout to fit the custom resource's hour: the
 * message (starting "accepted: ") says the worst case and what to shorten. Undefined when fine,
 * when the mode is not `wait`, or when the plan itself is invalid (reported on its own).
 */
export declare function cdkDeployWaitIssue(mode: string, rollout: RolloutPlanInput): string | undefined;
/** A validated service configuration with every default applied. */
export type ServiceConfig = z.output<typeof serviceConfigSchema>;
/** What a YAML file may contain (every field with a default is optional). */
export type ServiceConfigInput = z.input<typeof serviceConfigSchema>;
