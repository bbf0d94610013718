/**
 * `npm start`: what rx-mqtt is for, in one screen.
 *
 * An embedded broker; three simulated room sensors publishing temperatures; a
 * dashboard composed from `topic()` streams with RxJS operators (the average per room
 * over two-second windows); and a heater that obeys commands sent at QoS 2, each
 * acknowledged end to end (PUBREC/PUBREL/PUBCOMP) before the dashboard reports it.
 */
import { EMPTY, firstValueFrom, interval, lastValueFrom, merge, timer } from 'rxjs';
import { bufferTime, concatMap, filter, groupBy, map, mergeMap, take, takeUntil, tap } from 'rxjs/operators';
import { asJson, asText, connect } from '../src/index.js';
import { startEmbeddedBroker } from './embedded-broker.js';

interface Reading {
  room: string;
  celsius: number;
}

const rooms = ['kitchen', 'office', 'bedroom'];
const runFor = 8000;

function log(who: string, text: string): void {
  console.log(`${who.padEnd(10)} ${text}`);
}

async function main(): Promise<void> {
  const broker = await startEmbeddedBroker();
  log('broker', `aedes listening on ${broker.url}`);

  const sensors = connect(broker.url, { clientId: 'demo-sensors' });
  const dashboard = connect(broker.url, { clientId: 'demo-dashboard' });
  const heater = connect(broker.url, { clientId: 'demo-heater' });
  await Promise.all(
    [sensors, dashboard, heater].map((c) => firstValueFrom(c.state$.pipe(filter((s) => s.status === 'connected')))),
  );
  log('clients', 'sensors, dashboard and heater connected');

  const stop = timer(runFor);

  // The heater obeys commands sent to it at QoS 2: each arrives exactly once.
  const heaterWork = heater.topic('home/+/heater', { qos: 2 }).pipe(
    tap((m) => log('heater', `${m.topic.split('/')[1]} → ${new TextDecoder().decode(m.payload)} (QoS ${m.qos})`)),
  );

  // Sensors: one reading per room every 250 ms, drifting downwards in the bedroom.
  const sensorWork = interval(250).pipe(
    takeUntil(stop),
    mergeMap((tick) =>
      rooms.map((room, i) => ({ room, celsius: 21 + i - (room === 'bedroom' ? tick * 0.3 : 0) + Math.random() * 0.4 })),
    ),
    mergeMap((r) => sensors.publish(`home/${r.room}/temperature`, JSON.stringify(r))),
  );

  // Dashboard: average per room over 2 s windows; too cold → heater on, at QoS 2.
  const dashboardWork = dashboard.topic('home/+/temperature').pipe(
    asJson<Reading>(),
    groupBy((r) => r.room),
    mergeMap((room$) =>
      room$.pipe(
        bufferTime(2000),
        filter((batch) => batch.length > 0),
        map((batch) => ({ room: room$.key, avg: batch.reduce((s, r) => s + r.celsius, 0) / batch.length, n: batch.length })),
      ),
    ),
    tap(({ room, avg, n }) => log('dashboard', `${room.padEnd(8)} avg ${avg.toFixed(2)} °C over ${n} readings`)),
    concatMap(({ room, avg }) =>
      avg < 20
        ? dashboard.publish(`home/${room}/heater`, 'on', { qos: 2 }).pipe(
            tap((r) => log('dashboard', `command 'on' to ${room} heater acknowledged (PUBCOMP, packet id ${r.packetId})`)),
          )
        : EMPTY,
    ),
  );

  // An audit trail of heater commands, from a second, overlapping filter on the same client.
  const auditWork = dashboard.topic('home/#').pipe(
    filter((m) => m.topic.endsWith('/heater')),
    asText(),
    take(3),
    tap((command) => log('audit', `heater command seen on home/#: '${command}'`)),
  );

  await lastValueFrom(merge(heaterWork, sensorWork, dashboardWork, auditWork).pipe(takeUntil(stop)), {
    defaultValue: undefined,
  });

  await Promise.all([sensors, dashboard, heater].map((c) => lastValueFrom(c.end(), { defaultValue: undefined })));
  log('clients', 'ended');
  await broker.close();
  log('broker', 'closed — bye');
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
