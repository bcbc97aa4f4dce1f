import { Module } from '@nestjs/common';
import { MongooseModule } from '@nestjs/mongoose';
import { MembershipsModule } from '../memberships/memberships.module';
import { OrganisationCreated } from './organisation-created';
import { OrganisationController } from './organisation.controller';
import { OrganisationRepository } from './organisation.repository';
import { Organisation, OrganisationSchema } from './organisation.schema';
import { OrganisationService } from './organisation.service';

/** Organisations (the tenants) and who may see them; a coordinator sees its coalition's members. */
@Module({
  imports: [MongooseModule.forFeature([{ name: Organisation.name, schema: OrganisationSchema }]), MembershipsModule],
  controllers: [OrganisationController],
  providers: [OrganisationRepository, OrganisationService, OrganisationCreated],
  exports: [OrganisationRepository, OrganisationCreated],
})
export class OrganisationsModule {}
