// Reconciliation look-ups (ProviderPlugin.fetchStatus): each provider's "what became of this message" API,
// faked on loopback, read onto the ladder. Vonage's Messages API has no such look-up, so it has none.
import { afterEach, describe, expect, it } from 'vitest';
import type { Connection } from '../../store/types';
import { fetchBandwidthStatus } from '../bandwidth';
import { fetchPlivoStatus } from '../plivo';
import { fetchSinchStatus } from '../sinch';
import { fetchTelnyxStatus } from '../telnyx';
import { vonage } from '../vonage';
import { basicCredentials, startFakeProviderApi, type FakeProviderApi, type FakeResponse } from '../../__tests__/helpers/fakeProviderApi';

let fake: FakeProviderApi | null = null;
afterEach(async () => { await fake?.close(); fake = null; });

async function connection(provider: string, secrets: Record<string, string>, answers: FakeResponse[]): Promise<Connection> {
  let i = 0;
  fake = await startFakeProviderApi(() => answers[Math.min(i++, answers.length - 1)]);
  return { id: `${provider}-1`, orgId: 'o', locationId: 'l', provider, numbers: ['+12125550100'], secrets, apiBaseUrl: fake.url };
}

describe('fetchStatus', () => {
  it('Telnyx: GET /v2/messages/{id} with the API key; the highest recipient status and the first error', async () => {
    const c = await connection('telnyx', { apiKey: 'K', publicKey: 'x' }, [
      { status: 200, json: { data: { id: 'm1', to: [{ status: 'delivery_failed' }], errors: [{ code: '40001', title: 'Not routable' }] } } },
      { status: 404, json: { errors: [{ code: '10005' }] } },
    ]);
    expect(await fetchTelnyxStatus(c, 'm1')).toEqual({ status: 'undelivered', errorCode: '40001' });
    expect(fake!.requests[0]).toMatchObject({ method: 'GET', path: '/v2/messages/m1' });
    expect(fake!.requests[0].headers.authorization).toBe('Bearer K');
    expect(await fetchTelnyxStatus(c, 'm2')).toBeNull();
  });

  it('Plivo: GET /v1/Account/{authId}/Message/{uuid}/ with Basic auth; message_state and error_code', async () => {
    const c = await connection('plivo', { authId: 'MA1', authToken: 'T' }, [
      { status: 200, json: { message_uuid: 'u1', message_state: 'undelivered', error_code: '200' } },
      { status: 200, json: { message_uuid: 'u1', message_state: 'delivered', error_code: '' } },
      { status: 200, json: { message_uuid: 'u1', message_state: 'constructor' } },
    ]);
    expect(await fetchPlivoStatus(c, 'u1')).toEqual({ status: 'undelivered', errorCode: '200' });
    expect(fake!.requests[0]).toMatchObject({ method: 'GET', path: '/v1/Account/MA1/Message/u1/' });
    expect(basicCredentials(fake!.requests[0].headers.authorization as string)).toBe('MA1:T');
    expect(await fetchPlivoStatus(c, 'u1')).toEqual({ status: 'delivered', errorCode: null });
    expect(await fetchPlivoStatus(c, 'u1')).toBeNull();
  });

  it('Bandwidth: GET .../messages?messageId= with the API credentials; FAILED split by the error code', async () => {
    const c = await connection('bandwidth', { accountId: '99', username: 'u', password: 'p', callbackUsername: 'c', callbackPassword: 'd' }, [
      { status: 200, json: { totalCount: 1, messages: [{ messageId: 'b1', messageStatus: 'FAILED', errorCode: 4720 }] } },
      { status: 200, json: { totalCount: 1, messages: [{ messageId: 'b1', messageStatus: 'DELIVERED', errorCode: 0 }] } },
      { status: 200, json: { totalCount: 0, messages: [] } },
    ]);
    expect(await fetchBandwidthStatus(c, 'b1')).toEqual({ status: 'undelivered', errorCode: '4720' });
    expect(fake!.requests[0]).toMatchObject({ method: 'GET', path: '/api/v2/users/99/messages' });
    expect(basicCredentials(fake!.requests[0].headers.authorization as string)).toBe('u:p');
    expect(await fetchBandwidthStatus(c, 'b1')).toEqual({ status: 'delivered', errorCode: null });
    expect(await fetchBandwidthStatus(c, 'b1')).toBeNull();
  });

  it('Sinch: GET .../batches/{id}/delivery_report with the API token; the highest status entry', async () => {
    const c = await connection('sinch', { servicePlanId: 'plan', apiToken: 'T', webhookSecret: 'w' }, [
      { status: 200, json: { type: 'delivery_report_sms', batch_id: 'B1', statuses: [{ code: 401, count: 1, status: 'Dispatched' }, { code: 0, count: 1, status: 'Delivered' }] } },
      { status: 200, json: { type: 'delivery_report_sms', batch_id: 'B1', statuses: [{ code: 402, count: 1, status: 'Failed' }] } },
      { status: 500, json: {} },
    ]);
    expect(await fetchSinchStatus(c, 'B1')).toEqual({ status: 'delivered', errorCode: null });
    expect(fake!.requests[0]).toMatchObject({ method: 'GET', path: '/xms/v1/plan/batches/B1/delivery_report' });
    expect(fake!.requests[0].headers.authorization).toBe('Bearer T');
    expect(await fetchSinchStatus(c, 'B1')).toEqual({ status: 'undelivered', errorCode: '402' });
    expect(await fetchSinchStatus(c, 'B1')).toBeNull();
  });

  it('Vonage offers no look-up', () => {
    expect(vonage.fetchStatus).toBeUndefined();
  });
});
