import {
  deriveTaskDefinition,
  diffTaskDefinitions,
  formatDiff,
  imageOf,
  imageProblem,
  READ_ONLY_TASK_DEFINITION_FIELDS,
  TaskDefinitionError,
} from '../../cli/deploy/task-definition';
import { describedTaskDefinition } from './fixtures';

const NEW_IMAGE = '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.1.0';

describe('task-definition', () => {
  describe('deriveTaskDefinition', () => {
    it('changes only the named container image', () => {
      const current = describedTaskDefinition();
      const next = deriveTaskDefinition(current, 'web', NEW_IMAGE);
      expect(next.containerDefinitions?.[0]).toEqual({ ...current.containerDefinitions![0], image: NEW_IMAGE });
      expect(next.containerDefinitions?.[1]).toEqual(current.containerDefinitions![1]);
    });

    it.each(['family', 'taskRoleArn', 'executionRoleArn', 'networkMode', 'cpu', 'memory', 'requiresCompatibilities'] as const)(
      'keeps %s',
      (field) => {
        const current = describedTaskDefinition();
        expect(deriveTaskDefinition(current, 'web', NEW_IMAGE)[field]).toEqual(current[field]);
      },
    );

    it('keeps fields it does not know about', () => {
      const current = describedTaskDefinition({ ephemeralStorage: { sizeInGiB: 30 }, runtimePlatform: { cpuArchitecture: 'ARM64' } });
      expect(deriveTaskDefinition(current, 'web', NEW_IMAGE)).toMatchObject({
        ephemeralStorage: { sizeInGiB: 30 },
        runtimePlatform: { cpuArchitecture: 'ARM64' },
      });
    });

    it.each(READ_ONLY_TASK_DEFINITION_FIELDS)('strips read-only %s', (field) => {
      expect(deriveTaskDefinition(describedTaskDefinition(), 'web', NEW_IMAGE)).not.toHaveProperty(field);
    });

    it.each<[string, unknown, boolean]>([
      ['carries tags over', [{ key: 'team', value: 'payments' }], true],
      ['sends no empty tag list', [], false],
      ['sends no tags when there are none', undefined, false],
    ])('%s', (_name, tags, present) => {
      const next = deriveTaskDefinition(describedTaskDefinition(), 'web', NEW_IMAGE, tags as never);
      expect('tags' in next).toBe(present);
    });

    it('does not modify the described revision', () => {
      const current = describedTaskDefinition();
      const before = JSON.stringify(current);
      deriveTaskDefinition(current, 'web', NEW_IMAGE);
      expect(JSON.stringify(current)).toBe(before);
    });

    it('fails naming the containers when the container is not in the task definition', () => {
      expect(() => deriveTaskDefinition(describedTaskDefinition(), 'api', NEW_IMAGE)).toThrow(
        /no container named "api"; it has "web", "log-router"/,
      );
    });

    it('fails on a bad image with a TaskDefinitionError for the image field', () => {
      expect(() => deriveTaskDefinition(describedTaskDefinition(), 'web', 'web latest')).toThrow(TaskDefinitionError);
    });
  });

  describe('imageProblem', () => {
    it.each([
      ['123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.1.0'],
      ['nginx'],
      ['ghcr.io/acme/web@sha256:' + 'a'.repeat(64)],
      ['localhost:5000/My_Image:v1'],
    ])('accepts %s', (image) => {
      expect(imageProblem(image)).toBeUndefined();
    });

    it.each([[''], ['web latest'], ['web:'], ['-web'], ['x'.repeat(256)]])('rejects %j naming the value', (image) => {
      expect(imageProblem(image)).toContain(`--image is ${JSON.stringify(image)}; accepted:`);
    });
  });

  describe('diffTaskDefinitions', () => {
    it('reports the image of the named container as the only change', () => {
      const current = describedTaskDefinition();
      const changes = diffTaskDefinitions(current, deriveTaskDefinition(current, 'web', NEW_IMAGE));
      expect(changes).toEqual([
        { path: 'containerDefinitions[web].image', before: '123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0', after: NEW_IMAGE },
      ]);
      expect(formatDiff(changes)).toEqual([
        '- containerDefinitions[web].image: "123456789012.dkr.ecr.eu-west-1.amazonaws.com/web:1.0.0"',
        `+ containerDefinitions[web].image: "${NEW_IMAGE}"`,
      ]);
    });

    it('says so when nothing changes', () => {
      const current = describedTaskDefinition();
      const changes = diffTaskDefinitions(current, deriveTaskDefinition(current, 'web', imageOf(current, 'web')!));
      expect(formatDiff(changes)).toEqual(['(no change: the current revision already runs this image)']);
    });
  });
});
