import { AuthExchange } from '../../src/protocol/auth-exchange.js';

describe('AuthExchange', () => {
  it('a challenge is answered once, by its own token only', () => {
    const auth = new AuthExchange();
    expect(auth.answer(0)).toBe(false); // nothing awaits
    const first = auth.challenged();
    const second = auth.challenged();
    expect(second).not.toBe(first);
    expect(auth.answer(first)).toBe(false); // an earlier challenge
    expect(auth.answer(second)).toBe(true);
    expect(auth.answer(second)).toBe(false); // answered already
  });

  it('CONNACK, the end of a re-authentication and the end of the connection void an unanswered challenge', () => {
    const auth = new AuthExchange();
    let token = auth.challenged();
    auth.connected();
    expect(auth.answer(token)).toBe(false);
    token = auth.challenged();
    auth.reauthenticated();
    expect(auth.answer(token)).toBe(false);
    token = auth.challenged();
    auth.ended();
    expect(auth.answer(token)).toBe(false);
  });

  it('a re-authentication runs from AUTH 0x19 to AUTH 0x00, or fails when the connection ends', () => {
    const auth = new AuthExchange();
    expect(auth.reauthenticating).toBe(false);
    auth.reauthenticationStarted();
    expect(auth.reauthenticating).toBe(true);
    auth.reauthenticated();
    expect(auth.reauthenticating).toBe(false);
    expect(auth.ended()).toBe(false); // nothing ran: nothing fails
    auth.reauthenticationStarted();
    expect(auth.ended()).toBe(true);
    expect(auth.reauthenticating).toBe(false);
    expect(auth.ended()).toBe(false); // failed once only
  });
});
