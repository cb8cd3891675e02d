/** The deploy path's named errors live with the Lambda code that also throws them (the cdk-deploy resource). */
export { AwsCallError, awsCall, DeployConfigError, DeploymentBlockedError, DeploymentFailedError, toAwsCallError } from '../../lambdas/aws/deploy-errors';
