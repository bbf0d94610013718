import { formatMessage, messageJson } from '../../src/cli/format-message.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';

const text = (bytes: Uint8Array): string => new TextDecoder().decode(bytes);
const message = (payload: Uint8Array, extra: Partial<MqttMessage> = {}): MqttMessage => ({
  topic: 'a/b',
  payload,
  qos: 1,
  retain: false,
  dup: false,
  ...extra,
});

describe('formatMessage (sub output)', () => {
  it('prints the payload bytes as they are, then a newline', () => {
    const payload = Uint8Array.of(0xff, 0x00, 0x41);
    expect(formatMessage(message(payload), 'payload')).toEqual(Uint8Array.of(0xff, 0x00, 0x41, 0x0a));
  });

  it('-v puts the topic and a space before the payload', () => {
    expect(text(formatMessage(message(new TextEncoder().encode('hi')), 'verbose'))).toBe('a/b hi\n');
    expect(text(formatMessage(message(new Uint8Array(0)), 'verbose'))).toBe('a/b \n');
  });

  it('--json: text as utf8, anything else as base64, MQTT 5 bytes in base64', () => {
    expect(text(formatMessage(message(new TextEncoder().encode('héllo'), { retain: true }), 'json'))).toBe(
      '{"topic":"a/b","qos":1,"retain":true,"payload":"héllo","encoding":"utf8"}\n',
    );
    expect(messageJson(message(Uint8Array.of(0xc3, 0x28)))).toMatchObject({ payload: 'wyg=', encoding: 'base64' });
    expect(messageJson(message(Uint8Array.of(0x01)))).toMatchObject({ payload: 'AQ==', encoding: 'base64' });
    expect(
      messageJson(message(new Uint8Array(0), { properties: { correlationData: Uint8Array.of(1, 2, 3), userProperties: { k: 'v' }, contentType: 'x' } })),
    ).toEqual({
      topic: 'a/b',
      qos: 1,
      retain: false,
      payload: '',
      encoding: 'utf8',
      properties: { correlationData: 'AQID', userProperties: { k: 'v' }, contentType: 'x' },
    });
  });
});
