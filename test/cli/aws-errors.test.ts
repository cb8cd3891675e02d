/**
 * AWS errors that say what to do: no credentials is one line naming the fix (exit 3, the AWS
 * access class); a malformed `--region` is a usage error (2) with the accepted form; a region the
 * installed aws-cdk-lib does not list is flagged.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

import { GetParameterCommand } from '@aws-sdk/client-ssm';

import { EXIT } from '../../cli/exit';
import { scratchDir } from '../scratch';
import { aws, resetAws, run, seedService } from './harness';

afterEach(resetAws);

const NO_CREDENTIALS = 'Could not load credentials from any providers';
const FIX =
  'configure them (aws configure, aws sso login, or AWS_ACCESS_KEY_ID and AWS_SECRET_ACCESS_KEY), or choose a profile with --profile <name> or AWS_PROFILE';

/** What the SDK's default credential chain throws when it finds nothing. */
const credentialsError = () => Object.assign(new Error(NO_CREDENTIALS), { name: 'CredentialsProviderError', tryNextLink: false });

describe('AWS errors', () => {
  describe('without credentials', () => {
    it.each([
      ['status', ['status', 'web']],
      ['history', ['history', 'web']],
      ['deploy --dry-run', ['deploy', 'web', '--image', 'nginx:1.27', '--dry-run']],
      ['freeze', ['freeze', 'web', '--reason', 'incident', '--yes']],
    ])('%s prints one line naming the fix and exits 4', async (_name, argv) => {
      aws.ssm.on(GetParameterCommand).rejects(credentialsError());
      const result = await run(argv);
      expect(result.code).toBe(EXIT.aws);
      expect(result.stderr.lines()).toEqual([`no AWS credentials (ssm:GetParameter: ${NO_CREDENTIALS}); ${FIX}`]);
    });

    it('the installed CLI, with the real SDK chain and nothing configured, says the same (no request is sent)', () => {
      const home = scratchDir('canary-home-');
      const env: NodeJS.ProcessEnv = {
        PATH: process.env.PATH,
        HOME: home,
        AWS_EC2_METADATA_DISABLED: 'true',
        AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true',
      };
      const result = spawnSync(
        process.execPath,
        [require.resolve('tsx/cli'), join(__dirname, '../../bin/canary.ts'), 'status', 'web', '--region', 'eu-west-1'],
        { env, encoding: 'utf8', timeout: 60_000 },
      );
      expect(result.status).toBe(EXIT.aws);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringMatching(new RegExp(`^no AWS credentials \\(ssm:GetParameter: .+\\); ${FIX.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`)),
      ]);
    });
  });

  describe('--region', () => {
    it('refuses "eu west 1" as a usage error with the accepted form, before any AWS call', async () => {
      const result = await run(['status', 'web', '--region', 'eu west 1']);
      expect(result.code).toBe(EXIT.usage);
      expect(result.awsOptions).toEqual([]);
      expect(result.stderr.lines()).toEqual([
        "usage error: option '--region <region>' argument 'eu west 1' is invalid. --region is \"eu west 1\"; accepted: a region code such as eu-west-1 or us-east-1 (lowercase, words joined by -); did you mean eu-west-1?",
      ]);
    });

    it.each(['EU-WEST-1', 'eu-west', 'https://eu-west-1'])('refuses %s as a usage error', async (region) => {
      const result = await run(['status', 'web', '--region', region]);
      expect(result.code).toBe(EXIT.usage);
      expect(result.stderr.text).toContain('accepted: a region code such as eu-west-1');
    });

    it('flags a well-formed region aws-cdk-lib does not list, naming the nearest, and goes on', async () => {
      seedService();
      aws.ssm.on(GetParameterCommand).rejects(credentialsError());
      const result = await run(['status', 'web', '--region', 'eu-wset-1']);
      expect(result.stderr.lines()[0]).toBe(
        "warning: --region eu-wset-1 is not a region this ecs-canary knows (aws-cdk-lib's region list); did you mean eu-west-1? Going on with eu-wset-1.",
      );
      expect(result.awsOptions).toEqual([{ region: 'eu-wset-1', profile: undefined }]);
    });

    it('takes a known region of another partition without a warning', async () => {
      aws.ssm.on(GetParameterCommand).rejects(credentialsError());
      const result = await run(['status', 'web', '--region', 'cn-north-1']);
      expect(result.stderr.text).not.toContain('warning');
      expect(result.awsOptions).toEqual([{ region: 'cn-north-1', profile: undefined }]);
    });
  });
});
