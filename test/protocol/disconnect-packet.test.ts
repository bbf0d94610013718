import { checkDisconnectRequest, disconnectExpiryRefusal, disconnectPacket, mergeDisconnectRequests } from '../../src/protocol/disconnect-packet.js';

describe('disconnectPacket', () => {
  it('MQTT 3.x: a bare DISCONNECT, whatever end() was given', () => {
    expect(disconnectPacket(4, { reasonCode: 0x04, sessionExpiryInterval: 10, reasonString: 'bye' }, 10)).toEqual({ cmd: 'disconnect' });
  });

  it('MQTT 5: reason code 0 by default, the one given otherwise', () => {
    expect(disconnectPacket(5, {}, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
    expect(disconnectPacket(5, { reasonCode: 0x04 }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0x04 });
  });

  it('MQTT 5 3.14.2.2.2: a new Session Expiry Interval, unless it is non-zero after 0 in force', () => {
    expect(disconnectPacket(5, { sessionExpiryInterval: 60 }, 10)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 60 } });
    expect(disconnectPacket(5, { sessionExpiryInterval: 0 }, 10)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    expect(disconnectPacket(5, { sessionExpiryInterval: 0 }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { sessionExpiryInterval: 0 } });
    expect(disconnectPacket(5, { sessionExpiryInterval: 60 }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0 });
  });

  it('MQTT 5 3.14.2.2.3 / 3.14.2.2.4: the Reason String and User Properties end() was given', () => {
    const userProperties = { app: 'dashboard', tags: ['a', 'b'] };
    expect(disconnectPacket(5, { reasonCode: 0x04, reasonString: 'shutting down', userProperties }, 0)).toEqual({
      cmd: 'disconnect',
      reasonCode: 0x04,
      properties: { reasonString: 'shutting down', userProperties },
    });
    expect(disconnectPacket(5, { sessionExpiryInterval: 60, reasonString: 'x' }, 0)).toEqual({ cmd: 'disconnect', reasonCode: 0, properties: { reasonString: 'x' } });
  });
});

describe('mergeDisconnectRequests', () => {
  it('a later end() adds to what the first asked: its defined fields win, its undefined ones hide nothing', () => {
    const earlier = { reasonCode: 0x04, reasonString: 'bye', sessionExpiryInterval: 60 };
    expect(mergeDisconnectRequests(earlier, { reasonCode: undefined, reasonString: 'now', userProperties: { a: 'b' } })).toEqual({
      reasonCode: 0x04,
      reasonString: 'now',
      sessionExpiryInterval: 60,
      userProperties: { a: 'b' },
    });
    expect(mergeDisconnectRequests({}, {})).toEqual({});
    expect(mergeDisconnectRequests({}, { sessionExpiryInterval: 0 })).toEqual({ sessionExpiryInterval: 0 });
  });

  it('leaves both requests as they were', () => {
    const earlier = { reasonCode: 0x04 };
    mergeDisconnectRequests(earlier, { reasonCode: 0x80 });
    expect(earlier).toEqual({ reasonCode: 0x04 });
  });
});

describe('disconnectExpiryRefusal', () => {
  it('MQTT 5 3.14.2.2.2: no non-zero Session Expiry Interval when the one in force is 0', () => {
    expect(disconnectExpiryRefusal(5, 0, 60)).toMatch(/in force is 0.*3\.14\.2\.2\.2/);
  });

  it('allowed: 0 asked, a non-zero interval in force, or MQTT 3.x (whose DISCONNECT carries nothing)', () => {
    expect(disconnectExpiryRefusal(5, 0, 0)).toBeUndefined();
    expect(disconnectExpiryRefusal(5, 3600, 60)).toBeUndefined();
    expect(disconnectExpiryRefusal(4, 0, 60)).toBeUndefined();
  });
});

describe('checkDisconnectRequest: what end() may send (MQTT 5 3.14)', () => {
  it('keeps what a DISCONNECT may carry; 3.x keeps nothing and has no problem', () => {
    const request = { reasonCode: 0x04, sessionExpiryInterval: 60, reasonString: 'bye', userProperties: { a: 'b' } };
    expect(checkDisconnectRequest(5, request, 300)).toEqual({ request, problem: undefined });
    expect(checkDisconnectRequest(4, request, 300)).toEqual({ request: {}, problem: undefined });
  });

  it('leaves out each value that may not go, and reports the first problem: code, then expiry, then properties', () => {
    const bad = { reasonCode: 0x10, sessionExpiryInterval: -1, reasonString: 5 as unknown as string };
    const checked = checkDisconnectRequest(5, bad, 300);
    expect(checked.request).toEqual({});
    expect(checked.problem).toEqual(new RangeError('end() reasonCode was not sent: 16 is not a DISCONNECT reason code'));
    expect(checkDisconnectRequest(5, { sessionExpiryInterval: 1.5 }, 300).problem).toEqual(
      new RangeError('sessionExpiryInterval must be an integer in 0..4294967295, not 1.5'),
    );
    expect(checkDisconnectRequest(5, { sessionExpiryInterval: 60 }, 0).problem?.message).toMatch(/3\.14\.2\.2\.2/);
    expect(checkDisconnectRequest(5, { reasonString: 5 as unknown as string }, 0)).toEqual({
      request: {},
      problem: new TypeError('end() properties were not sent: properties.reasonString must be a string'),
    });
  });
});
