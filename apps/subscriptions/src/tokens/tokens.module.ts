import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CoalitionsModule } from '../coalitions/coalitions.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { FirstAdminBootstrap } from './first-admin.bootstrap';
import { TokenController } from './token.controller';
import { TokenRepository } from './token.repository';
import { Token, TokenSchema } from './token.schema';
import { TokenService } from './token.service';

/** API tokens, the first admin token, and resolving a token to its grant for the gateway. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Token.name, schema: TokenSchema }]), OrganisationsModule, CoalitionsModule],
  controllers: [TokenController],
  providers: [TokenRepository, TokenService, FirstAdminBootstrap],
})
export class TokensModule {}
