/**
 * The push Topic of a relay's messages to one subscription: the original's
 * delivery id (12 bytes) in URL-safe base64, 16 characters, within RFC 8030's
 * 32. The original and its follow-ups share it, so a push service holding an
 * original not yet shown replaces it with the update or retraction, and a copy
 * sent again after a crash replaces itself.
 */
export function pushTopic(originalDeliveryId: string): string {
  return Buffer.from(originalDeliveryId, 'hex').toString('base64url');
}
