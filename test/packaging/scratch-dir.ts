/**
 * Where the packaging test packs, installs and synthesizes: a memory file system when the machine has
 * one that can hold it and run programs from it, else the system's temporary directory. Writing the
 * ~260 MB an install unpacks costs up to twice the CPU on a disk (measured on ext4: `npm ci` 12-17
 * CPU-s on disk, 8-11 in memory, mostly system time); what is installed and run is the same.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';

/** Room for the copy of the sources, the tarball, the app's node_modules and its cdk.out, with margin. */
const NEEDED_BYTES = 1024 ** 3;

/** The mount options of the file system mounted at `dir`, from /proc/mounts (Linux); undefined elsewhere. */
function mountOptions(dir: string, mounts: string): string[] | undefined {
  const line = mounts.split('\n').find((entry) => entry.split(' ')[1] === dir);
  return line?.split(' ')[3]?.split(',');
}

/**
 * `memoryDir` (/dev/shm) when it is a tmpfs mount without `noexec` (esbuild's binary runs from the
 * install) with at least 1 GiB free; `os.tmpdir()` otherwise (Docker's default /dev/shm is 64 MB, noexec).
 */
export function scratchParent(memoryDir = '/dev/shm', readMounts = () => fs.readFileSync('/proc/mounts', 'utf8')): string {
  try {
    const options = mountOptions(memoryDir, readMounts());
    if (!options || options.includes('noexec') || !options.includes('rw')) return os.tmpdir();
    const stats = fs.statfsSync(memoryDir);
    if (stats.bavail * stats.bsize < NEEDED_BYTES) return os.tmpdir();
    fs.accessSync(memoryDir, fs.constants.W_OK);
    return memoryDir;
  } catch {
    return os.tmpdir();
  }
}
