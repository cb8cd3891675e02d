/** Reading the service's SSM parameters lives with the Lambda code that also reads them (the cdk-deploy resource). */
export {
  type FreezeState,
  parseDeploymentMetadata,
  parseFreeze,
  readDeploymentMetadata,
  readDeploymentMetadataParameter,
  readFreeze,
} from '../../lambdas/aws/service-parameters';
