import 'reflect-metadata';
import { PATTERN_METADATA } from '@nestjs/microservices/constants';
import { alertRpc, supporterRpc, type AlertView, type ExportPageView, type Principal, type ValidRequestOf } from '@clarion/contracts';
import { Invalid } from '@clarion/errors';
import { RequestHandler, REQUEST_HANDLER_SUBJECT } from './request-handler';

const orgId = 'b'.repeat(24);
const actor: Principal = { tokenId: 'a'.repeat(24), name: 'admin', grant: { role: 'org_admin', orgId } };

class Exports {
  readonly received: unknown[] = [];

  @RequestHandler(supporterRpc.exportPage)
  exportPage(request: ValidRequestOf<typeof supporterRpc.exportPage>): ExportPageView {
    this.received.push(request);
    return { supporters: [] };
  }
}

describe('RequestHandler', () => {
  it('registers the subject as the NATS pattern, and marks the handler as the contract’s', () => {
    expect(Reflect.getMetadata(PATTERN_METADATA, Exports.prototype.exportPage)).toEqual([supporterRpc.exportPage]);
    expect(Reflect.getMetadata(REQUEST_HANDLER_SUBJECT, Exports.prototype.exportPage)).toBe(supporterRpc.exportPage);
  });

  it('hands the handler the request as the contract reads it (defaults filled in)', () => {
    const handler = new Exports();
    expect(handler.exportPage({ actor, orgId } as never)).toEqual({ supporters: [] });
    expect(handler.received).toEqual([{ actor, orgId, limit: 500 }]);
  });

  it.each([
    ['a malformed field', { actor, orgId: 'nope' }, 'orgId'],
    ['a value out of range', { actor, orgId, limit: 5_000 }, 'limit'],
    ['no actor', { orgId }, 'actor'],
  ])('refuses %s with Invalid naming the field, before the handler runs', (_case, payload, field) => {
    const handler = new Exports();
    expect(() => handler.exportPage(payload as never)).toThrow(Invalid);
    expect(() => handler.exportPage(payload as never)).toThrow(expect.objectContaining({ field }));
    expect(handler.received).toEqual([]);
  });

  // Checked by the compiler (npm run typecheck), not at run time: each decorated method below must fail to compile.
  it('does not compile a handler whose argument or reply does not fit the contract', () => {
    class Misfits {
      // @ts-expect-error the handler of alerts.alerts.get answers one alert, not a list
      @RequestHandler(alertRpc.get)
      list(_request: ValidRequestOf<typeof alertRpc.get>): AlertView[] {
        return [];
      }

      // @ts-expect-error alerts.alerts.create's handler is given a create request, which has no alertId
      @RequestHandler(alertRpc.create)
      create(request: ValidRequestOf<typeof alertRpc.get>): Promise<AlertView> {
        return Promise.reject(new Error(request.alertId));
      }
    }
    expect(Misfits).toBeInstanceOf(Function);
  });
});
