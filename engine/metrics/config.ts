/** `metrics:` config section: opt-in Prometheus endpoint. Absent means no listening socket. */
import { z } from 'zod';

export const MetricsConfigSchema = z
  .object({
    /** TCP port for GET /metrics; 0 picks a free one (printed at start). */
    port: z.number().int().min(0).max(65535),
    /** Loopback by default: the endpoint has no authentication. */
    host: z.string().min(1).default('127.0.0.1'),
  })
  .strict();

export type MetricsConfig = z.infer<typeof MetricsConfigSchema>;
