/** The app's stderr filter: CDK's per-asset bundling notices go, everything else stays. */
import { Writable } from 'node:stream';

import { dropBundlingNotices } from '../bin/quiet-bundling';

function collector(): { stream: Writable; text: () => string } {
  let text = '';
  const stream = new Writable({
    write(chunk, _encoding, done) {
      text += String(chunk);
      done();
    },
  });
  return { stream, text: () => text };
}

describe("the app's stderr", () => {
  it("drops aws-cdk-lib's 'Bundling asset <path>...' lines and calls their write callbacks", async () => {
    const { stream, text } = collector();
    dropBundlingNotices(stream);
    const called = new Promise<void>((resolve) =>
      stream.write('Bundling asset EcsCanary-demo/CanaryService/RolloutEngine/Tick/Code/Stage...\n', () => resolve()),
    );
    await called;
    stream.write('Bundling asset EcsCanary-demo/X/Code/Stage...\n');
    expect(text()).toBe('');
  });

  it('passes every other write unchanged: esbuild warnings, configuration errors, buffers, near misses', () => {
    const { stream, text } = collector();
    dropBundlingNotices(stream);
    const lines = [
      '▲ [WARNING] "import.meta" is not available in the configured target environment\n',
      'services/orders.yaml: image: got 303 characters; accepted: at most 255\n',
      'Bundling asset EcsCanary-demo/X/Code/Stage... failed\n',
      'note: Bundling asset EcsCanary-demo/X/Code/Stage...\n',
    ];
    for (const line of lines) stream.write(line);
    stream.write(Buffer.from('a buffer\n'));
    expect(text()).toBe(`${lines.join('')}a buffer\n`);
  });
});
