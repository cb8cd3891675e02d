/**
 * The trail the real engine writes (hooks, ticks and the guard over the fake AWS) verifies clean
 * against the pinned trust root: a release, a judged rollback, and a rollback alarm that stops the
 * deployment at 25% while ticks and the guard both write — no false alarm from the engine itself.
 */
import { EngineWorld, type EngineWorldOptions } from '../e2e/support/engine-world';
import { runCliOn } from '../support/cli';

const MINUTE = 60_000;
let env: EngineWorld;
afterEach(() => env?.restore());

async function verify() {
  const { auditKeyArn, auditAnchorBucket } = env.service.metadata;
  return runCliOn(env.world, ['history', env.service.metadata.service, '--verify'], {
    region: 'us-east-1',
    env: { CANARY_AUDIT_TRUST_ROOT: `${auditKeyArn},${auditAnchorBucket}` },
  });
}

async function rollout(options: EngineWorldOptions, during?: () => Promise<void>) {
  env = new EngineWorld(options);
  env.deploy();
  if (during) await during();
  await env.runToCompletion();
}

it('a release verifies clean', async () => {
  await rollout({ totalRps: 50 });
  expect(env.deployment.status).toBe('Succeeded');
  const result = await verify();
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  expect(result.stdout).toMatch(
    /^hash chain verified: \d+ records intact \(hash chain, signatures \(key .*, pinned\), \d+ anchors \(every version\)\)\n$/,
  );
});

it('a judged rollback verifies clean', async () => {
  await rollout({ totalRps: 50, regression: { kind: 'errors', deltaPp: 5 } });
  expect(env.deployment.status).toBe('Failed');
  expect((await verify()).code).toBe(0);
});

it('a rollback alarm at 25%: ticks and the guard both write, and the trail verifies clean', async () => {
  await rollout({ totalRps: 50 }, async () => {
    await env.world.clock.advanceUntil(() => env.replacementPercent() === 25, 90 * MINUTE, 10_000);
    env.world.cloudwatch.setAlarm(env.service.alarms[0], 'ALARM');
  });
  expect(env.deployment.status).toBe('Stopped');
  expect(env.auditRecords().some((r) => r.actor === 'guard')).toBe(true);
  const result = await verify();
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
});
