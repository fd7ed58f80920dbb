#!/usr/bin/env bash
# Configures the web app after the infrastructure deployment.
set -euo pipefail

RG="${RG:-contoso-rg}"
APP="${APP:-contoso-web}"

# Planted: HTTPS-only turned off, and an old TLS / plain FTP / remote debugging on the same command.
az webapp update --resource-group "$RG" --name "$APP" --https-only false
az webapp config set --resource-group "$RG" --name "$APP" \
  --min-tls-version 1.0 \
  --ftps-state AllAllowed \
  --remote-debugging-enabled=true

# Not findings: a value only known at run time, a comment, an echoed hint, the secure value.
az webapp config set -g "$RG" -n "$APP" --http20-enabled "$HTTP2"
# az webapp update --https-only false
echo "to undo: az webapp update --https-only false"
az webapp update -g "$RG" -n "$APP" --https-only true
