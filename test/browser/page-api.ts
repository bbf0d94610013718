/** What a publish from the page resolved to (the client's `PublishResult`, as plain data). */
export interface PagePublishResult {
  packetId?: number;
  reasonCode: number;
}

/**
 * What test/browser/page.ts exposes on `window.rxMqttPage`, for the test to call through
 * `page.evaluate`.
 */
export interface PageApi {
  /**
   * Publishes `text` on `topic` from the page.
   *
   * @param topic the topic.
   * @param text the payload (UTF-8).
   * @param qos 0, 1 or 2.
   * @returns the publish result, once acknowledged for QoS 1/2.
   */
  publish(topic: string, text: string, qos: 0 | 1 | 2): Promise<PagePublishResult>;
  /**
   * Ends the page's client.
   *
   * @returns once the client is closed.
   */
  end(): Promise<void>;
}

declare global {
  interface Window {
    rxMqttPage?: PageApi;
  }
}
