import { TestScheduler } from 'rxjs/testing';
import { asJson } from '../../src/operators/as-json.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';

const scheduler = () => new TestScheduler((actual, expected) => expect(actual).toEqual(expected));
const message = (topic: string, payload: string | Uint8Array): MqttMessage => ({
  topic,
  payload: typeof payload === 'string' ? new TextEncoder().encode(payload) : payload,
  qos: 1,
  retain: false,
  dup: false,
});

describe('asJson()', () => {
  it('parses payloads as JSON', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const source = cold('a-b-c|', {
        a: message('t', '{"celsius":21.5,"tags":["x"]}'),
        b: message('t', '42'),
        c: message('t', '"é"'),
      });
      expectObservable(source.pipe(asJson<unknown>())).toBe('a-b-c|', {
        a: { celsius: 21.5, tags: ['x'] },
        b: 42,
        c: 'é',
      });
    });
  });

  it('fails with a SyntaxError naming the topic on bad JSON, and unsubscribes from the source', () => {
    scheduler().run(({ cold, expectObservable, expectSubscriptions }) => {
      const source = cold('a-b-a|', { a: message('ok', 'null'), b: message('sensors/7/reading', '{oops') });
      expectObservable(source.pipe(asJson())).toBe(
        'a-#',
        { a: null },
        expect.objectContaining({ name: 'SyntaxError', message: expect.stringContaining('"sensors/7/reading"') }),
      );
      expectSubscriptions(source.subscriptions).toBe('^-!');
    });
  });

  it('fails with a SyntaxError naming the topic on an empty payload or bad UTF-8', () => {
    scheduler().run(({ cold, expectObservable }) => {
      const error = expect.objectContaining({ name: 'SyntaxError', message: expect.stringContaining('"t/empty"') });
      expectObservable(cold('a', { a: message('t/empty', '') }).pipe(asJson())).toBe('#', undefined, error);
      const bad = expect.objectContaining({ name: 'SyntaxError', message: expect.stringContaining('"t/bin"') });
      expectObservable(cold('a', { a: message('t/bin', Uint8Array.from([0x22, 0xff, 0x22])) }).pipe(asJson())).toBe(
        '#',
        undefined,
        bad,
      );
    });
  });

  it('keeps the parser error as the cause', () => {
    let caught: unknown;
    scheduler().run(({ cold }) => {
      cold('a', { a: message('t', '{') }).pipe(asJson()).subscribe({ error: (e: unknown) => (caught = e) });
    });
    expect(caught).toBeInstanceOf(SyntaxError);
    expect((caught as SyntaxError).cause).toBeInstanceOf(SyntaxError);
  });
});
