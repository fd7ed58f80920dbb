import * as fs from 'node:fs';
import * as path from 'node:path';

/** Why a repository file was not read: a phrase without the file name ("is not a regular file"), never its content. */
export class RepoFileError extends Error {
  constructor(
    message: string,
    readonly reason: 'outside' | 'not-regular' | 'too-large' | 'unreadable',
    /** too-large: the size the descriptor reported, when it did. */
    readonly size?: number,
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
  maxBytes: number;
  /** The repository named this file (config, baseline): its real path must lie inside this folder. */
  root?: string;
  /**
   * No link as the last component and nothing but a regular file (implied by root). Enough for files the walk
   * found: it saw a regular file and followed no link on the way there.
   */
  regularOnly?: boolean;
}

/**
 * Read a file that the scanned repository chose (its config, the baseline it names, the files it contains):
 * the real path must lie inside `root`, it must be a regular file (not /dev/zero, a FIFO or a socket) no
 * larger than `maxBytes`, and it is read through the descriptor that was checked, so swapping the file for a
 * symlink between the check and the read changes nothing. For a path the user typed (no root, not
 * regularOnly) only the size cap applies.
 */
export function readRepoFile(file: string, opts: RepoReadOptions): Buffer {
  return withCheckedFile(file, opts, (fd, regularSize) => readCapped(fd, opts.maxBytes, regularSize));
}

/**
 * Open `file` under the rules of readRepoFile and hand the checked descriptor to `read` with the file's size
 * (undefined when it is not a regular file); the descriptor is closed afterwards.
 */
export function withCheckedFile<T>(file: string, opts: RepoReadOptions, read: (fd: number, regularSize: number | undefined) => T): T {
  let target = path.resolve(file);
  let flags = fs.constants.O_RDONLY;
  const realRoot = opts.root === undefined ? undefined : realpath(opts.root);
  const regularOnly = realRoot !== undefined || opts.regularOnly === true;
  if (realRoot !== undefined) {
    target = realpath(target);
    if (!isInside(target, realRoot)) throw new RepoFileError(`points outside ${opts.root} through a symbolic link`, 'outside');
  }
  // O_NOFOLLOW: a link as the last component now is a swap since the check; O_NONBLOCK: a FIFO does not hang open().
  if (regularOnly) flags |= O_NOFOLLOW | O_NONBLOCK;
  let fd: number;
  try {
    fd = fs.openSync(target, flags);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ELOOP') throw new RepoFileError('was replaced by a symbolic link while being read', 'outside');
    throw unreadable(e);
  }
  try {
    const stat = fs.fstatSync(fd);
    if (regularOnly && !stat.isFile()) throw new RepoFileError('is not a regular file', 'not-regular');
    if (realRoot !== undefined) {
      const opened = openedPath(fd);
      if (opened !== undefined && !isInside(opened, realRoot)) throw new RepoFileError(`points outside ${opts.root} through a symbolic link`, 'outside');
    }
    if (stat.isFile() && stat.size > opts.maxBytes) throw tooLarge(opts.maxBytes, stat.size);
    return read(fd, stat.isFile() ? stat.size : undefined);
  } finally {
    fs.closeSync(fd);
  }
}

/** Read up to `length` bytes at `offset` of `buf` (fewer at the end of the file); the count read. */
export function readFully(fd: number, buf: Uint8Array, offset: number, length: number): number {
  let total = 0;
  while (total < length) {
    const n = readOrThrow(fd, buf, offset + total, length - total);
    if (n === 0) break; // shrank since fstat
    total += n;
  }
  return total;
}

/**
 * A regular file: the size fstat gave (already under the cap), like readFileSync. Anything else (a pipe the
 * user named): at most maxBytes + 1 bytes, so a device or an endless stream cannot exhaust memory.
 */
function readCapped(fd: number, maxBytes: number, regularSize: number | undefined): Buffer {
  if (regularSize !== undefined) {
    const buf = Buffer.allocUnsafe(regularSize);
    return buf.subarray(0, readFully(fd, buf, 0, regularSize));
  }
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(64 * 1024, maxBytes + 1 - total));
    const n = readOrThrow(fd, chunk, 0, chunk.length);
    if (n === 0) break;
    total += n;
    if (total > maxBytes) throw tooLarge(maxBytes);
    chunks.push(chunk.subarray(0, n));
  }
  return Buffer.concat(chunks, total);
}

function readOrThrow(fd: number, buf: Uint8Array, offset: number, length: number): number {
  try {
    return fs.readSync(fd, buf, offset, length, null);
  } catch (e) {
    throw unreadable(e);
  }
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

function tooLarge(maxBytes: number, size?: number): RepoFileError {
  return new RepoFileError(`is larger than ${formatSize(maxBytes)}`, 'too-large', size);
}

function unreadable(e: unknown): RepoFileError {
  const err = e as NodeJS.ErrnoException;
  const why = err.code === 'ENOENT' ? 'no such file or directory' : err.code === 'EACCES' ? 'permission denied' : err.code === 'EISDIR' ? 'is a directory' : (err.message ?? String(e));
  return new RepoFileError(why, 'unreadable');
}

function formatSize(bytes: number): string {
  return bytes >= 1024 * 1024 ? `${Math.round(bytes / (1024 * 1024))} MB` : `${Math.round(bytes / 1024)} KB`;
}
