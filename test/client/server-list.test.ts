import { of } from 'rxjs';
import { ServerList, type ServerEntry } from '../../src/client/server-list.js';
import { serverTarget, type ServerTarget } from '../../src/client/server-target.js';
import { memory } from '../../src/transport/memory.js';

const options = { transport: memory(() => undefined) };
const target = (url: string | URL, inherit?: ServerTarget): ServerTarget => serverTarget(url, options, () => options.transport, inherit?.broker);
const fixed = (url: string): ServerEntry => ({ kind: 'fixed', target: target(url) });
const name = (entry: ServerEntry): string => (entry.kind === 'fixed' ? entry.target.server : entry.option);

describe('ServerList', () => {
  it('stays on a server for attempt 1, moves to the next for later attempts, wrapping around', () => {
    const list = new ServerList([fixed('mqtt://a'), fixed('mqtt://b'), fixed('mqtt://c')], target);
    expect([1, 2, 3, 4, 1, 2].map((n) => name(list.pick(n, undefined, undefined)))).toEqual([
      'mqtt://a:1883',
      'mqtt://b:1883',
      'mqtt://c:1883',
      'mqtt://a:1883',
      'mqtt://a:1883',
      'mqtt://b:1883',
    ]);
  });

  it('a temporary redirect is for one attempt; a permanent one replaces the server; both keep its credentials', () => {
    const list = new ServerList([fixed('mqtt://u:p@a'), fixed('mqtt://b')], target);
    const a = list.pick(1, undefined, undefined);
    const from = a.kind === 'fixed' ? a.target : undefined;
    const temporary = list.pick(2, { reference: 'z:1', permanent: false }, from);
    expect(temporary.kind === 'fixed' && [temporary.target.server, temporary.target.broker.username]).toEqual(['mqtt://z:1', 'u']);
    expect(name(list.pick(2, undefined, from))).toBe('mqtt://b:1883');
    expect(name(list.pick(2, undefined, from))).toBe('mqtt://a:1883');
    expect(name(list.pick(2, { reference: 'm:2', permanent: true }, from))).toBe('mqtt://m:2');
    expect(name(list.pick(2, undefined, from))).toBe('mqtt://b:1883');
    expect(name(list.pick(2, undefined, from))).toBe('mqtt://m:2');
  });

  it('canFollow: the first entry of a list reference the client can open is followed; none, no redirect', () => {
    const noHttp = (url: string | URL, inherit?: ServerTarget): ServerTarget => {
      if (new URL(url).protocol === 'http:') throw new TypeError('no transport for http:');
      return target(url, inherit);
    };
    const list = new ServerList([fixed('mqtt://a')], noHttp);
    const a = list.pick(1, undefined, undefined);
    const from = a.kind === 'fixed' ? a.target : undefined;
    expect(list.canFollow('http://x mqtt://z:1999', from)).toBe(true);
    expect(list.canFollow('http://x', from)).toBe(false);
    expect(list.canFollow('z:1', undefined)).toBe(false); // no server it came from yet
    expect(name(list.pick(2, { reference: 'http://x mqtt://z:1999', permanent: false }, from))).toBe('mqtt://z:1999');
  });

  it('a redirect it cannot use falls back to the next server', () => {
    const list = new ServerList([fixed('mqtts://a'), fixed('mqtts://b')], target);
    const a = list.pick(1, undefined, undefined);
    const from = a.kind === 'fixed' ? a.target : undefined;
    expect(name(list.pick(2, { reference: 'mqtt://plain', permanent: true }, from))).toBe('mqtts://b:8883');
  });

  it('keeps asked entries as they are', () => {
    const asked: ServerEntry = { kind: 'asked', option: 'servers[0]', ask: () => of('mqtt://x'), last: '' };
    const list = new ServerList([asked, fixed('mqtt://b')], target);
    expect(list.pick(1, undefined, undefined)).toBe(asked);
  });
});
