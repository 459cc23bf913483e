/**
 * `journal:` in the config. SQLite by default (`path`); `url` writes the same journal to a
 * PostgreSQL database that several engines may share, each naming its sessions `engineId`.
 */
import { z } from 'zod';
import { redactUrl } from './postgres/url.ts';

const secretRef = z.union([z.object({ env: z.string().min(1) }).strict(), z.object({ file: z.string().min(1) }).strict()]);

export const JournalConfigSchema = z
  .object({
    path: z.string().default('data/journal.sqlite'),
    flushIntervalMs: z.number().int().positive().default(250),
    /**
     * postgres://user:password@host:port/database, or `{ env: NAME }` / `{ file: path }` holding
     * it (keeps the password out of the config file). Set: the journal is written there, not to `path`.
     */
    url: z
      .union([
        z.string().superRefine((v, ctx) => {
          if (/^postgres(ql)?:\/\//i.test(v)) return;
          // The error shows the value it got: never with the password it may hold.
          ctx.addIssue({ code: 'custom', input: redactUrl(v), message: 'expected a PostgreSQL URL like "postgres://arb@db.example:5432/arb" (or { env: NAME } holding one)' });
        }),
        secretRef,
      ])
      .optional(),
    /** This engine's name in a shared journal; default the host name. Keep it across restarts: recovery reads its own trades only. */
    engineId: z
      .string()
      .regex(/^[A-Za-z0-9._:-]{1,64}$/, { message: 'expected 1-64 letters, digits or . _ : - (a name this engine keeps across restarts)' })
      .optional(),
  })
  .strict();

export type JournalConfig = z.infer<typeof JournalConfigSchema>;
export const JOURNAL_DEFAULTS = { path: 'data/journal.sqlite', flushIntervalMs: 250 } as const;
