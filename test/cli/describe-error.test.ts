import { describeError } from '../../src/cli/describe-error.js';
import {
  MqttClosedError,
  MqttConnectionError,
  MqttPublishError,
  MqttSubscribeError,
  MqttTimeoutError,
} from '../../src/protocol/errors.js';

const url = 'mqtt://alice:secret@127.0.0.1:1883';
const before = { url, version: 4, connected: false } as const;
const v5 = { url, version: 5, connected: false } as const;

describe('describeError', () => {
  it('names a CONNACK refusal: 3.1.1 return code, MQTT 5 reason code', () => {
    expect(describeError(new MqttConnectionError('connection refused: not authorized (5)', 5), before)).toBe(
      'connection refused by the broker: Connection Refused, not authorized (return code 5)',
    );
    expect(describeError(new MqttConnectionError('connection refused', 0x86), v5)).toBe(
      'connection refused by the broker: Bad User Name or Password (reason code 0x86)',
    );
  });

  it('gives the system error of a connection that could not open, without the credentials', () => {
    const cause = Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:1883'), { code: 'ECONNREFUSED' });
    expect(describeError(new MqttConnectionError('could not connect', undefined, cause), before)).toBe(
      'cannot connect to mqtt://127.0.0.1:1883: connect ECONNREFUSED 127.0.0.1:1883',
    );
    const bare = Object.assign(new Error('getaddrinfo failed'), { code: 'ENOTFOUND' });
    expect(describeError(new MqttConnectionError('could not connect', undefined, bare), before)).toBe(
      'cannot connect to mqtt://127.0.0.1:1883: ENOTFOUND: getaddrinfo failed',
    );
    expect(describeError(new MqttTimeoutError('no CONNACK within 30000 ms'), before)).toBe(
      'cannot connect to mqtt://127.0.0.1:1883: no CONNACK within 30000 ms',
    );
  });

  it('explains a lost connection and a DISCONNECT from the broker', () => {
    const connected = { ...v5, connected: true };
    expect(describeError(new MqttConnectionError('connection closed by the server'), connected)).toBe('connection closed by the server');
    expect(describeError(new MqttConnectionError('the server sent DISCONNECT', 0x8e), connected)).toBe(
      'the broker disconnected: Session taken over (reason code 0x8e)',
    );
  });

  it('looks through MqttClosedError to its cause', () => {
    const cause = new MqttConnectionError('connection refused', 0x87);
    expect(describeError(new MqttClosedError('the client closed', cause), v5)).toMatch(/Not authorized \(reason code 0x87\)$/);
  });

  it('names refused subscriptions and publishes', () => {
    expect(describeError(new MqttSubscribeError('refused', 0x80, 'a/#'), { ...before, connected: true })).toBe(
      'subscription to "a/#" refused: Failure (return code 0x80)',
    );
    expect(describeError(new MqttSubscribeError('refused', 0x87, 'a/#'), { ...v5, connected: true })).toBe(
      'subscription to "a/#" refused: Not authorized (reason code 0x87)',
    );
    expect(describeError(new MqttPublishError('refused', 0x97, 'a/b'), { ...v5, connected: true })).toBe(
      'publish to "a/b" refused: Quota exceeded (reason code 0x97)',
    );
  });

  it('falls back to the message', () => {
    expect(describeError(new Error('boom'), before)).toBe('boom');
    expect(describeError('text', before)).toBe('text');
  });
});
