// An aedes broker in a child process (aedes is ESM-only; Jest runs CommonJS): forked by
// aedes.ts. Listens with MQTT over TCP and over WebSocket (a `ws` server, subprotocol
// `mqtt`), both on 127.0.0.1, on the ports given as argv[2] / argv[3] (0 = any free one),
// and sends `{ type: 'ready', port, wsPort }` to the parent.
// IPC in: `{ type: 'drop' }` destroys every client connection, answers `{ type: 'dropped' }`.
// Exits when the parent goes away.
import { Aedes } from 'aedes';
import { createServer } from 'node:net';
import { createWebSocketStream, WebSocketServer } from 'ws';

const [tcpPort = 0, wsPort = 0] = process.argv.slice(2).map(Number);
const broker = await Aedes.createBroker();
const sockets = new Set();
const webSockets = new Set();

const server = createServer((socket) => {
  sockets.add(socket);
  socket.on('close', () => sockets.delete(socket));
  broker.handle(socket);
});

const wss = new WebSocketServer({
  host: '127.0.0.1',
  port: wsPort,
  handleProtocols: (protocols) => (protocols.has('mqtt') ? 'mqtt' : false),
});
wss.on('connection', (ws) => {
  webSockets.add(ws);
  ws.on('close', () => webSockets.delete(ws));
  broker.handle(createWebSocketStream(ws));
});

await Promise.all([
  new Promise((resolve) => server.listen(tcpPort, '127.0.0.1', resolve)),
  new Promise((resolve) => wss.once('listening', resolve)),
]);

process.on('message', (message) => {
  if (message?.type === 'drop') {
    for (const socket of sockets) socket.destroy();
    for (const ws of webSockets) ws.terminate();
    process.send({ type: 'dropped' });
  }
});
process.on('disconnect', () => process.exit(0));
process.send({ type: 'ready', port: server.address().port, wsPort: wss.address().port });
