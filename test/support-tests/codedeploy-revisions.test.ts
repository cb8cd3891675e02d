/**
 * The fake CodeDeploy's revisions and state-change deliveries: GetDeployment gives the revision's
 * sha256 but never its content, GetApplicationRevision gives the content, the creator is named as
 * the API reference names it, and EventBridge deliveries can be late or repeated.
 */
import { createHash } from 'node:crypto';

import {
  CodeDeployClient,
  CreateDeploymentCommand,
  GetApplicationRevisionCommand,
  GetDeploymentCommand,
  RevisionDoesNotExistException,
  StopDeploymentCommand,
} from '@aws-sdk/client-codedeploy';

import type { CodeDeployStateChangeEvent } from '../support';
import { MINUTE, useWorld } from './helpers';

const codedeploy = new CodeDeployClient({ region: 'us-east-1' });
const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('FakeCodeDeploy revisions', () => {
  const fx = useWorld();

  const hooklessAppSpec = () => {
    const { taskDefinition } = fx.world.ecs.registerTaskDefinition({
      family: fx.web.metadata.taskDefinitionFamily,
      containerDefinitions: [
        { name: fx.web.metadata.containerName, image: 'web:2', portMappings: [{ containerPort: fx.web.metadata.containerPort }] },
      ],
    });
    return [
      'version: 0.0',
      'Resources:',
      '  - TargetService:',
      '      Type: AWS::ECS::Service',
      '      Properties:',
      `        TaskDefinition: "${taskDefinition.taskDefinitionArn}"`,
      '        LoadBalancerInfo:',
      `          ContainerName: "${fx.web.metadata.containerName}"`,
      `          ContainerPort: ${fx.web.metadata.containerPort}`,
    ].join('\n');
  };

  describe('GetDeployment', () => {
    it('gives the revision type and sha256, never the content', async () => {
      const content = hooklessAppSpec();
      const { deploymentId } = await codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: fx.web.metadata.applicationName,
          deploymentGroupName: fx.web.metadata.deploymentGroupName,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
        }),
      );
      const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
      expect(deploymentInfo?.revision).toEqual({ revisionType: 'AppSpecContent', appSpecContent: { sha256: sha256(content) } });
      expect(deploymentInfo?.creator).toBe('user');
    });

    it("names a rollback deployment's creator codeDeployRollback", async () => {
      const id = fx.world.deploy('web', { hooks: false });
      await fx.world.clock.advance(10_000);
      await codedeploy.send(new StopDeploymentCommand({ deploymentId: id, autoRollbackEnabled: true }));
      const rollbackId = fx.world.codedeploy.deployment(id).rollbackInfo!.rollbackDeploymentId!;
      const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId: rollbackId }));
      expect(deploymentInfo?.creator).toBe('codeDeployRollback');
      expect(deploymentInfo?.rollbackInfo?.rollbackTriggeringDeploymentId).toBe(id);
    });
  });

  describe('GetApplicationRevision', () => {
    it('gives the content of the revision GetDeployment names by sha256', async () => {
      const content = hooklessAppSpec();
      const { deploymentId } = await codedeploy.send(
        new CreateDeploymentCommand({
          applicationName: fx.web.metadata.applicationName,
          deploymentGroupName: fx.web.metadata.deploymentGroupName,
          revision: { revisionType: 'AppSpecContent', appSpecContent: { content } },
        }),
      );
      const { deploymentInfo } = await codedeploy.send(new GetDeploymentCommand({ deploymentId }));
      const answer = await codedeploy.send(
        new GetApplicationRevisionCommand({ applicationName: fx.web.metadata.applicationName, revision: deploymentInfo!.revision }),
      );
      expect(answer.revision?.appSpecContent).toEqual({ content, sha256: sha256(content) });
      expect(answer.revisionInfo?.deploymentGroups).toEqual([fx.web.metadata.deploymentGroupName]);
    });

    it('fails with RevisionDoesNotExist for a sha256 no deployment used', async () => {
      await expect(
        codedeploy.send(
          new GetApplicationRevisionCommand({
            applicationName: fx.web.metadata.applicationName,
            revision: { revisionType: 'AppSpecContent', appSpecContent: { sha256: sha256('other') } },
          }),
        ),
      ).rejects.toBeInstanceOf(RevisionDoesNotExistException);
    });
  });

  describe('state-change deliveries', () => {
    it('delivers START late when told to, and again on redelivery with the same event id', async () => {
      const seen: Array<{ at: number; id: string; state: string }> = [];
      fx.world.codedeploy.onStateChange(
        (event: CodeDeployStateChangeEvent) => void seen.push({ at: fx.world.clock.now(), id: event.id, state: event.detail.state }),
      );
      fx.world.codedeploy.delayStateChanges(40_000);
      const start = fx.world.clock.now();
      const id = fx.world.deploy('web', { hooks: false });
      await fx.world.clock.advance(30_000);
      expect(seen).toEqual([]);
      await fx.world.clock.advance(15_000);
      expect(seen).toEqual([{ at: start + 40_000, id: expect.any(String), state: 'START' }]);
      fx.world.codedeploy.redeliverStateChange(id, 'START', MINUTE);
      await fx.world.clock.advance(MINUTE);
      expect(seen.map((s) => s.state)).toEqual(['START', 'START']);
      expect(seen[1].id).toBe(seen[0].id);
    });
  });
});
