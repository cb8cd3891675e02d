/**
 * The anchors as `canary history` lists them (lambdas/aws/audit-anchors.ts): every version and
 * delete marker through ListObjectVersions pages of 1000 in the fake S3, one entry per key with
 * S3's LastModified of its oldest version and whether a delete marker is its latest version.
 */
import { S3Client } from '@aws-sdk/client-s3';

import { listAnchors } from '../../lambdas/aws/audit-anchors';
import { FakeAws } from '../support';

let world: FakeAws;
beforeEach(() => {
  world = new FakeAws().install();
  world.s3.createBucket('anchors', { objectLock: true });
});
afterEach(() => world.restore());

it("reads every key across pages, hidden ones included, with the oldest version's time", async () => {
  const t0 = world.clock.now();
  for (let i = 1; i <= 1500; i += 1) world.s3.putObject({ Bucket: 'anchors', Key: `web/${String(i).padStart(12, '0')}/k`, Body: '{}' });
  await world.clock.advance(60_000);
  world.s3.putObject({ Bucket: 'anchors', Key: 'web/000000000001/k', Body: 'second version' });
  for (const i of [2, 1000, 1001]) world.s3.deleteObject({ Bucket: 'anchors', Key: `web/${String(i).padStart(12, '0')}/k` });
  world.s3.putObject({ Bucket: 'anchors', Key: 'other/000000000001/k', Body: '{}' });

  const listed = await listAnchors(new S3Client({ region: 'us-east-1' }), 'anchors', 'web');
  expect(listed).toHaveLength(1500);
  expect(listed.filter((a) => a.hidden).map((a) => a.key)).toEqual(['web/000000000002/k', 'web/000000001000/k', 'web/000000001001/k']);
  expect(listed.find((a) => a.key === 'web/000000000001/k')!.lastModified).toBe(t0);
  expect(world.callsOf('ListObjectVersionsCommand').length).toBe(2);
  expect(world.s3.keys('anchors')).not.toContain('web/000000000002/k');
});
