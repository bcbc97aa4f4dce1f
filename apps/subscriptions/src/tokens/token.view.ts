import type { Principal, TokenView } from '@clarion/contracts';
import type { TokenRecord } from './token.schema';

export function toTokenView(token: TokenRecord): TokenView {
  return {
    id: token._id.toHexString(),
    name: token.name,
    grant: token.grant,
    createdAt: token.createdAt.toISOString(),
    ...(token.revokedAt ? { revokedAt: token.revokedAt.toISOString() } : {}),
  };
}

export function toPrincipal(token: TokenRecord): Principal {
  return { tokenId: token._id.toHexString(), name: token.name, grant: token.grant };
}
