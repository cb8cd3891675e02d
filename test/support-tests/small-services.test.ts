import { DescribeServicesCommand, DescribeTaskDefinitionCommand, ECSClient, RegisterTaskDefinitionCommand } from '@aws-sdk/client-ecs';
import { PublishCommand, SNSClient } from '@aws-sdk/client-sns';
import { GetParameterCommand, PutParameterCommand, SSMClient } from '@aws-sdk/client-ssm';

import { useWorld } from './helpers';

const ssm = new SSMClient({ region: 'us-east-1' });
const sns = new SNSClient({ region: 'us-east-1' });
const ecs = new ECSClient({ region: 'us-east-1' });

describe('small services', () => {
  const fx = useWorld();

  describe('SSM', () => {
    it('holds the service metadata and the freeze switch written by addService', async () => {
      const { Parameter } = await ssm.send(new GetParameterCommand({ Name: '/ecs-canary/web/deployment' }));
      expect(JSON.parse(Parameter!.Value!)).toMatchObject({ service: 'web', productionListenerArn: fx.web.metadata.productionListenerArn });
      expect(fx.world.ssm.value('/ecs-canary/web/freeze')).toBe('{"frozen":false}');
    });

    it('overwrites only with Overwrite: true, incrementing the version', async () => {
      const put = (Overwrite?: boolean) =>
        ssm.send(new PutParameterCommand({ Name: '/ecs-canary/web/freeze', Value: '{"frozen":true}', Type: 'String', Overwrite }));
      await expect(put()).rejects.toMatchObject({ name: 'ParameterAlreadyExists' });
      await expect(put(true)).resolves.toMatchObject({ Version: 2 });
    });

    it('fails GetParameter of an unknown name with ParameterNotFound', async () => {
      await expect(ssm.send(new GetParameterCommand({ Name: '/nope' }))).rejects.toMatchObject({ name: 'ParameterNotFound' });
    });
  });

  describe('SNS', () => {
    it('stores published messages and rejects unknown topics', async () => {
      await sns.send(new PublishCommand({ TopicArn: fx.web.metadata.topicArn, Subject: 'rolled back', Message: '{"verdict":"rollback"}' }));
      expect(fx.world.sns.messages).toMatchObject([{ topicArn: fx.web.metadata.topicArn, subject: 'rolled back' }]);
      await expect(sns.send(new PublishCommand({ TopicArn: `${fx.web.metadata.topicArn}x`, Message: 'x' }))).rejects.toMatchObject({
        name: 'NotFoundException',
      });
    });
  });

  describe('ECS', () => {
    it('increments the revision per family and describes the latest by family name', async () => {
      const register = () =>
        ecs.send(new RegisterTaskDefinitionCommand({ family: 'web', containerDefinitions: [{ name: 'app', image: 'web:2' }] }));
      expect((await register()).taskDefinition!.revision).toBe(2);
      expect((await register()).taskDefinition!.revision).toBe(3);
      const { taskDefinition } = await ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web' }));
      expect(taskDefinition!.taskDefinitionArn).toMatch(/task-definition\/web:3$/);
      await expect(ecs.send(new DescribeTaskDefinitionCommand({ taskDefinition: 'web:9' }))).rejects.toMatchObject({
        name: 'ClientException',
      });
    });
  });

  describe('ECS DescribeServices', () => {
    it('lists the CODE_DEPLOY service with its PRIMARY task set and reports unknown services as MISSING failures', async () => {
      const { services, failures } = await ecs.send(new DescribeServicesCommand({ cluster: 'web-cluster', services: ['web', 'api'] }));
      expect(services!.map((s) => [s.serviceName, s.deploymentController?.type, s.taskSets?.map((t) => t.status)])).toEqual([
        ['web', 'CODE_DEPLOY', ['PRIMARY']],
      ]);
      expect(failures!.map((f) => f.reason)).toEqual(['MISSING']);
    });
  });

  describe('unmodelled commands', () => {
    it('reject with NotModelledError instead of answering undefined', async () => {
      const { DescribeParametersCommand } = await import('@aws-sdk/client-ssm');
      await expect(ssm.send(new DescribeParametersCommand({}))).rejects.toMatchObject({ name: 'NotModelledError' });
    });
  });
});
