import { KEY_VAULT_REFERENCE_PREFIX } from './keyVault';

/**
 * The Key Vault reference text around `column` in a line, if any: from "@Microsoft.KeyVault(" to its
 * closing parenthesis (or the end of the quoted value when it is unclosed).
 */
export function referenceAt(line: string, column: number): { start: number; end: number; text: string } | undefined {
  let from = 0;
  for (;;) {
    const start = line.indexOf(KEY_VAULT_REFERENCE_PREFIX, from);
    if (start === -1 || start > column) return undefined;
    const close = line.indexOf(')', start);
    let end = close === -1 ? stopAt(line, start) : close + 1;
    const quote = stopAt(line, start);
    if (close !== -1 && quote < close) end = quote;
    if (column <= end) return { start, end, text: line.slice(start, end) };
    from = end;
  }
}

/** The end of the value: a quote, '<', whitespace or the end of the line. */
function stopAt(line: string, start: number): number {
  for (let i = start; i < line.length; i++) {
    const c = line[i];
    if (c === '"' || c === "'" || c === '`' || c === '<' || c === ' ' || c === '\t') return i;
  }
  return line.length;
}

/** The Azure portal for the cloud of a Key Vault host. */
export function portalFor(host: string): string {
  const h = host.toLowerCase();
  if (h.endsWith('.vault.azure.cn')) return 'https://portal.azure.cn';
  if (h.endsWith('.vault.usgovcloudapi.net')) return 'https://portal.azure.us';
  return 'https://portal.azure.com';
}
