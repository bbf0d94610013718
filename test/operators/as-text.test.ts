import { TestScheduler } from 'rxjs/testing';
import { asText } from '../../src/operators/as-text.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const message = (topic: string, payload: Uint8Array): MqttMessage => ({ topic, payload, qos: 0, retain: false, dup: false });

describe('asText()', () => {
  it('decodes payloads as UTF-8', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c|', {
        a: message('t', new TextEncoder().encode('héllo €😀')),
        b: message('t', new Uint8Array(0)),
        c: message('t', Uint8Array.from([0xef, 0xbb, 0xbf, 0x61])), // BOM, "a"
      });
      expectObservable(source.pipe(asText())).toBe('a-b-c|', { a: 'héllo €😀', b: '', c: 'a' });
    });
  });

  it('fails with a TypeError naming the topic on a payload that is not UTF-8', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-a|', {
        a: message('ok', new TextEncoder().encode('fine')),
        b: message('sensors/7', Uint8Array.from([0x61, 0xff])),
      });
      expectObservable(source.pipe(asText())).toBe(
        'a-#',
        { a: 'fine' },
        expect.objectContaining({ name: 'TypeError', message: expect.stringContaining('"sensors/7"') }),
      );
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('does not carry decoder state from one message to the next', () => {
    scheduler().run(({ cold, expectObservable }) => {
      // "€" split across two messages: each is judged alone
      const source = cold('a', { a: message('t', Uint8Array.from([0xe2, 0x82])) });
      expectObservable(source.pipe(asText())).toBe('#', undefined, expect.objectContaining({ name: 'TypeError' }));
    });
  });
});
