// Compile-time tests of TopicParams / MqttMessageWithParams: checked by
// `npx tsc --noEmit -p tsconfig.json` (tsconfig includes test/); Jest never runs this
// file (it does not end in .test.ts). A failing line is a type error.
import type { Observable } from 'rxjs';
import type {
  MqttMessageWithParams,
  MqttParamsMessage,
  TopicParams,
  TopicParamValues,
} from '../../src/client/topic-params.js';
import type { MqttMessage } from '../../src/packets/mqtt-message.js';

/** True when A and B are the same type (not merely assignable either way). */
type Equal<A, B> = (<T>() => T extends A ? 1 : 2) extends <T>() => T extends B ? 1 : 2 ? true : false;
/** Compiles only when given `true`. */
type Expect<T extends true> = T;

export type TopicParamsCases = [
  Expect<Equal<TopicParams<'a/+room/b/#rest'>, { room: string; rest: string[] }>>,
  Expect<Equal<TopicParams<'sensors/+room/temperature'>, { room: string }>>,
  Expect<Equal<TopicParams<'logs/#path'>, { path: string[] }>>,
  Expect<Equal<TopicParams<'#all'>, { all: string[] }>>,
  Expect<Equal<TopicParams<'+first'>, { first: string }>>,
  Expect<Equal<TopicParams<'+a/+/+c/#'>, { a: string; c: string }>>,
  Expect<Equal<TopicParams<'$share/group/sensors/+room/x'>, { room: string }>>,
  Expect<Equal<TopicParams<'a/+/b'>, {}>>,
  Expect<Equal<TopicParams<'a/#'>, {}>>,
  Expect<Equal<TopicParams<'a/b'>, {}>>,
  Expect<Equal<TopicParams<'a//b/'>, {}>>,
  Expect<Equal<TopicParams<string>, {}>>,
];

export type MessageCases = [
  Expect<Equal<MqttMessageWithParams<'sensors/+room/temperature'>, MqttParamsMessage<{ room: string }>>>,
  Expect<Equal<MqttMessageWithParams<'logs/#path'>, MqttParamsMessage<{ path: string[] }>>>,
  // Filters without names keep the plain message type.
  Expect<Equal<MqttMessageWithParams<'sensors/+/temperature'>, MqttMessage>>,
  Expect<Equal<MqttMessageWithParams<'logs/#'>, MqttMessage>>,
  Expect<Equal<MqttMessageWithParams<'a/b'>, MqttMessage>>,
  Expect<Equal<MqttMessageWithParams<'$share/g/a/+'>, MqttMessage>>,
  // A filter known only at run time: params may be there, untyped.
  Expect<Equal<MqttMessageWithParams<string>, MqttMessage & { params?: TopicParamValues }>>,
  // A union of filters gives a union of messages.
  Expect<Equal<MqttMessageWithParams<'a/+x' | 'b/+'>, MqttParamsMessage<{ x: string }> | MqttMessage>>,
];

/** What `client.topic(filter)` returns once the client patch lands. */
declare function topic<F extends string>(filter: F): Observable<MqttMessageWithParams<F>>;

export function usage(): void {
  topic('sensors/+room/temperature').subscribe((m) => {
    const room: string = m.params.room;
    const topicName: string = m.topic;
    // @ts-expect-error: no such name in the filter
    void m.params.nope;
    // @ts-expect-error: `+room` is one level, a string
    const wrong: string[] = m.params.room;
    void [room, topicName, wrong];
  });

  topic('logs/#path').subscribe((m) => {
    const path: string[] = m.params.path;
    // @ts-expect-error: `#path` is the remaining levels, a string[]
    const wrong: string = m.params.path;
    void [path, wrong];
  });

  topic('$share/workers/jobs/+kind/#args').subscribe((m) => {
    const kind: string = m.params.kind;
    const args: string[] = m.params.args;
    void [kind, args];
  });

  topic('sensors/+/temperature').subscribe((m) => {
    // @ts-expect-error: a filter without names gives no params
    void m.params;
    const plain: MqttMessage = m;
    void plain;
  });

  // Existing code that types the stream as plain messages keeps compiling.
  const named: Observable<MqttMessage> = topic('sensors/+room/temperature');
  const unnamed: Observable<MqttMessage> = topic('sensors/+/temperature');
  const dynamic: Observable<MqttMessage> = topic(String('a/+x'));
  void [named, unnamed, dynamic];

  topic(String('a/+x')).subscribe((m) => {
    const maybe: TopicParamValues | undefined = m.params;
    // @ts-expect-error: a run-time filter's params may be absent
    const sure: TopicParamValues = m.params;
    void [maybe, sure];
  });
}
