import { ecrRepositoryArn, ecrRepositoryOf } from '../../lib/private/container-image';

describe('container image', () => {
  describe('ecrRepositoryOf', () => {
    it.each([
      [
        '123456789012.dkr.ecr.eu-west-1.amazonaws.com/orders:1.2.3',
        { account: '123456789012', region: 'eu-west-1', partition: 'aws', repositoryName: 'orders' },
      ],
      [
        '123456789012.dkr.ecr.us-east-1.amazonaws.com/team/orders',
        { account: '123456789012', region: 'us-east-1', partition: 'aws', repositoryName: 'team/orders' },
      ],
      [
        `123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/orders@sha256:${'b'.repeat(64)}`,
        { account: '123456789012', region: 'cn-north-1', partition: 'aws-cn', repositoryName: 'orders' },
      ],
    ])('reads the repository of %s', (image, expected) => {
      expect(ecrRepositoryOf(image)).toEqual(expected);
    });

    it.each(['public.ecr.aws/nginx/nginx:1.27', 'nginx', 'ghcr.io/acme/orders:1', 'registry.example.com:5000/orders'])(
      'finds no private repository in %s',
      (image) => {
        expect(ecrRepositoryOf(image)).toBeUndefined();
      },
    );
  });

  describe('ecrRepositoryArn', () => {
    it('renders the repository ARN', () => {
      expect(ecrRepositoryArn({ account: '123456789012', region: 'eu-west-1', partition: 'aws', repositoryName: 'team/orders' })).toBe(
        'arn:aws:ecr:eu-west-1:123456789012:repository/team/orders',
      );
    });
  });
});
