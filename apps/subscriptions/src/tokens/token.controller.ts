import { Controller } from '@nestjs/common';
import { directoryRpc, type Principal, type TokenView, type ValidRequestOf } from '@clarion/contracts';
import { RequestHandler } from '@clarion/messaging';
import { TokenService } from './token.service';

@Controller()
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @RequestHandler(directoryRpc.resolveToken)
  resolve(request: ValidRequestOf<typeof directoryRpc.resolveToken>): Promise<Principal> {
    return this.tokens.resolve(request);
  }

  @RequestHandler(directoryRpc.createToken)
  create(request: ValidRequestOf<typeof directoryRpc.createToken>): Promise<TokenView> {
    return this.tokens.create(request);
  }

  @RequestHandler(directoryRpc.listTokens)
  list(request: ValidRequestOf<typeof directoryRpc.listTokens>): Promise<TokenView[]> {
    return this.tokens.list(request);
  }

  @RequestHandler(directoryRpc.revokeToken)
  revoke(request: ValidRequestOf<typeof directoryRpc.revokeToken>): Promise<TokenView> {
    return this.tokens.revoke(request);
  }
}
