/** Where the packaging test works: a memory file system only when it can install and run there. */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';

import { scratchParent } from './scratch-dir';

describe('scratchParent', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ecs-canary-scratch-'));
  const mounts = (options: string) => `proc /proc proc rw 0 0\ntmpfs ${dir} tmpfs ${options} 0 0\n`;

  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('takes a writable mount with room and without noexec', () => {
    expect(scratchParent(dir, () => mounts('rw,relatime'))).toBe(dir);
  });

  it.each([
    ['mounted noexec (Docker’s default /dev/shm)', mounts('rw,nosuid,nodev,noexec,relatime,size=65536k')],
    ['mounted read-only', mounts('ro,relatime')],
    ['not a mount point', 'proc /proc proc rw 0 0\n'],
  ])('falls back to the temporary directory when it is %s', (_case, table) => {
    expect(scratchParent(dir, () => table)).toBe(os.tmpdir());
  });

  it('falls back when the mount table cannot be read (not Linux) or the directory is missing', () => {
    expect(
      scratchParent(dir, () => {
        throw new Error('ENOENT: /proc/mounts');
      }),
    ).toBe(os.tmpdir());
    const missing = path.join(dir, 'missing');
    expect(scratchParent(missing, () => `tmpfs ${missing} tmpfs rw 0 0\n`)).toBe(os.tmpdir());
  });
});
