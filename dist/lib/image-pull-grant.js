"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.grantImagePull = grantImagePull;
/**
 * Pull permissions for a service's image on its task execution role: exactly its ECR repository
 * (public registries need none), with the nag and CDK warnings that grant answers acknowledged.
 */
const aws_cdk_lib_1 = require("aws-cdk-lib");
const iam = __importStar(require("aws-cdk-lib/aws-iam"));
const container_image_1 = require("./container-image");
/**
 * A private ECR image needs pull permissions on its repository; public registries need none.
 * Later revisions registered by `canary deploy` reuse this execution role, so they may use any
 * image of the same repository.
 */
function grantImagePull(taskDefinition, image) {
    const repository = (0, container_image_1.ecrRepositoryOf)(image);
    if (!repository)
        return;
    const executionRole = taskDefinition.obtainExecutionRole();
    executionRole.addToPrincipalPolicy(new iam.PolicyStatement({
        actions: ['ecr:BatchCheckLayerAvailability', 'ecr:GetDownloadUrlForLayer', 'ecr:BatchGetImage'],
        resources: [(0, container_image_1.ecrRepositoryArn)(repository)],
    }));
    // GetAuthorizationToken has no resource type: IAM accepts only "*".
    executionRole.addToPrincipalPolicy(new iam.PolicyStatement({ actions: ['ecr:GetAuthorizationToken'], resources: ['*'] }));
    // The CDK warns that an ECR image named by URI needs pull permissions: granted just above.
    aws_cdk_lib_1.Annotations.of(taskDefinition).acknowledgeWarning('@aws-cdk/aws-ecs:ecrImageRequiresPolicy', `the execution role may pull ${repository.repositoryName}`);
    const policy = executionRole.node.tryFindChild('DefaultPolicy')?.node.defaultChild;
    if (policy) {
        aws_cdk_lib_1.Validations.of(policy).acknowledge({
            id: 'AwsSolutions-IAM5[Resource::*]',
            reason: `ecr:GetAuthorizationToken, needed to pull ${repository.repositoryName} from ECR, accepts only Resource "*"; the pull actions name the repository.`,
        });
    }
}
