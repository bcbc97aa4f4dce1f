import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { InvitationRepository } from './invitation.repository';
import { Invitation, InvitationSchema } from './invitation.schema';
import { MembershipController } from './membership.controller';
import { MembershipRepository } from './membership.repository';
import { Membership, MembershipSchema } from './membership.schema';
import { MembershipService } from './membership.service';

/**
 * Which organisation belongs to, or is invited to, which coalition, and an
 * organisation joining (accepting an invitation), changing and leaving. The
 * bottom of the directory: organisations and coalitions decide who sees what
 * from these records; inviting is the coalition's (coalitions/invitation.service.ts).
 */
@Module({
  imports: [
    MongooseModule.forFeature([
      { name: Membership.name, schema: MembershipSchema },
      { name: Invitation.name, schema: InvitationSchema },
    ]),
  ],
  controllers: [MembershipController],
  providers: [MembershipRepository, InvitationRepository, MembershipService],
  exports: [MembershipRepository, InvitationRepository],
})
export class MembershipsModule {}
