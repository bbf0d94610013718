import type { ConnackPacket, ConnackProperties } from '../../src/packets/packet.js';
import { DEFAULT_SERVER_LIMITS, serverLimits } from '../../src/protocol/server-limits.js';

const ack = (properties?: ConnackProperties): ConnackPacket =>
  properties === undefined ? { cmd: 'connack', sessionPresent: false, reasonCode: 0 } : { cmd: 'connack', sessionPresent: false, reasonCode: 0, properties };

describe('serverLimits', () => {
  it('MQTT 3.x: the defaults, maxInflight (20 if unset) and our keepalive', () => {
    expect(serverLimits(ack(), { protocolVersion: 4, keepalive: 30 })).toEqual({ ...DEFAULT_SERVER_LIMITS, window: 20, keepaliveMs: 30000 });
    expect(serverLimits(ack(), { protocolVersion: 3, keepalive: 0, maxInflight: 5 }).window).toBe(5);
  });

  it('MQTT 5 without properties: everything available, no size limit, no aliases, window 65535', () => {
    expect(serverLimits(ack(), { protocolVersion: 5, keepalive: 60 })).toEqual({
      window: 65535,
      maximumPacketSize: 0,
      maximumQoS: 2,
      retainAvailable: true,
      capabilities: { wildcardSubscriptionAvailable: true, sharedSubscriptionAvailable: true, subscriptionIdentifiersAvailable: true },
      topicAliasMaximum: 0,
      keepaliveMs: 60000,
      assignedClientIdentifier: undefined,
    });
  });

  it('MQTT-3.3.4-7: the window is maxInflight, never above the server\'s Receive Maximum', () => {
    expect(serverLimits(ack({ receiveMaximum: 10 }), { protocolVersion: 5, keepalive: 60, maxInflight: 100 }).window).toBe(10);
    expect(serverLimits(ack({ receiveMaximum: 10 }), { protocolVersion: 5, keepalive: 60, maxInflight: 3 }).window).toBe(3);
  });

  it('MQTT-3.2.2-21: the Server Keep Alive replaces ours', () => {
    expect(serverLimits(ack({ serverKeepAlive: 5 }), { protocolVersion: 5, keepalive: 60 }).keepaliveMs).toBe(5000);
  });

  it('MQTT 5: what the CONNACK says, as it says it', () => {
    const limits = serverLimits(
      ack({
        maximumPacketSize: 100,
        maximumQoS: 1,
        retainAvailable: false,
        wildcardSubscriptionAvailable: false,
        sharedSubscriptionAvailable: false,
        subscriptionIdentifiersAvailable: false,
        topicAliasMaximum: 7,
        assignedClientIdentifier: 'given',
      }),
      { protocolVersion: 5, keepalive: 60 },
    );
    expect(limits).toMatchObject({
      maximumPacketSize: 100,
      maximumQoS: 1,
      retainAvailable: false,
      capabilities: { wildcardSubscriptionAvailable: false, sharedSubscriptionAvailable: false, subscriptionIdentifiersAvailable: false },
      topicAliasMaximum: 7,
      assignedClientIdentifier: 'given',
    });
  });
});
