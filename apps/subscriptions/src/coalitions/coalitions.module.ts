import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { OrganisationsModule } from '../organisations/organisations.module';
import { CoalitionController } from './coalition.controller';
import { CoalitionRepository } from './coalition.repository';
import { Coalition, CoalitionSchema } from './coalition.schema';
import { CoalitionService } from './coalition.service';
import { InvitationController } from './invitation.controller';
import { InvitationService } from './invitation.service';

/** Coalitions, who may see them, and their invitations to organisations. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Coalition.name, schema: CoalitionSchema }]), MembershipsModule, OrganisationsModule],
  controllers: [CoalitionController, InvitationController],
  providers: [CoalitionRepository, CoalitionService, InvitationService],
  exports: [CoalitionRepository],
})
export class CoalitionsModule {}
