import type { Response } from 'express';

/**
 * Writes one chunk and, when the client's buffer is full, waits for it to
 * drain, so a slow reader holds back the producer instead of filling memory.
 * False once the client has gone away: stop producing.
 */
export async function writeChunk(res: Response, chunk: string): Promise<boolean> {
  if (res.destroyed) return false;
  if (!res.write(chunk)) {
    await new Promise<void>((resolve) => {
      const done = () => {
        res.off('drain', done);
        res.off('close', done);
        resolve();
      };
      res.on('drain', done);
      res.on('close', done);
    });
  }
  return !res.destroyed;
}
