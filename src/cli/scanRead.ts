// Reading one file the walk found, for a tree scan, with as little work as the result allows: binary files are
// read only as far as the first read (64 KiB, which holds the sniff window that decides them), and text files no
// rule can report on (the byte prefilter, src/core/prefilter.ts) are never decoded. All reads go into one buffer
// per thread, reused.
import { isAscii } from 'node:buffer';
import { decodeBytes, sniffSample, SNIFF_SAMPLE_BYTES } from '../core/binary';
import type { BytePrefilter } from '../core/prefilter';
import { readFully, withCheckedFile } from './repoFile';

/** Text to scan; text undefined: a UTF-8 text file that holds nothing a rule could report. Or why it was skipped. */
export type ScanRead = { bytes: number; text: string | undefined } | { skipped: string };

let scratch = Buffer.allocUnsafe(64 * 1024);

function scratchOf(size: number): Buffer {
  if (scratch.length < size) scratch = Buffer.allocUnsafe(Math.max(size, scratch.length * 2));
  return scratch;
}

/**
 * Read a walked file (a regular file, through the checked descriptor: see readRepoFile) and decode it as
 * decodeBytes does. Throws RepoFileError as readRepoFile does (too large, unreadable, swapped).
 */
export function readForScan(abs: string, rel: string, maxBytes: number, prefilter: BytePrefilter | undefined): ScanRead {
  return withCheckedFile(abs, { regularOnly: true, maxBytes }, (fd, size) => {
    // regularOnly: withCheckedFile has refused anything but a regular file, whose size it passes.
    const expected = size ?? 0;
    const buf = scratchOf(expected);
    // Most source files fit the first read (one read call instead of two); a binary file is read only this far.
    const head = readFully(fd, buf, 0, Math.min(expected, FIRST_READ_BYTES));
    const sniff = sniffSample(buf.subarray(0, Math.min(head, SNIFF_SAMPLE_BYTES)));
    if (typeof sniff === 'object') return sniff;
    const total = head < expected && head === FIRST_READ_BYTES ? head + readFully(fd, buf, head, expected - head) : head;
    const bytes = buf.subarray(0, total);
    // UTF-8 without a BOM (what decodeBytes decodes with TextDecoder) that is all ASCII reads the same one
    // character per byte: latin1 makes that string faster than the UTF-8 decoder, and the prefilter reads slices of it.
    const ascii = sniff === 'utf-8' && isAscii(bytes) ? bytes.toString('latin1') : undefined;
    const latin1 = ascii === undefined ? (s: number, e: number) => bytes.toString('latin1', s, e) : (s: number, e: number) => ascii.slice(s, e);
    if (sniff === 'utf-8' && prefilter && !prefilter.mayReport(rel, total, latin1)) return { bytes: total, text: undefined };
    if (ascii !== undefined) return { bytes: total, text: ascii };
    const decoded = decodeBytes(bytes);
    return 'skipped' in decoded ? decoded : { bytes: total, text: decoded.text };
  });
}

/** The first read of a file: the binary sniff window and, for most source files, the whole file. */
const FIRST_READ_BYTES = 64 * 1024;
