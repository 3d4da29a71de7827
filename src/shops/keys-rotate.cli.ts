/**
 * `npm run keys:rotate`: re-seals every shop credential under the active master key (KEFU_MASTER_KEY)
 * while the old keys are still listed in KEFU_PREVIOUS_MASTER_KEYS. Shops keep working throughout:
 * every row opens under either key. Once it reports nothing left under an old key, drop that key.
 */
import 'reflect-metadata';
import { SecretBox } from '../common/crypto/secret-box.js';
import { loadConfig } from '../config/config.loader.js';
import { createDataSource } from '../database/data-source.factory.js';
import { rotateMasterKey } from './master-key.rotation.js';

async function main(): Promise<void> {
  const config = loadConfig({ argv: process.argv });
  const box = new SecretBox({ active: config.security.masterKey, previous: config.security.previousKeys });
  const ds = await createDataSource(config.database).initialize();
  try {
    const r = await rotateMasterKey(ds, box);
    process.stdout.write(`${r.resealed} of ${r.total} shop credential rows re-sealed under key "${r.activeKeyId}"\n`);
  } finally {
    await ds.destroy();
  }
}

main().catch((err: unknown) => {
  // Messages from SecretBox name key ids only, never key material or plaintext.
  process.stderr.write(`keys:rotate failed: ${err instanceof Error ? err.message : String(err)}\n`);
  process.exit(1);
});
