/** The AppSpec renderer lives with the Lambda code that also uses it (the cdk-deploy resource). */
export { appSpecRevision, AppSpecError, renderAppSpec, type AppSpecInput, type EcsAppSpec } from '../../lambdas/core/appspec';
