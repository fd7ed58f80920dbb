/** A NUL byte in the first 8 KB marks a binary file (the heuristic git and ripgrep use). */
export function isProbablyBinary(bytes: Uint8Array): boolean {
  const n = Math.min(bytes.length, 8192);
  for (let i = 0; i < n; i++) if (bytes[i] === 0) return true;
  return false;
}
