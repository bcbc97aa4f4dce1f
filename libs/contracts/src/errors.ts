import { z } from 'zod';

/**
 * The one error body, over HTTP and over NATS:
 * `{ statusCode, error, message, field? }`. Services reply with it; the
 * gateway answers with the same status and body.
 */
export const errorBodySchema = z.object({
  statusCode: z.number().int(),
  error: z.string(),
  message: z.string(),
  field: z.string().optional(),
});
export type ErrorBody = z.infer<typeof errorBodySchema>;
