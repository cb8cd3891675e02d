import type * as logs from 'aws-cdk-lib/aws-logs';
import type { RemovalPolicy } from 'aws-cdk-lib';
import type { CanaryService, ICanaryEngine } from './canary-service';
import type { EngineAttachment } from './deployment-metadata';
import { RolloutEngine } from './rollout-engine';
export interface RolloutEngineBindingProps {
    /**
     * What happens to the audit table when the stack is deleted.
     * @default RemovalPolicy.RETAIN
     */
    readonly auditRemovalPolicy?: RemovalPolicy;
    /**
     * Retention of the engine's Lambda and state machine logs.
     * @default logs.RetentionDays.ONE_MONTH
     */
    readonly logRetention?: logs.RetentionDays;
}
export declare class RolloutEngineBinding implements ICanaryEngine {
    private readonly props;
    /** The engine, once bound. */
    engine?: RolloutEngine;
    constructor(props?: RolloutEngineBindingProps);
    bind(service: CanaryService): EngineAttachment;
}
