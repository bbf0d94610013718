import { of } from 'rxjs';
import { parseBrokerUrl } from '../../src/client/broker-url.js';
import { resolveOptions } from '../../src/client/resolve-options.js';

const broker = parseBrokerUrl('mqtt://h');
const size = () => 0;

describe('resolveOptions: authenticate (MQTT 5 enhanced authentication)', () => {
  it('keeps the method and the initial data for CONNECT (3.1.2.11.9, 3.1.2.11.10)', () => {
    const data = new Uint8Array([1]);
    const c = resolveOptions({ protocolVersion: 5, authenticate: { method: 'M', data, respond: () => of(undefined) } }, broker, size);
    expect(c.authentication).toEqual({ method: 'M', data });
  });

  it('a data function is asked per attempt: the configuration keeps the method only', () => {
    const c = resolveOptions({ protocolVersion: 5, authenticate: { method: 'M', data: () => of(new Uint8Array([1])) } }, broker, size);
    expect(c.authentication).toEqual({ method: 'M' });
  });

  it('refuses data that is neither bytes nor a function', () => {
    const data = 'text' as unknown as Uint8Array;
    expect(() => resolveOptions({ protocolVersion: 5, authenticate: { method: 'M', data } }, broker, size)).toThrow(
      'authenticate.data must be a Uint8Array or a function returning an Observable of one',
    );
  });

  it('refuses it below MQTT 5, an empty method, and Authentication Method in properties', () => {
    expect(() => resolveOptions({ protocolVersion: 4, authenticate: { method: 'M' } }, broker, size)).toThrow(/protocolVersion 5/);
    expect(() => resolveOptions({ protocolVersion: 5, authenticate: { method: '' } }, broker, size)).toThrow(/authenticate.method/);
    expect(() => resolveOptions({ protocolVersion: 5, properties: { authenticationMethod: 'M' } }, broker, size)).toThrow(/authenticate option/);
  });
});
