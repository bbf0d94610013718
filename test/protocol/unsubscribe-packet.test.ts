import { unsubscribePacket } from '../../src/protocol/unsubscribe-packet.js';

describe('unsubscribePacket', () => {
  it('one filter, a placeholder packet identifier, and the User Properties when given (MQTT 5 3.10.2.1.2)', () => {
    expect(unsubscribePacket('a/#')).toEqual({ cmd: 'unsubscribe', messageId: 1, unsubscriptions: ['a/#'] });
    expect(unsubscribePacket('a/#', { bye: 'now' })).toEqual({
      cmd: 'unsubscribe',
      messageId: 1,
      unsubscriptions: ['a/#'],
      properties: { userProperties: { bye: 'now' } },
    });
  });
});
