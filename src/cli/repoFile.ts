import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a repository file was not read: a phrase without the file name ("is not a regular file"), never its content. */
export class RepoFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'outside' | 'not-regular' | 'too-large' | 'unreadable',
  ) {
    super(message);
  }
}

// Not on Windows: there symlinks need privileges to create and FIFOs do not exist in the file system.
const O_NOFOLLOW = fs.constants.O_NOFOLLOW ?? 0;
const O_NONBLOCK = fs.constants.O_NONBLOCK ?? 0;

/** True when `target` is `base` or below it (both absolute). */
export function isInside(target: string, base: string): boolean {
  const back = path.relative(base, target);
  return back === '' || (!back.startsWith('..') && !path.isAbsolute(back));
}

export interface RepoReadOptions {
  /** The folder the file must stay in, after every symlink is resolved. Omit for a path the user gave. */
  root?: string;
  maxBytes: number;
}

/**
 * Read a file that the scanned repository chose (its config, the baseline it names, the files it contains):
 * the real path must lie inside `root`, it must be a regular file (not /dev/zero, a FIFO or a socket) no
 * larger than `maxBytes`, and it is read through the descriptor that was checked, so swapping the file for a
 * symlink between the check and the read changes nothing. Without `root` (a path the user typed) only the
 * size cap applies.
 */
export function readRepoFile(file: string, opts: RepoReadOptions): Buffer {
  let target = path.resolve(file);
  let flags = fs.constants.O_RDONLY;
  if (opts.root !== undefined) {
    const realRoot = realpath(opts.root);
    target = realpath(target);
    if (!isInside(target, realRoot)) throw new RepoFileError(`points outside ${opts.root} through a symbolic link`, 'outside');
    // O_NOFOLLOW: the real path has no link left, so a link there now is a swap; O_NONBLOCK: a FIFO does not hang open().
    flags |= O_NOFOLLOW | O_NONBLOCK;
  }
  let fd: number;
  try {
    fd = fs.openSync(target, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new RepoFileError('was replaced by a symbolic link while being read', 'outside');
    throw unreadable(e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (opts.root !== undefined) {
      if (!stat.isFile()) throw new RepoFileError('is not a regular file', 'not-regular');
      const opened = openedPath(fd);
      if (opened !== undefined && !isInside(opened, realpath(opts.root))) throw new RepoFileError(`points outside ${opts.root} through a symbolic link`, 'outside');
    }
    if (stat.isFile() && stat.size > opts.maxBytes) throw tooLarge(opts.maxBytes);
    return readCapped(fd, opts.maxBytes);
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads at most maxBytes + 1 so a file that grows after fstat (or a device) cannot exhaust memory. */
function readCapped(fd: number, maxBytes: number): Buffer {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    let n: number;
    try {
      n = fs.readSync(fd, chunk, 0, chunk.length, null);
    } catch (e) {
      throw unreadable(e);
    }
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

/** On Linux the kernel says which file a descriptor really is: this catches a parent folder swapped for a link. */
function openedPath(fd: number): string | undefined {
  try {
    return fs.readlinkSync(`/proc/self/fd/${fd}`);
  } catch {
    return undefined;
  }
}

function realpath(p: string): string {
  try {
    return fs.realpathSync.native(p);
  } catch (e) {
    throw unreadable(e);
  }
}

function tooLarge(maxBytes: number): RepoFileError {
  return new RepoFileError(`is larger than ${formatSize(maxBytes)}`, 'too-large');
}

function unreadable(e: unknown): RepoFileError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : (err.message ?? String(e));
  return new RepoFileError(why, 'unreadable');
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
