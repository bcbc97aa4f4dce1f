import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { directoryRequests, directoryRpc, type Principal, type TokenView } from '@clarion/contracts';
import { parseInput } from '@clarion/errors';
import { TokenService } from './token.service';

@Controller()
export class TokenController {
  constructor(private readonly tokens: TokenService) {}

  @MessagePattern(directoryRpc.resolveToken)
  resolve(@Payload() payload: unknown): Promise<Principal> {
    return this.tokens.resolve(parseInput(directoryRequests.resolveToken, payload));
  }

  @MessagePattern(directoryRpc.createToken)
  create(@Payload() payload: unknown): Promise<TokenView> {
    return this.tokens.create(parseInput(directoryRequests.createToken, payload));
  }

  @MessagePattern(directoryRpc.listTokens)
  list(@Payload() payload: unknown): Promise<TokenView[]> {
    return this.tokens.list(parseInput(directoryRequests.listTokens, payload));
  }

  @MessagePattern(directoryRpc.revokeToken)
  revoke(@Payload() payload: unknown): Promise<TokenView> {
    return this.tokens.revoke(parseInput(directoryRequests.revokeToken, payload));
  }
}
