/** Reading the service's SSM parameters lives with the Lambda code that also reads them (the cdk-deploy resource). */
export {
  parseDeploymentMetadata,
  parseFreeze,
  readDeploymentMetadata,
  readDeploymentMetadataParameter,
  readFreeze,
  type FreezeState,
} from '../../lambdas/aws/service-parameters';
