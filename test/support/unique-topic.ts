let counter = 0;

/**
 * A topic no other test of this process uses: `rxmqtt-test/<pid>/<n>/<name>`, so tests
 * sharing a broker (and retained messages) never see each other's messages.
 *
 * @param name a readable last part.
 * @returns the topic.
 */
export function uniqueTopic(name: string): string {
  counter += 1;
  return `rxmqtt-test/${process.pid}/${counter}/${name}`;
}
