import * as vscode from 'vscode';
import { maskText } from '../../core/mask';
import { parseKeyVaultReference } from '../../core/references/keyVault';
import { portalFor, referenceAt } from '../../core/references/locate';

/** Hover on a Key Vault reference: which vault and secret, whether it is well formed, a portal link. */
export class KeyVaultReferenceHover implements vscode.HoverProvider {
  provideHover(doc: vscode.TextDocument, position: vscode.Position): vscode.Hover | undefined {
    const line = doc.lineAt(position.line).text;
    if (line.length > 20_000 || !line.includes('@Microsoft.KeyVault(')) return undefined;
    const found = referenceAt(line, position.character);
    if (!found) return undefined;
    const ref = parseKeyVaultReference(found.text);
    const md = new vscode.MarkdownString(undefined, true);
    md.isTrusted = false;
    md.appendMarkdown('**$(key) Key Vault reference**\n\n');
    if ('error' in ref) {
      // The error is in our own words; masked all the same, since the reference may be a pasted secret.
      md.appendMarkdown(`$(warning) Malformed: ${escape(maskText(ref.error))}. App Service passes the literal text to the app.\n`);
    } else {
      md.appendMarkdown(`| | |\n|---|---|\n| Vault | \`${ref.vault}\` (${ref.host}) |\n| Secret | \`${ref.secretName}\` |\n`);
      md.appendMarkdown(
        ref.version
          ? `| Version | \`${ref.version}\` — pinned: rotating the secret needs a change here |\n`
          : '| Version | latest — App Service picks up a rotated secret within 24 hours |\n',
      );
      const portal = `${portalFor(ref.host)}/#browse/Microsoft.KeyVault%2Fvaults`;
      md.appendMarkdown(`\n[Open Key Vaults in the Azure portal](${portal}) and look for \`${ref.vault}\`.`);
    }
    return new vscode.Hover(md, new vscode.Range(position.line, found.start, position.line, found.end));
  }
}

function escape(s: string): string {
  return s.replace(/[\\`*_{}[\]()#+\-.!|<>]/g, '\\$&');
}
