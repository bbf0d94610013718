import { toAuthAnswer } from '../../src/protocol/auth-answer.js';

describe('toAuthAnswer (what an AUTH we send carries, MQTT 5 3.15.2.2)', () => {
  it('undefined: nothing; bytes: the Authentication Data; an AuthAnswer as it is', () => {
    const data = new Uint8Array([1, 2]);
    expect(toAuthAnswer(undefined, 'x')).toEqual({});
    expect(toAuthAnswer(data, 'x')).toEqual({ data });
    const answer = { data, reasonString: 'why', userProperties: { a: ['b', 'c'] } };
    expect(toAuthAnswer(answer, 'x')).toBe(answer);
  });

  it('anything else, data that is not bytes, and properties that cannot be encoded are TypeErrors naming what was given', () => {
    expect(toAuthAnswer('token', 'the answer')).toEqual(new TypeError('the answer must be a Uint8Array, an AuthAnswer or undefined, not string'));
    expect(toAuthAnswer(null, 'the answer')).toEqual(new TypeError('the answer must be a Uint8Array, an AuthAnswer or undefined, not null'));
    expect(toAuthAnswer({ data: 'abc' }, 'the answer')).toEqual(new TypeError('the answer: data must be a Uint8Array'));
    expect(toAuthAnswer({ reasonString: 5 }, 'the answer')).toEqual(new TypeError('the answer: properties.reasonString must be a string'));
    expect(toAuthAnswer({ userProperties: { a: 1 } }, 'the answer')).toBeInstanceOf(TypeError);
  });
});
