// What to do with a secret found in plain text depends on who reads the file: a GitHub workflow gets its
// secrets from GitHub, a pipeline from its secret variables, App Service settings and templates from a Key
// Vault reference, code and .env files from the environment at run time. One place says which.
import { baseName } from './fileKind';
import type { FileKind } from './model';

/** Where a secret found in this file should live instead, as the end of "… in plain text: <remedy>". */
export function secretRemedy(kind: FileKind, path: string, text = ''): string {
  const p = path.replace(/\\/g, '/').toLowerCase();
  const name = baseName(p);
  if (kind === 'yaml') {
    if (p.includes('.github/workflows/') || p.startsWith('github/workflows/')) {
      return 'store it as a GitHub Actions secret (a repository or environment secret) and use ${{ secrets.NAME }}; to sign in to Azure, prefer azure/login with OpenID Connect to a stored key.';
    }
    if (/^azure-pipelines[\w.-]*\.ya?ml$/.test(name) || p.includes('.azure-pipelines/') || p.includes('.azuredevops/')) {
      return 'make it a secret pipeline variable (or a variable group linked to Azure Key Vault) and use $(NAME); to reach Azure, prefer a service connection with workload identity federation.';
    }
    if (name === '.gitlab-ci.yml') return 'make it a masked, protected CI/CD variable; to reach Azure, prefer OpenID Connect to a stored key.';
    if (looksLikeKubernetes(text)) {
      return 'move it to Azure Key Vault and mount it with the Secrets Store CSI driver (Azure Key Vault provider) and workload identity, not in the manifest.';
    }
  }
  // An ASP.NET Core Data Protection key ring (key-<guid>.xml) is read by the app's Data Protection stack, not through
  // a setting: no reference can stand in for it.
  if (kind === 'xml' && text.slice(0, KUBERNETES_HEAD_BYTES).includes('Microsoft.AspNetCore.DataProtection')) {
    return 'remove the key ring from source control, and let the app keep its keys in Azure Blob Storage protected by a Key Vault key (PersistKeysToAzureBlobStorage and ProtectKeysWithAzureKeyVault, with a managed identity); treat what the committed key protected (cookies, antiforgery and reset tokens) as exposed.';
  }
  switch (kind) {
    case 'env':
      return 'move it to Azure Key Vault and read it from the environment at run time (in App Service, an app setting with @Microsoft.KeyVault(...)); keep local values in an untracked file or a secret store.';
    case 'code':
      return 'move it to Azure Key Vault and read it at run time, from an environment variable (an App Service Key Vault reference) or with the Key Vault SDK and a managed identity.';
    case 'appsettings':
      return 'move it to Azure Key Vault and load it at run time (the Key Vault configuration provider with a managed identity, or an App Service setting with @Microsoft.KeyVault(...)); use dotnet user-secrets locally.';
    case 'local-settings':
      return 'keep local.settings.json out of source control; in Azure, set it as an app setting with @Microsoft.KeyVault(...) (or use a managed identity).';
    case 'arm-parameters':
      return 'move it to Azure Key Vault and pass it with a Key Vault reference in the parameter file ("reference": { "keyVault": ... }) to a securestring parameter.';
    case 'bicep':
    case 'bicepparam':
      return 'move it to Azure Key Vault and pass it to a @secure() parameter with getSecret(); in app settings, reference it (@Microsoft.KeyVault(...) or a managed identity).';
    case 'terraform':
      return 'move it to Azure Key Vault and read it with the azurerm_key_vault_secret data source (or a sensitive variable); in app settings, reference it (@Microsoft.KeyVault(...) or a managed identity).';
    default:
      // App Service settings, ARM templates, web.config, other JSON and YAML: what App Service reads.
      return 'move it to Azure Key Vault and reference it (@Microsoft.KeyVault(...) or a managed identity).';
  }
}

const KUBERNETES_HEAD_BYTES = 4096;

function looksLikeKubernetes(text: string): boolean {
  const head = text.slice(0, KUBERNETES_HEAD_BYTES);
  return /^apiVersion:[ \t]*\S/m.test(head) && /^kind:[ \t]*[A-Z]/m.test(head);
}
