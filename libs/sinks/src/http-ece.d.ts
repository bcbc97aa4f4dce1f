// http_ece ships no types; this covers the part PushService uses (see node_modules/http_ece/ece.js).
declare module 'http_ece' {
  import type { ECDH } from 'node:crypto';

  export interface DecryptParams {
    version: 'aes128gcm' | 'aesgcm';
    /** The receiver's key pair; its public half takes part in the key derivation. */
    privateKey: ECDH;
    /** The subscription's auth secret, base64url or raw. */
    authSecret: string | Buffer;
  }

  export function decrypt(buffer: Buffer, params: DecryptParams): Buffer;
}
