import { connackRefusal } from '../../src/protocol/connack-refusal.js';

describe('connackRefusal', () => {
  it('accepts return code 0 / reason code 0', () => {
    expect(connackRefusal({ cmd: 'connack', sessionPresent: false, returnCode: 0 }, 4)).toBeUndefined();
    expect(connackRefusal({ cmd: 'connack', sessionPresent: true, reasonCode: 0 }, 5)).toBeUndefined();
  });

  it('3.1.1: 1, 2, 4, 5 are fatal, 3 is not', () => {
    const fatal = [1, 2, 3, 4, 5].map((c) => connackRefusal({ cmd: 'connack', sessionPresent: false, returnCode: c }, 4)?.fatal);
    expect(fatal).toEqual([true, true, false, true, true]);
  });

  it('an unknown code counts as transient', () => {
    expect(connackRefusal({ cmd: 'connack', sessionPresent: false, reasonCode: 0xa0 }, 5)).toEqual({
      code: 0xa0,
      fatal: false,
      reason: 'unknown reason',
    });
  });
});
