/**
 * SQLite SQL, as the journal's stores and migrations write it, turned into PostgreSQL. Pure
 * text functions so every rule tests without a server. The rules are generic (by keyword,
 * not by table) so a migration added later translates without touching this file:
 *
 * - DDL: REFERENCES dropped (SQLite does not enforce them unless asked), INTEGER -> NUMERIC (SQLite's INTEGER affinity also keeps a fractional value; NUMERIC
 *   does too, and the worker reads it back as a JS number), REAL -> DOUBLE PRECISION, BLOB ->
 *   BYTEA, TEXT -> TEXT COLLATE "C" (bytewise order, as SQLite sorts), INTEGER PRIMARY KEY
 *   [AUTOINCREMENT] -> BIGSERIAL PRIMARY KEY, and every CREATE TABLE gets a hidden `rowid
 *   BIGSERIAL` so `ORDER BY ..., rowid` keeps meaning insertion order (rows never return it).
 * - DML: `?` and `@name` -> `$n`; INSERT OR IGNORE -> ON CONFLICT DO NOTHING; INSERT OR REPLACE
 *   -> ON CONFLICT (primary key) DO UPDATE; INSERT INTO t VALUES (...) gets t's column list
 *   (the hidden rowid would otherwise take a value); sqlite_master and pragma_table_info(...)
 *   read from information_schema.
 * Text inside quotes and comments is never rewritten.
 */

export type Segment = { kind: 'code' | 'string' | 'ident' | 'comment'; text: string };

/** Split SQL into code and the parts that must pass through untouched. */
export function segments(sql: string): Segment[] {
  const out: Segment[] = [];
  let code = '';
  const flush = () => {
    if (code) out.push({ kind: 'code', text: code });
    code = '';
  };
  let i = 0;
  while (i < sql.length) {
    const c = sql[i]!;
    if (c === "'" || c === '"') {
      flush();
      let j = i + 1;
      while (j < sql.length) {
        if (sql[j] === c && sql[j + 1] === c) j += 2;
        else if (sql[j] === c) break;
        else j++;
      }
      out.push({ kind: c === "'" ? 'string' : 'ident', text: sql.slice(i, j + 1) });
      i = j + 1;
    } else if (c === '-' && sql[i + 1] === '-') {
      flush();
      const end = sql.indexOf('\n', i);
      const j = end === -1 ? sql.length : end;
      out.push({ kind: 'comment', text: sql.slice(i, j) });
      i = j;
    } else if (c === '/' && sql[i + 1] === '*') {
      flush();
      const end = sql.indexOf('*/', i + 2);
      const j = end === -1 ? sql.length : end + 2;
      out.push({ kind: 'comment', text: sql.slice(i, j) });
      i = j;
    } else {
      code += c;
      i++;
    }
  }
  flush();
  return out;
}

const join = (s: Segment[]) => s.map((x) => x.text).join('');
const mapCode = (sql: string, f: (code: string) => string) => join(segments(sql).map((s) => (s.kind === 'code' ? { ...s, text: f(s.text) } : s)));

/** Statements of a script, split on `;` outside quotes and comments. */
export function statements(sql: string): string[] {
  const out: string[] = [];
  let cur = '';
  for (const s of segments(sql)) {
    if (s.kind !== 'code') {
      cur += s.text;
      continue;
    }
    const parts = s.text.split(';');
    cur += parts[0];
    for (const p of parts.slice(1)) {
      out.push(cur);
      cur = p;
    }
  }
  out.push(cur);
  return out.filter((st) => join(segments(st).filter((x) => x.kind === 'code')).trim() !== '');
}

/** Code text only (comments dropped, strings kept), upper-cased for keyword tests. */
const head = (st: string) => join(segments(st).filter((x) => x.kind !== 'comment')).trim().toUpperCase();

/** A schema script (migration or exec) in PostgreSQL; statements that are not DDL pass through. */
export function translateScript(sql: string): string {
  return statements(sql)
    .map((st) => (/^(CREATE|ALTER)\s+TABLE\b/.test(head(st)) ? translateDdl(st) : st))
    .map((st) => (/^PRAGMA\b/.test(head(st)) ? '' : st))
    .filter((st) => st !== '')
    .join(';\n');
}

function translateDdl(st: string): string {
  let out = mapCode(st, (code) =>
    code
      .replace(/\bINTEGER\s+PRIMARY\s+KEY(\s+AUTOINCREMENT)?\b/gi, 'BIGSERIAL PRIMARY KEY')
      .replace(/\bAUTOINCREMENT\b/gi, '')
      // SQLite leaves foreign keys unenforced (foreign_keys is off in the journal); so must this.
      .replace(/\s*\bREFERENCES\s+[A-Za-z_][A-Za-z0-9_]*\s*(\([^)]*\))?(\s+ON\s+(DELETE|UPDATE)\s+(CASCADE|RESTRICT|NO\s+ACTION|SET\s+NULL|SET\s+DEFAULT))*/gi, '')
      .replace(/\bINTEGER\b/gi, 'NUMERIC')
      .replace(/\bREAL\b/gi, 'DOUBLE PRECISION')
      .replace(/\bBLOB\b/gi, 'BYTEA')
      .replace(/\bTEXT\b/gi, 'TEXT COLLATE "C"'),
  );
  if (/^CREATE\s+TABLE\b/.test(head(st))) out = addRowid(out);
  return out;
}

/** Insert `, rowid BIGSERIAL` before the column list's closing parenthesis. */
function addRowid(st: string): string {
  const segs = segments(st);
  let depth = 0;
  let opened = false;
  for (let k = 0; k < segs.length; k++) {
    const s = segs[k]!;
    if (s.kind !== 'code') continue;
    for (let i = 0; i < s.text.length; i++) {
      const c = s.text[i];
      if (c === '(') {
        depth++;
        opened = true;
      } else if (c === ')' && --depth === 0 && opened) {
        segs[k] = { ...s, text: `${s.text.slice(0, i)},\n        rowid BIGSERIAL${s.text.slice(i)}` };
        return join(segs);
      }
    }
  }
  return st;
}

/** Where each `$n` takes its value from: the n-th positional `?`, or a named `@x`. */
export type ParamSlot = { kind: 'positional'; index: number } | { kind: 'named'; name: string };

export interface PlaceholderSql {
  text: string;
  slots: ParamSlot[];
}

export function translatePlaceholders(sql: string): PlaceholderSql {
  const slots: ParamSlot[] = [];
  const named = new Map<string, number>();
  let positional = 0;
  const text = mapCode(sql, (code) =>
    code.replace(/\?|@([A-Za-z_][A-Za-z0-9_]*)/g, (m, name: string | undefined) => {
      if (m === '?') {
        slots.push({ kind: 'positional', index: positional++ });
        return `$${slots.length}`;
      }
      let n = named.get(name!);
      if (n === undefined) {
        slots.push({ kind: 'named', name: name! });
        named.set(name!, (n = slots.length));
      }
      return `$${n}`;
    }),
  );
  return { text, slots };
}

/** What DML translation needs to know about a table (read from the server's catalog). */
export interface TableShape {
  columns: string[];
  primaryKey: string[];
}

const CATALOG_TABLES = `(SELECT table_name AS name, 'table' AS type FROM information_schema.tables WHERE table_schema = current_schema()
  UNION ALL SELECT indexname AS name, 'index' AS type FROM pg_indexes WHERE schemaname = current_schema()) AS sqlite_master`;

/** Tables a statement needs the shape of before it can be translated (INSERT without a column list, INSERT OR REPLACE). */
export function tablesNeeded(sql: string): string[] {
  const code = join(segments(sql).filter((s) => s.kind === 'code'));
  const m = /^\s*INSERT\s+(?:OR\s+(REPLACE|IGNORE)\s+)?INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\()?/i.exec(code);
  if (!m) return [];
  return m[1]?.toUpperCase() === 'REPLACE' || !m[3] ? [m[2]!] : [];
}

/** One DML statement in PostgreSQL, placeholders numbered. `shape` answers for tablesNeeded(sql). */
export function translateStatement(sql: string, shape: (table: string) => TableShape): PlaceholderSql {
  let out = sql.replace(/\bpragma_table_info\(\s*'([A-Za-z_][A-Za-z0-9_]*)'\s*\)/gi, (_m, t: string) =>
    `(SELECT column_name AS name FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = '${t}' AND column_name <> 'rowid') AS pragma_table_info`,
  );
  out = mapCode(out, (code) => code.replace(/\bsqlite_master\b/gi, CATALOG_TABLES));
  const m = /^(\s*)INSERT\s+(?:OR\s+(REPLACE|IGNORE)\s+)?INTO\s+([A-Za-z_][A-Za-z0-9_]*)\s*(\()?/i.exec(out);
  if (m) {
    const conflict = m[2]?.toUpperCase();
    const table = m[3]!;
    let columns: string[];
    let rest = out.slice(m[0].length).trimStart();
    if (m[4]) {
      const close = rest.indexOf(')');
      columns = rest.slice(0, close).split(',').map((c) => c.trim());
      rest = `(${rest}`;
    } else {
      columns = shape(table).columns;
      rest = `(${columns.join(', ')}) ${rest}`;
    }
    out = `${m[1]}INSERT INTO ${table} ${rest}`.replace(/;\s*$/, '');
    if (conflict === 'IGNORE') out += ' ON CONFLICT DO NOTHING';
    if (conflict === 'REPLACE') {
      const pk = shape(table).primaryKey;
      if (pk.length === 0) throw new Error(`postgres journal: INSERT OR REPLACE INTO ${table} needs a primary key on ${table}`);
      const set = columns.filter((c) => !pk.includes(c)).map((c) => `${c} = EXCLUDED.${c}`);
      out += set.length ? ` ON CONFLICT (${pk.join(', ')}) DO UPDATE SET ${set.join(', ')}` : ` ON CONFLICT (${pk.join(', ')}) DO NOTHING`;
    }
  }
  return translatePlaceholders(out);
}
