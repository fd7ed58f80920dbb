// What the storage account rules share: which resources are storage accounts, and whether an entry is one of the
// account's own settings (ARM/Bicep `properties.<key>`, a top-level Terraform argument). Only values written in
// the file are judged: current API versions and azurerm default to the secure value, so a missing property is not
// a finding (except shared key access, see ./sharedKey.ts).

import { grandParentOf, type EntryCtx, type ResourceInfo } from '../appservice/context';

const ARM_STORAGE = /^microsoft\.storage\/storageaccounts$/i;
const TF_STORAGE = 'azurerm_storage_account';

/** Whether the resource is a storage account, and in which syntax (classifyResources marks only sites as Terraform). */
export function accountKind(r: ResourceInfo | undefined): 'arm' | 'terraform' | undefined {
  if (!r) return undefined;
  if (r.block.type === TF_STORAGE) return 'terraform';
  return ARM_STORAGE.test(r.block.type) ? 'arm' : undefined;
}

/** The entry is a setting of a storage account: `properties.<key>` (ARM/Bicep) or a top-level argument (Terraform). */
export function isAccountSetting(c: EntryCtx): boolean {
  const kind = accountKind(c.res);
  if (kind === 'terraform') return grandParentOf(c) === TF_STORAGE;
  return kind === 'arm' && c.parent === 'properties';
}
