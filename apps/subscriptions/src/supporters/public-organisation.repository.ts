import { Injectable } from '@nestjs/common';
import { InjectModel } from '@nestjs/mongoose';
import type { Model } from 'mongoose';
import { Organisation, type OrganisationRecord } from '../organisations/organisation.schema';

/**
 * Organisations by their public address (the join page's slug), read-only.
 * organisations/organisation.repository.ts owns the aggregate; this lookup
 * belongs there and can move once that file settles.
 */
@Injectable()
export class PublicOrganisationRepository {
  constructor(@InjectModel(Organisation.name) private readonly organisations: Model<Organisation>) {}

  findBySlug(slug: string): Promise<OrganisationRecord | null> {
    return this.organisations.findOne({ slug }).lean<OrganisationRecord>().exec();
  }
}
