/**
 * `recording:` config section. The recorder writes what the hub received, gzip per segment,
 * and deletes the oldest segments once the directory passes maxTotalMb: a run left for days
 * never fills the disk.
 */
import { z } from 'zod';

export const RecordingConfigSchema = z
  .object({
    enabled: z.boolean().default(false),
    /** Directory for segments; default: a `recordings` folder beside the journal. */
    dir: z.string().min(1).optional(),
    /** Start a new segment once the current one holds this much compressed data. */
    rotateMb: z.number().positive().default(64),
    /** Oldest segments are deleted while the directory holds more than this. */
    maxTotalMb: z.number().positive().default(2048),
  })
  .strict()
  .refine((r) => r.rotateMb < r.maxTotalMb, { message: 'rotateMb must be smaller than maxTotalMb, or no complete segment fits' });

export type RecordingConfig = z.infer<typeof RecordingConfigSchema>;

export const RECORDING_DEFAULTS: RecordingConfig = { enabled: false, rotateMb: 64, maxTotalMb: 2048 };
