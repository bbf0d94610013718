/**
 * rx-mqtt/angular: providers and signals for Angular (>= 17). Not re-exported by the main entries.
 *
 * @module rx-mqtt/angular
 */
export { provideMqtt } from './provide-mqtt.js';
export { MQTT_CONFIG } from './mqtt-config.js';
export type { MqttConfig } from './mqtt-config.js';
export { MqttService } from './mqtt-service.js';
export { topicSignal } from './topic-signal.js';
export type { TopicSignalOptions } from './topic-signal.js';
export { stateSignal } from './state-signal.js';
export type { StateSignalOptions } from './state-signal.js';
