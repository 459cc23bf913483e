/**
 * Flattens a Scarb package into the single source string wasm-cairo compiles (its crate is one
 * file, `astro`). Every `mod x;` declaration is replaced by `mod x { <file contents> }`, following
 * Cairo's file rules: a child of `src/lib.cairo` lives in `src/x.cairo`; a child of
 * `src/a.cairo` lives in `src/a/x.cairo`. Attributes (`#[cfg(test)]`) and visibility stay on the
 * declaration line, so the inlined crate has the same module tree (and `crate::` paths) as under
 * scarb. A line map turns a position in the flat source back into file:line for diagnostics.
 */
import { readFileSync, existsSync } from 'node:fs';
import { join, dirname, basename, relative } from 'node:path';

/** A whole-line `mod name;` declaration, optionally after attributes and visibility. */
const MOD_DECLARATION = /^([ \t]*(?:#\[[^\]]*\][ \t]*)*(?:pub(?:\([^)]*\))?[ \t]+)?)mod[ \t]+([A-Za-z_][A-Za-z0-9_]*)[ \t]*;[ \t]*(\/\/.*)?$/;

export class CairoModuleNotFoundError extends Error {
  constructor(readonly module: string, readonly expectedPath: string, readonly declaredIn: string) {
    super(`Cairo module \`${module}\` declared in ${declaredIn} has no file: expected ${expectedPath}`);
    this.name = 'CairoModuleNotFoundError';
  }
}

export interface SourceOrigin {
  file: string;
  /** 1-based line in `file`. */
  line: number;
}

export interface InlinedCrate {
  /** The whole crate as one source string. */
  source: string;
  /** Files read, in inlining order (lib.cairo first). */
  files: string[];
  /** origins[i] is where line i+1 of `source` came from. */
  origins: SourceOrigin[];
}

/** Inlines the crate rooted at `libFile` (normally `contracts/src/lib.cairo`). */
export function inlineCairoCrate(libFile: string): InlinedCrate {
  const files: string[] = [];
  const lines: string[] = [];
  const origins: SourceOrigin[] = [];
  inlineFile(libFile, childDirectoryOf(libFile), files, lines, origins);
  return { source: lines.join('\n') + '\n', files, origins };
}

function inlineFile(
  file: string,
  childDir: string,
  files: string[],
  lines: string[],
  origins: SourceOrigin[],
): void {
  files.push(file);
  const text = readFileSync(file, 'utf8').replace(/\r\n/g, '\n');
  text.split('\n').forEach((line, index) => {
    const origin = { file, line: index + 1 };
    const decl = MOD_DECLARATION.exec(line);
    if (!decl) {
      lines.push(line);
      origins.push(origin);
      return;
    }
    const [, prefix = '', name = ''] = decl;
    const childFile = join(childDir, `${name}.cairo`);
    if (!existsSync(childFile)) throw new CairoModuleNotFoundError(name, childFile, file);
    lines.push(`${prefix}mod ${name} {`);
    origins.push(origin);
    inlineFile(childFile, join(childDir, name), files, lines, origins);
    lines.push('}');
    origins.push(origin);
  });
}

/** Module file -> directory holding its children (`src/lib.cairo` -> `src`, `src/a.cairo` -> `src/a`). */
export function childDirectoryOf(file: string): string {
  const stem = basename(file, '.cairo');
  return stem === 'lib' ? dirname(file) : join(dirname(file), stem);
}

/** Rewrites `lib.cairo:LINE:COL` / `astro.cairo:LINE:COL` positions to the original file:line. */
export function mapDiagnostics(text: string, crate: InlinedCrate, root: string): string {
  return text.replace(/(?:lib|astro)\.cairo:(\d+):(\d+)/g, (whole, line: string, col: string) => {
    const origin = crate.origins[Number(line) - 1];
    return origin ? `${relative(root, origin.file)}:${origin.line}:${col}` : whole;
  });
}
