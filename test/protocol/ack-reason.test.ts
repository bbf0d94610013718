import { ackReasonProperties, checkAckReason, refuses, strongerReason } from '../../src/protocol/ack-reason.js';

describe('ack reasons (MQTT 5 3.4.2.1, 3.5.2.1)', () => {
  it('refuses: a reason code of 0x80 or more', () => {
    expect([undefined, {}, { reasonCode: 0x10 }, { reasonCode: 0x80 }, { reasonCode: 0x99 }].map(refuses)).toEqual([false, false, false, true, true]);
  });

  it('strongerReason: a refusal over a success, else the first given', () => {
    const ok = { reasonCode: 0 };
    const none = { reasonCode: 0x10 };
    const bad = { reasonCode: 0x80 };
    const worse = { reasonCode: 0x87 };
    expect(strongerReason(undefined, undefined)).toBeUndefined();
    expect(strongerReason(undefined, ok)).toBe(ok);
    expect(strongerReason(ok, undefined)).toBe(ok);
    expect(strongerReason(ok, none)).toBe(ok);
    expect(strongerReason(ok, bad)).toBe(bad);
    expect(strongerReason(bad, worse)).toBe(bad);
    expect(strongerReason(bad, ok)).toBe(bad);
  });

  it('checkAckReason: every PUBACK / PUBREC reason code passes; others are a RangeError; bad properties a TypeError', () => {
    for (const reasonCode of [0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99]) expect(checkAckReason({ reasonCode })).toBeUndefined();
    expect(checkAckReason({})).toBeUndefined();
    expect(checkAckReason({ reasonCode: 0x81 })).toEqual(
      new RangeError('ack(): 0x81 is not a PUBACK / PUBREC reason code (0x00, 0x10, 0x80, 0x83, 0x87, 0x90, 0x91, 0x97, 0x99)'),
    );
    expect(checkAckReason({ reasonCode: 0x92 })).toBeInstanceOf(RangeError);
    expect(checkAckReason({ reasonString: 5 as unknown as string })).toEqual(new TypeError('ack(): properties.reasonString must be a string'));
    expect(checkAckReason({ userProperties: { a: 1 as unknown as string } })).toBeInstanceOf(TypeError);
  });

  it('ackReasonProperties: the Reason String and User Properties of an answer, none when it has neither', () => {
    expect(ackReasonProperties(undefined)).toBeUndefined();
    expect(ackReasonProperties({ reasonCode: 0x80 })).toBeUndefined();
    expect(ackReasonProperties({ reasonCode: 0x99, reasonString: 'not JSON' })).toEqual({ reasonString: 'not JSON' });
    expect(ackReasonProperties({ userProperties: { a: 'b' } })).toEqual({ userProperties: { a: 'b' } });
    expect(ackReasonProperties({ reasonString: 'r', userProperties: { a: ['b', 'c'] } })).toEqual({ reasonString: 'r', userProperties: { a: ['b', 'c'] } });
  });
});
