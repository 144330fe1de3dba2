// The adapter against a fake webRequest namespace: what it registers (listeners, filters, extraInfoSpec
// per browser) and what it makes of the browsers' detail objects.
import { describe, expect, it } from 'vitest';
import { type WebRequestApi, type WebRequestDetails, WebRequestAdapter } from '../../../src/background/adapter.ts';
import { chromeProfile } from '../../../src/background/adapter-chrome.ts';
import { firefoxProfile } from '../../../src/background/adapter-firefox.ts';
import type { TrackerEvent } from '../../../src/background/events.ts';
import { REDACTED } from '../../../src/cors/exchange.ts';

type Registration = { filter: { urls: string[]; types?: string[]; tabId?: number }; spec?: string[]; listener: (d: WebRequestDetails) => void };

function fakeApi() {
  const events: Record<string, Registration[]> = {};
  const event = (name: string) => ({
    addListener: (listener: Registration['listener'], filter: Registration['filter'], spec?: string[]) => {
      events[name] = [...(events[name] ?? []), { listener, filter, spec }];
    },
    removeListener: (listener: Registration['listener']) => {
      events[name] = (events[name] ?? []).filter((r) => r.listener !== listener);
    },
  });
  const api: WebRequestApi = {
    onBeforeRequest: event('onBeforeRequest'),
    onSendHeaders: event('onSendHeaders'),
    onHeadersReceived: event('onHeadersReceived'),
    onCompleted: event('onCompleted'),
    onErrorOccurred: event('onErrorOccurred'),
  };
  const fire = (name: string, details: WebRequestDetails) => {
    for (const r of events[name] ?? []) r.listener(details);
  };
  return { api, events, fire };
}

const details = (extra: Partial<WebRequestDetails> = {}): WebRequestDetails => ({
  requestId: '1',
  url: 'http://api.test/x',
  method: 'GET',
  tabId: 4,
  frameId: 0,
  type: 'xmlhttprequest',
  timeStamp: 1234.5,
  ...extra,
});

const NEVER = ['main_frame', 'sub_frame', 'ping', 'csp_report', 'websocket'];

describe('WebRequestAdapter', () => {
  it('Chrome: four request listeners with extraHeaders on the header events, one main_frame listener', () => {
    const { api, events } = fakeApi();
    new WebRequestAdapter(api, chromeProfile, () => {}, { events: undefined }).listen();
    expect(Object.fromEntries(Object.entries(events).map(([k, v]) => [k, v.length]))).toEqual({
      onSendHeaders: 1,
      onHeadersReceived: 1,
      onCompleted: 1,
      onErrorOccurred: 1,
      onBeforeRequest: 1,
    });
    expect(events.onSendHeaders?.[0]?.spec).toEqual(['requestHeaders', 'extraHeaders']);
    expect(events.onHeadersReceived?.[0]?.spec).toEqual(['responseHeaders', 'extraHeaders']);
    expect(events.onBeforeRequest?.[0]?.filter.types).toEqual(['main_frame']);
    for (const name of ['onSendHeaders', 'onHeadersReceived', 'onCompleted', 'onErrorOccurred']) {
      const types = events[name]?.[0]?.filter.types ?? [];
      expect(types).toContain('xmlhttprequest');
      expect(types).toContain('font');
      for (const t of NEVER) expect(types).not.toContain(t);
    }
  });

  it('Firefox: no extraHeaders (Firefox rejects it), Firefox-only CORS types', () => {
    const { api, events } = fakeApi();
    new WebRequestAdapter(api, firefoxProfile, () => {}, { events: undefined }).listen();
    expect(events.onSendHeaders?.[0]?.spec).toEqual(['requestHeaders']);
    expect(events.onHeadersReceived?.[0]?.spec).toEqual(['responseHeaders']);
    const types = events.onSendHeaders?.[0]?.filter.types ?? [];
    expect(types).toContain('imageset');
    for (const t of NEVER) expect(types).not.toContain(t);
  });

  it('a tab filter narrows every listener; stop removes them all', () => {
    const { api, events } = fakeApi();
    const adapter = new WebRequestAdapter(api, chromeProfile, () => {}, { events: undefined });
    adapter.listen({ tabId: 9 });
    for (const regs of Object.values(events)) expect(regs[0]?.filter.tabId).toBe(9);
    adapter.stop();
    for (const regs of Object.values(events)) expect(regs).toEqual([]);
  });

  it('normalises details into small events: lower-case names, kept values, secrets redacted, others by name', () => {
    const { api, fire } = fakeApi();
    const out: TrackerEvent[] = [];
    const recording: { events: TrackerEvent[] | undefined } = { events: [] };
    new WebRequestAdapter(api, chromeProfile, (e) => out.push(e), recording).listen();
    fire(
      'onSendHeaders',
      details({
        initiator: 'http://app.test',
        requestHeaders: [
          { name: 'Origin', value: 'http://app.test' },
          { name: 'Cookie', value: 'sid=s3cr3t' },
          { name: 'Authorization', value: 'Bearer t0k3n' },
          { name: 'User-Agent', value: 'Mozilla/5.0 something long' },
        ],
      }),
    );
    fire(
      'onHeadersReceived',
      details({
        statusCode: 200,
        fromCache: true,
        responseHeaders: [
          { name: 'Access-Control-Allow-Origin', value: '*' },
          { name: 'Set-Cookie', value: 'a=b' },
          { name: 'ETag', value: '"xyz"' },
        ],
      }),
    );
    fire('onErrorOccurred', details({ error: 'net::ERR_FAILED' }));
    expect(out).toEqual([
      {
        kind: 'send',
        requestId: '1',
        url: 'http://api.test/x',
        method: 'GET',
        tabId: 4,
        frameId: 0,
        type: 'xmlhttprequest',
        time: 1234.5,
        initiator: 'http://app.test',
        headers: [
          ['origin', 'http://app.test'],
          ['cookie', REDACTED],
          ['authorization', REDACTED],
          ['user-agent', ''],
        ],
      },
      expect.objectContaining({
        kind: 'headers',
        status: 200,
        fromCache: true,
        headers: [
          ['access-control-allow-origin', '*'],
          ['set-cookie', REDACTED],
          ['etag', ''],
        ],
      }),
      expect.objectContaining({ kind: 'error', error: 'net::ERR_FAILED' }),
    ]);
    // The recording sees exactly what the tracker sees.
    expect(recording.events).toEqual(out);
  });

  it('Firefox: the initiator is the origin of originUrl', () => {
    const { api, fire } = fakeApi();
    const out: TrackerEvent[] = [];
    new WebRequestAdapter(api, firefoxProfile, (e) => out.push(e), { events: undefined }).listen();
    fire('onCompleted', details({ originUrl: 'http://app.test:8080/page?q=1', documentUrl: 'http://app.test:8080/page?q=1', statusCode: 200 }));
    fire('onCompleted', details({ originUrl: 'not a url', statusCode: 200 }));
    expect(out.map((e) => ('initiator' in e ? e.initiator : 'absent'))).toEqual(['http://app.test:8080', 'absent']);
    expect(out[0]).toMatchObject({ documentUrl: 'http://app.test:8080/page?q=1' });
  });

  it('navigations become navigate events; prerendered pages and tab-less requests are skipped', () => {
    const { api, fire } = fakeApi();
    const out: TrackerEvent[] = [];
    new WebRequestAdapter(api, chromeProfile, (e) => out.push(e), { events: undefined }).listen();
    fire('onBeforeRequest', details({ type: 'main_frame', url: 'http://app.test/' }));
    fire('onBeforeRequest', details({ type: 'main_frame', url: 'http://app.test/next', documentLifecycle: 'prerender' }));
    fire('onBeforeRequest', details({ type: 'main_frame', tabId: -1 }));
    fire('onSendHeaders', details({ documentLifecycle: 'prerender', requestHeaders: [] }));
    expect(out).toEqual([{ kind: 'navigate', tabId: 4, url: 'http://app.test/', time: 1234.5 }]);
  });
});
