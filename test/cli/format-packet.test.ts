import { formatPacket } from '../../src/cli/format-packet.js';
import type { Packet, ProtocolVersion } from '../../src/packets/packet.js';

const bytes = (text: string): Uint8Array => new TextEncoder().encode(text);
const out = (packet: Packet, version: ProtocolVersion = 4, ms = 1234): string => formatPacket({ direction: 'out', packet }, ms, version);
const inn = (packet: Packet, version: ProtocolVersion = 4, ms = 5): string => formatPacket({ direction: 'in', packet }, ms, version);

describe('formatPacket (--trace)', () => {
  it('shows the direction, the time since start and the padded packet type', () => {
    expect(out({ cmd: 'pingreq' })).toBe('→ +1.234s PINGREQ');
    expect(inn({ cmd: 'pingresp' })).toBe('← +0.005s PINGRESP');
    expect(out({ cmd: 'puback', messageId: 7 })).toBe('→ +1.234s PUBACK      messageId=7');
  });

  it('never shows a CONNECT password, whatever bytes the packet holds', () => {
    const line = out({
      cmd: 'connect',
      protocolId: 'MQTT',
      protocolVersion: 4,
      clientId: 'me',
      clean: true,
      keepalive: 60,
      username: 'bob',
      password: bytes('hunter2'),
      will: { topic: 'gone', payload: bytes('bye'), qos: 1, retain: true },
    });
    expect(line).toBe(
      '→ +1.234s CONNECT     protocol=MQTT/4 clientId="me" clean=true keepalive=60 username="bob" password=<hidden> will={topic="gone" qos=1 retain payload(3 B)="bye"}',
    );
    expect(line).not.toContain('hunter2');
  });

  it('hides MQTT 5 authentication data and previews other bytes', () => {
    const line = out(
      {
        cmd: 'connect',
        protocolId: 'MQTT',
        protocolVersion: 5,
        clientId: '',
        clean: false,
        keepalive: 0,
        properties: { authenticationMethod: 'SCRAM', authenticationData: bytes('secret'), sessionExpiryInterval: 10 },
      },
      5,
    );
    expect(line).toMatch(/properties=\{authenticationMethod="SCRAM" authenticationData=<hidden> sessionExpiryInterval=10\}$/);
    expect(line).not.toContain('secret');
  });

  it('names CONNACK codes: 3.1.1 return codes and MQTT 5 reason codes', () => {
    expect(inn({ cmd: 'connack', sessionPresent: false, returnCode: 5 })).toBe(
      '← +0.005s CONNACK     sessionPresent=false returnCode=5 (Connection Refused, not authorized)',
    );
    expect(inn({ cmd: 'connack', sessionPresent: true, reasonCode: 0x87, properties: { reasonString: 'no' } }, 5)).toBe(
      '← +0.005s CONNACK     sessionPresent=true reasonCode=0x87 (Not authorized) properties={reasonString="no"}',
    );
  });

  it('shows a PUBLISH: id, QoS, flags, topic, payload preview and properties', () => {
    expect(
      inn(
        {
          cmd: 'publish',
          topic: 'a/b',
          payload: bytes('hello'),
          qos: 1,
          dup: true,
          retain: true,
          messageId: 3,
          properties: { contentType: 'text/plain', correlationData: Uint8Array.of(1, 2), userProperties: { k: ['v', 'w'] } },
        },
        5,
      ),
    ).toBe(
      '← +0.005s PUBLISH     messageId=3 qos=1 dup retain topic="a/b" payload(5 B)="hello" properties={contentType="text/plain" correlationData=<hex 01 02> userProperties={"k":["v","w"]}}',
    );
    expect(out({ cmd: 'publish', topic: 't', payload: bytes('x'.repeat(70)), qos: 0, dup: false, retain: false })).toBe(
      `→ +1.234s PUBLISH     qos=0 topic="t" payload(70 B)="${'x'.repeat(64)}"…`,
    );
    expect(out({ cmd: 'publish', topic: 't', payload: Uint8Array.from({ length: 20 }, (_, i) => i), qos: 0, dup: false, retain: false })).toMatch(
      /payload\(20 B\)=<hex 00 01 02 03 04 05 06 07 08 09 0a 0b 0c 0d 0e 0f …>$/,
    );
  });

  it('shows the acknowledgements with their MQTT 5 reason codes', () => {
    expect(inn({ cmd: 'puback', messageId: 1, reasonCode: 0x10 }, 5)).toBe('← +0.005s PUBACK      messageId=1 reasonCode=0x10 (No matching subscribers)');
    expect(inn({ cmd: 'pubrec', messageId: 2 })).toBe('← +0.005s PUBREC      messageId=2');
    expect(out({ cmd: 'pubrel', messageId: 2 })).toBe('→ +1.234s PUBREL      messageId=2');
    expect(inn({ cmd: 'pubcomp', messageId: 2, reasonCode: 0x92 }, 5)).toBe(
      '← +0.005s PUBCOMP     messageId=2 reasonCode=0x92 (Packet Identifier not found)',
    );
  });

  it('shows subscriptions and their outcome', () => {
    expect(
      out({
        cmd: 'subscribe',
        messageId: 4,
        subscriptions: [
          { topic: 'a/#', qos: 1 },
          { topic: 'b', qos: 0, nl: true, rap: true, rh: 2 },
        ],
        properties: { subscriptionIdentifier: 9 },
      }, 5),
    ).toBe('→ +1.234s SUBSCRIBE   messageId=4 subscriptions=["a/#" qos=1, "b" qos=0 nl rap rh=2] properties={subscriptionIdentifier=9}');
    expect(inn({ cmd: 'suback', messageId: 4, granted: [1, 0x80] })).toBe('← +0.005s SUBACK      messageId=4 granted=[1, 0x80 (Failure)]');
    expect(inn({ cmd: 'suback', messageId: 4, granted: [0x87] }, 5)).toBe('← +0.005s SUBACK      messageId=4 granted=[0x87 (Not authorized)]');
    expect(out({ cmd: 'unsubscribe', messageId: 5, unsubscriptions: ['a/#'] })).toBe('→ +1.234s UNSUBSCRIBE messageId=5 unsubscriptions=["a/#"]');
    expect(inn({ cmd: 'unsuback', messageId: 5, granted: [0x11] }, 5)).toBe('← +0.005s UNSUBACK    messageId=5 granted=[0x11]');
  });

  it('shows DISCONNECT and AUTH reason codes', () => {
    expect(out({ cmd: 'disconnect' })).toBe('→ +1.234s DISCONNECT');
    expect(inn({ cmd: 'disconnect', reasonCode: 0x8e }, 5)).toBe('← +0.005s DISCONNECT  reasonCode=0x8e (Session taken over)');
    expect(inn({ cmd: 'auth', reasonCode: 0x18, properties: { authenticationData: bytes('x') } }, 5)).toBe(
      '← +0.005s AUTH        reasonCode=0x18 (Continue authentication) properties={authenticationData=<hidden>}',
    );
  });
});
