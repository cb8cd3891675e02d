import { type Scenario } from '../../sim';
export declare const NAMED_SCENARIOS: Readonly<Record<string, Scenario>>;
/** A named scenario, or a JSON file in the scenario format; throws `ScenarioError` naming what is accepted. */
export declare function resolveScenario(nameOrFile: string): Scenario;
