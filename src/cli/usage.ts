const CONNECTION = `Connection:
  -L, --url URL            broker URL: mqtt://, mqtts://, ws://, wss:// (user:password@ allowed);
                           default mqtt://localhost:1883 (mqtts://localhost:8883 with TLS flags)
  -h, --host HOST          broker host (overrides the URL's)
  -p, --port PORT          broker port (overrides the URL's)
  -V, --protocol-version V mqttv5 | mqttv311 | mqttv31 (or 5 | 311 | 31); default mqttv311
  -i, --id ID              client identifier; default rxmqtt_ + 8 random characters
  -u, --username USER      user name
  -P, --pw, --password PW  password (never shown by --trace)
  -k, --keepalive SEC      keepalive in seconds, 0 disables; default 60
  -c, --disable-clean-session
                           keep the session (needs -i); in MQTT 5 it never expires unless -x
  -x, --session-expiry-interval SEC
                           MQTT 5 session expiry interval
      --will-topic TOPIC   will message topic (with --will-payload, --will-qos, --will-retain)
      --cafile FILE        trusted CA certificate(s), PEM (turns TLS on)
      --cert FILE          client certificate, PEM
      --key FILE           client private key, PEM
      --insecure           do not verify the server certificate
  -d, --trace              print every packet in and out to stderr
      --help               show this help`;

const EXIT = `Exit status: 0 done, 1 connection refused / failed / lost or message refused,
2 bad arguments, 3 timed out (sub -W), 130 interrupted (pub).`;

/** Usage of `rx-mqtt sub`. */
export const SUB_USAGE = `Usage: rx-mqtt sub -t TOPIC [-t TOPIC …] [options]

Subscribes and prints each message's payload on a line of its own.

  -t, --topic FILTER       topic filter to subscribe to (repeatable; required)
  -q, --qos 0|1|2          subscription QoS; default 0
  -C, --count N            exit after N messages
  -W, --timeout SEC        exit (status 3) SEC seconds after connecting
  -v, --verbose            print "topic payload"
      --json               print one JSON object per message: topic, qos, retain,
                           payload, encoding (utf8 | base64), properties (MQTT 5)

${CONNECTION}

${EXIT}
`;

/** Usage of `rx-mqtt pub`. */
export const PUB_USAGE = `Usage: rx-mqtt pub -t TOPIC (-m MESSAGE | -f FILE | -s | -l | -n) [options]

Publishes and exits once each message's QoS flow has completed.

  -t, --topic TOPIC        topic to publish to (no wildcards; required)
  -m, --message TEXT       the message
  -f, --file FILE          send a file's contents as the message
  -s, --stdin-file         send all of stdin as one message
  -l, --stdin-line         send each line of stdin as a message
  -n, --null-message       send an empty message
  -q, --qos 0|1|2          QoS; default 0
  -r, --retain             retain the message
      --content-type TYPE  MQTT 5 content type
      --user-property NAME=VALUE
                           MQTT 5 user property (repeatable)

${CONNECTION}

${EXIT}
`;

/** Usage of `rx-mqtt` itself. */
export const MAIN_USAGE = `Usage: rx-mqtt <command> [options]

Commands:
  sub   subscribe to topics and print the messages
  pub   publish a message

Run "rx-mqtt <command> --help" for a command's options.
`;

/**
 * The usage text of a command, or of `rx-mqtt` itself.
 *
 * @param command `'sub'`, `'pub'`, or nothing for the overview.
 * @returns the text, ending with a newline.
 */
export function usage(command?: 'sub' | 'pub'): string {
  if (command === 'sub') return SUB_USAGE;
  if (command === 'pub') return PUB_USAGE;
  return MAIN_USAGE;
}
