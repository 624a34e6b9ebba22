import { closeSync, fdatasync, fsyncSync, openSync, write } from 'node:fs';

/**
 * The log and snapshots hold every object, Secrets and tokens included: owner-only, as etcd keeps
 * its data directory (0700) and files (0600), whatever the process umask.
 */
export const DATA_DIR_MODE = 0o700;
export const DATA_FILE_MODE = 0o600;

/** Makes a directory's entries (files created, renamed or removed in it) durable. */
export function fsyncDirectory(dir: string): void {
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

export function writeFully(fd: number, buf: Buffer): Promise<void> {
  return new Promise((resolve, reject) => {
    const step = (offset: number) => {
      write(fd, buf, offset, buf.length - offset, null, (err, written) => {
        if (err) reject(err);
        else if (offset + written < buf.length) step(offset + written);
        else resolve();
      });
    };
    step(0);
  });
}

export function dataSync(fd: number): Promise<void> {
  return new Promise((resolve, reject) => fdatasync(fd, (err) => (err ? reject(err) : resolve())));
}
