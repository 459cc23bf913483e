/** Locates the scarb and starknet-devnet binaries (PATH or SCARB_BIN / STARKNET_DEVNET_BIN). Never downloads. */
import { accessSync, constants } from 'node:fs';
import { delimiter, join } from 'node:path';

function onPath(name: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(delimiter)) {
    if (!dir) continue;
    const candidate = join(dir, name);
    try {
      accessSync(candidate, constants.X_OK);
      return candidate;
    } catch {
      // not here
    }
  }
  return undefined;
}

export interface StarknetToolchain {
  scarb?: string;
  devnet?: string;
  /** Human-readable names of what is missing, empty when both are present. */
  missing: string[];
}

export function findStarknetToolchain(): StarknetToolchain {
  const scarb = process.env.SCARB_BIN ?? onPath('scarb');
  const devnet = process.env.STARKNET_DEVNET_BIN ?? onPath('starknet-devnet');
  const missing: string[] = [];
  if (!scarb) missing.push('scarb (or SCARB_BIN)');
  if (!devnet) missing.push('starknet-devnet (or STARKNET_DEVNET_BIN)');
  return { ...(scarb ? { scarb } : {}), ...(devnet ? { devnet } : {}), missing };
}
