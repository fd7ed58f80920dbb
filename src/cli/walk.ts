import * as fs from 'node:fs';
import * as path from 'node:path';

const SKIP_DIRS = new Set(['.git', 'node_modules', '.hg', '.svn']);

export interface WalkEntry {
  /** Absolute path. */
  abs: string;
  /** Path relative to the root, '/' separated. */
  rel: string;
  /** Known only for a file given as the root; the read learns the others' sizes from the descriptor (one stat per file). */
  size?: number;
}

/**
 * Every regular file under `root`, dotfiles and dot-folders included (.env, .github/), skipping VCS
 * folders and node_modules. Symlinks are not followed, so a scan cannot leave the tree it was given.
 */
export function* walk(root: string, onError: (p: string, e: unknown) => void): Generator<WalkEntry> {
  const stat = fs.lstatSync(root);
  if (stat.isFile()) {
    yield { abs: root, rel: path.basename(root), size: stat.size };
    return;
  }
  // Each folder with its path relative to the root ('' for the root): a file's rel is built by concatenation,
  // and its abs is what path.join(root, rel) gives (the root normalised once, then names without separators).
  const stack: [string, string][] = [[root, '']];
  while (stack.length) {
    const [dir, relDir] = stack.pop()!;
    let entries: fs.Dirent[];
    try {
      entries = fs.readdirSync(dir, { withFileTypes: true });
    } catch (e) {
      onError(dir, e);
      continue;
    }
    entries.sort((a, b) => (a.name < b.name ? 1 : a.name > b.name ? -1 : 0));
    for (const ent of entries) {
      const abs = relDir === '' ? path.join(dir, ent.name) : dir + path.sep + ent.name;
      const rel = relDir === '' ? ent.name : relDir + '/' + ent.name;
      if (ent.isDirectory()) {
        if (!SKIP_DIRS.has(ent.name)) stack.push([abs, rel]);
      } else if (ent.isFile()) {
        yield { abs, rel };
      }
    }
  }
}
