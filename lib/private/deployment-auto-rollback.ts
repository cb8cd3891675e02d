import type { AutoRollbackConfig } from 'aws-cdk-lib/aws-codedeploy';

/**
 * The deployment group's automatic rollbacks as CanaryService ships them: DEPLOYMENT_FAILURE,
 * DEPLOYMENT_STOP_ON_REQUEST and DEPLOYMENT_STOP_ON_ALARM. The fault campaign reads the same value,
 * so the group it attacks is the one users deploy.
 */
export const DEPLOYMENT_AUTO_ROLLBACK = {
  failedDeployment: true,
  stoppedDeployment: true,
  deploymentInAlarm: true,
} as const satisfies AutoRollbackConfig;
