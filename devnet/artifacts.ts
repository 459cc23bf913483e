/**
 * Reads scarb's Starknet artifacts (target/dev/<package>_<Contract>.contract_class.json and
 * .compiled_contract_class.json) for starknet.js `declare({ contract, casm })`.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CairoAssembly, CompiledSierra } from 'starknet';

/** Scarb package name in contracts/Scarb.toml; artifact files are prefixed with it. */
export const SCARB_PACKAGE = 'flash_arb';

export class ArtifactsMissingError extends Error {
  constructor(readonly path: string) {
    super(`Starknet artifact not found: ${path}. Run \`scarb build\` at the repository root first.`);
    this.name = 'ArtifactsMissingError';
  }
}

export interface ContractArtifacts {
  sierra: CompiledSierra;
  casm: CairoAssembly;
}

export function readContractArtifacts(artifactsDir: string, contract: string): ContractArtifacts {
  const base = join(artifactsDir, `${SCARB_PACKAGE}_${contract}`);
  const sierraPath = `${base}.contract_class.json`;
  const casmPath = `${base}.compiled_contract_class.json`;
  for (const p of [sierraPath, casmPath]) if (!existsSync(p)) throw new ArtifactsMissingError(p);
  return {
    sierra: JSON.parse(readFileSync(sierraPath, 'utf8')) as CompiledSierra,
    casm: JSON.parse(readFileSync(casmPath, 'utf8')) as CairoAssembly,
  };
}
