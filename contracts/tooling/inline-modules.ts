/**
 * Flattens a Scarb package into the single source string wasm-cairo compiles (its crate is one
 * file, `astro`). Every `mod x;` declaration is replaced by `mod x { <file contents> }`, following
 * Cairo's file rules: a child of `src/lib.cairo` lives in `src/x.cairo`; a child of
 * `src/a.cairo` lives in `src/a/x.cairo`. Attributes (`#[cfg(test)]`) and visibility stay on the
 * declaration line, so the inlined crate has the same module tree and paths as under scarb.
 *
 * `crate::` paths keep working because the inlined modules sit at the same depth.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, basename } from 'node:path';

/** A `mod name;` declaration at the start of a line (after attributes/visibility on that line). */
const MOD_DECLARATION = /^([ \t]*(?:#\[[^\]]*\][ \t]*)*(?:pub(?:\([^)]*\))?[ \t]+)?)mod[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*;/gm;

export class CairoModuleNotFoundError extends Error {
  constructor(readonly module: string, readonly expectedPath: string, readonly declaredIn: string) {
    super(`Cairo module \`${module}\` declared in ${declaredIn} has no file: expected ${expectedPath}`);
    this.name = 'CairoModuleNotFoundError';
  }
}

export interface InlinedCrate {
  /** The whole crate as one source string. */
  source: string;
  /** Files read, in inlining order (lib.cairo first); useful to name what a failure touched. */
  files: string[];
}

/** Inlines the crate rooted at `libFile` (normally `contracts/src/lib.cairo`). */
export function inlineCairoCrate(libFile: string): InlinedCrate {
  const files: string[] = [];
  const source = inlineFile(libFile, dirname(libFile), files);
  return { source, files };
}

/** `childDir`: where this file's `mod x;` children live. */
function inlineFile(file: string, childDir: string, files: string[]): string {
  files.push(file);
  const text = readFileSync(file, 'utf8');
  return text.replace(MOD_DECLARATION, (_whole, prefix: string, name: string) => {
    const childFile = join(childDir, `${name}.cairo`);
    if (!existsSync(childFile)) throw new CairoModuleNotFoundError(name, childFile, file);
    const body = inlineFile(childFile, join(childDir, name), files);
    return `${prefix}mod ${name} {\n${body}\n}`;
  });
}

/** Module file → directory that holds its children (`src/lib.cairo` → `src`, `src/a.cairo` → `src/a`). */
export function childDirectoryOf(file: string): string {
  const stem = basename(file, '.cairo');
  return stem === 'lib' ? dirname(file) : join(dirname(file), stem);
}
