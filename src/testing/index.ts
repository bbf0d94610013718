/**
 * rx-mqtt/testing: the test kit. Not re-exported by the main entries.
 *
 * @module rx-mqtt/testing
 */
export { scriptedBroker } from './scripted-broker.js';
export { ofCmd } from './of-cmd.js';
export type { BrokerPublishOptions, BrokerRetainOptions, ScriptedBroker } from './scripted-broker.js';
export type { BrokerReplies, ConnackScript, ReplyCmd, ReplyScript, ScriptedBrokerOptions } from './scripted-broker-options.js';
export type { BrokerCommand, BrokerConnectionEvent } from './broker-event.js';
export type { OutgoingPublish, PublishAck } from './broker-connection.js';
export { memory, memoryPair } from '../transport/memory.js';
export type { MemoryDuplex, MemoryPair } from '../transport/memory.js';
