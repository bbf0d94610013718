import { TestScheduler } from 'rxjs/testing';
import { connect } from '../../src/client/connect.js';
import { scriptedBroker } from '../../src/testing/index.js';

it('doc example', () => {
  new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
    const broker = scriptedBroker({ pingresp: false });
    const client = connect('mqtt://broker', { transport: broker.transport, keepalive: 10, random: () => 0, reconnect: { initialDelay: 1000, jitter: 0 } });
    expectObservable(broker.commands$, '^ 25s !').toBe('c 9999ms p 9999ms x 999ms c', { c: 'connect', p: 'pingreq', x: 'closed' });
    expectObservable(client.messages$, '^ 25s !').toBe('');
  });
});
it('publish roundtrip', () => {
  new TestScheduler((a, e) => expect(a).toEqual(e)).run(({ expectObservable }) => {
    const broker = scriptedBroker({ delays: { connack: 100, puback: 20 } });
    const client = connect('mqtt://broker', { transport: broker.transport, protocolVersion: 5 });
    expectObservable(client.topic('a/#', { qos: 1 }).pipe(), '^ 1s !').toBe('');
    expectObservable(client.publish('a/b', 'hi', { qos: 1 })).toBe('x');
    expectObservable(broker.commands$).toBe('x');
  });
});
