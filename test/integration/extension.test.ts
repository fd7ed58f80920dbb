import * as assert from 'assert';
import * as vscode from 'vscode';
import { EXTENSION_ID, activateExtension, expectedHost, hasNodeRuntime, reportMetric } from './helpers';

describe('extension', () => {
  it('is present and activates', async () => {
    assert.ok(vscode.extensions.getExtension(EXTENSION_ID), `${EXTENSION_ID} not found`);
    const ext = await activateExtension();
    assert.strictEqual(ext.isActive, true);
    const exported = ext.exports as { isAzureLoaded?: () => boolean } | undefined;
    if (typeof exported?.isAzureLoaded === 'function') assert.strictEqual(exported.isAzureLoaded(), false, 'the Azure SDK bundle must not be loaded at activation');
    const ms = ext.exports?.activationMs;
    if (ms !== undefined) {
      assert.ok(typeof ms === 'number' && Number.isFinite(ms) && ms >= 0, `activationMs is not a duration: ${String(ms)}`);
      reportMetric(`activationMs.${expectedHost}`, ms);
    }
  });

  it(`runs in the ${expectedHost} extension host`, async () => {
    const ext = await activateExtension();
    if (expectedHost === 'node') {
      assert.ok(hasNodeRuntime(), 'expected process.versions.node in the Node extension host');
      assert.strictEqual(ext.extensionKind, vscode.ExtensionKind.Workspace);
    } else {
      assert.strictEqual(hasNodeRuntime(), false, 'expected no `process` in the web-worker extension host');
    }
    // The entry point that loaded says which host it was built for (main vs browser).
    if (ext.exports?.platform !== undefined) assert.strictEqual(ext.exports.platform, expectedHost);
  });
});
