import type { ClientProxy, NatsRecord } from '@nestjs/microservices';
import { extractContext, inSpan, SpanKind, startTracing } from '@clarion/observability';
import { of, throwError, type Observable } from 'rxjs';
import { alertRpc, BUS_SERVICES, deliveryRpc, directoryRpc, type AlertView, type BusService, type Principal } from '@clarion/contracts';
import { RemoteError, Unavailable } from '@clarion/errors';
import { newBusKeyPair } from '@clarion/security';
import { ASSERTION_FIELD, CallerSigner, CallerVerifier } from './caller-assertion';
import { RpcClient } from './rpc-client';

const keys = Object.fromEntries(BUS_SERVICES.map((service) => [service, newBusKeyPair()])) as Record<BusService, { seed: string; publicKey: string }>;
const verifier = new CallerVerifier(Object.fromEntries(BUS_SERVICES.map((service) => [service, keys[service].publicKey])) as Record<BusService, string>);
const actor: Principal = { tokenId: 'a'.repeat(24), name: 'coordinator', grant: { role: 'coordinator', coalitionId: 'c'.repeat(24) } };

/** The gateway's RpcClient over a NATS stand-in that answers every request with `answer`. */
function gatewayClient(answer: () => Observable<unknown>) {
  const sent: Array<{ subject: string; data: Record<string, unknown> }> = [];
  const proxy = {
    send: (subject: string, data: Record<string, unknown>) => {
      sent.push({ subject, data });
      return answer();
    },
  } as unknown as ClientProxy;
  return { rpc: new RpcClient(proxy, 1_000, new CallerSigner('gateway', keys.gateway.seed)), sent };
}

describe('RpcClient', () => {
  it('signs the actor into the caller assertion and sends no actor field', async () => {
    const { rpc, sent } = gatewayClient(() => of([]));
    expect(await rpc.request(alertRpc.list, { actor, coalitionId: 'c'.repeat(24) })).toEqual([]);
    const [{ subject, data: record }] = sent;
    const data = (record as unknown as NatsRecord<Record<string, unknown>>).data;
    expect(Object.keys(data).sort()).toEqual([ASSERTION_FIELD, 'coalitionId']);
    expect(verifier.verify(data[ASSERTION_FIELD], subject)).toMatchObject({ iss: 'gateway', aud: alertRpc.list, actor });
  });

  it('carries the caller’s trace in the request’s traceparent header, not in the payload', async () => {
    await startTracing({ service: 'gateway' });
    const { rpc, sent } = gatewayClient(() => of([]));
    const traceId = '4bf92f3577b34da6a3ce929d0e0e4736';
    const parent = extractContext({ get: (key) => (key === 'traceparent' ? `00-${traceId}-00f067aa0ba902b7-01` : undefined) });
    await inSpan('test', SpanKind.INTERNAL, parent, () => rpc.request(alertRpc.list, { actor, coalitionId: 'c'.repeat(24) }));
    const record = sent[0].data as unknown as NatsRecord<Record<string, unknown>>;
    expect(record.headers?.get('traceparent')).toMatch(new RegExp(`^00-${traceId}-[0-9a-f]{16}-0[01]$`));
    expect(JSON.stringify(record.data)).not.toContain(traceId);
  });

  it('answers a reply as its contract reads it', async () => {
    const { rpc } = gatewayClient(() => of({ ...actor, extra: 'not in the contract' }));
    expect(await rpc.request(directoryRpc.resolveToken, { tokenHash: 'f'.repeat(64) })).toEqual(actor);
  });

  it('turns a reply outside its contract into Unavailable naming the subject and the field', async () => {
    const { rpc } = gatewayClient(() => of({ relayId: 'b'.repeat(24), redirectTo: 'javascript:alert(1)' }));
    const failure = rpc.request(deliveryRpc.click, { token: 'signed' });
    await expect(failure).rejects.toBeInstanceOf(Unavailable);
    await expect(failure).rejects.toThrow(`${deliveryRpc.click} answered outside its contract: redirectTo`);
  });

  it('passes on the error body a service answered with', async () => {
    const body = { statusCode: 404, error: 'Not Found', message: 'no such alert' };
    const { rpc } = gatewayClient(() => throwError(() => body));
    await expect(rpc.request(alertRpc.get, { actor, alertId: 'b'.repeat(24) })).rejects.toEqual(new RemoteError(body));
  });

  // Checked by the compiler (npm run typecheck), not at run time: each line below must fail to compile.
  it('takes its payload and reply types from the contracts map', () => {
    const { rpc } = gatewayClient(() => of(undefined));
    const misuses = async () => {
      // @ts-expect-error alerts.alerts.get takes an alertId, not a coalitionId
      await rpc.request(alertRpc.get, { actor, coalitionId: 'c'.repeat(24) });
      // @ts-expect-error the gateway acts for a person on alerts.alerts.get: the actor is required
      await rpc.request(alertRpc.get, { alertId: 'b'.repeat(24) });
      // @ts-expect-error the reply of alerts.alerts.get is one alert, not a list
      const _list: AlertView[] = await rpc.request(alertRpc.get, { actor, alertId: 'b'.repeat(24) });
      // @ts-expect-error the reply type comes from the map, never from the call site
      await rpc.request<AlertView>(alertRpc.get, { actor, alertId: 'b'.repeat(24) });
      // @ts-expect-error a subject that is not in the map
      await rpc.request('alerts.alerts.delete.v1', { actor, alertId: 'b'.repeat(24) });
    };
    expect(misuses).toBeInstanceOf(Function);
  });
});
