import { MqttProtocolError, PROTOCOL_ERROR } from '../../src/packets/errors.js';
import { connectionClosedError } from '../../src/protocol/connection-closed-error.js';
import { MqttConnectionError, MqttTimeoutError } from '../../src/protocol/errors.js';

describe('connectionClosedError', () => {
  it('the peer closed the connection: a MqttConnectionError without cause', () => {
    const error = connectionClosedError(undefined, false);
    expect(error).toBeInstanceOf(MqttConnectionError);
    expect(error.message).toBe('connection closed by the server');
    expect(error.cause).toBeUndefined();
  });

  it('a transport error: could not connect while opening, connection lost after; the error is the cause', () => {
    const refused = new Error('ECONNREFUSED');
    const opening = connectionClosedError(refused, true);
    expect(opening).toBeInstanceOf(MqttConnectionError);
    expect(opening.message).toBe('could not connect: ECONNREFUSED');
    expect(opening.cause).toBe(refused);
    const reset = new Error('ECONNRESET');
    expect(connectionClosedError(reset, false)).toEqual(expect.objectContaining({ message: 'connection lost: ECONNRESET', cause: reset }));
  });

  it('an MqttError is reported as it is', () => {
    const protocol = new MqttProtocolError('bad', PROTOCOL_ERROR);
    expect(connectionClosedError(protocol, false)).toBe(protocol);
    const timeout = new MqttTimeoutError('late');
    expect(connectionClosedError(timeout, true)).toBe(timeout);
  });
});
