import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { CoalitionsModule } from '../coalitions/coalitions.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { AccountController } from './account.controller';
import { AccountRepository } from './account.repository';
import { Account, AccountSchema, Session, SessionSchema, SignInLink, SignInLinkSchema } from './account.schema';
import { AccountService } from './account.service';
import { ApprovalNotices } from './approval-notices';
import { FirstAdminAccountBootstrap } from './first-admin-account.bootstrap';
import { SignInService } from './sign-in.service';
import { StaffMail } from './staff-mail';

/** People's accounts, sign-in links and sessions, and the mail staff get (sign-in, approvals, reviews). */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Account.name, schema: AccountSchema },
      { name: SignInLink.name, schema: SignInLinkSchema },
      { name: Session.name, schema: SessionSchema },
    ]),
    OrganisationsModule,
    CoalitionsModule,
  ],
  controllers: [AccountController],
  providers: [AccountRepository, StaffMail, SignInService, AccountService, FirstAdminAccountBootstrap, ApprovalNotices],
  exports: [AccountRepository, StaffMail, ApprovalNotices],
})
export class AccountsModule {}
