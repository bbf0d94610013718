// The example's browser entry. Built without the Angular CLI (esbuild, see build.mjs), so
// components are compiled at run time: the JIT compiler must be loaded first.
import '@angular/compiler';
import { provideZonelessChangeDetection } from '@angular/core';
import { bootstrapApplication } from '@angular/platform-browser';
import { provideMqtt } from '../../src/angular/index.js';
import { App } from './app.js';

// A broker with MQTT over WebSocket, e.g. `mosquitto` with `listener 9001` + `protocol websockets`;
// another one with `index.html?broker=wss://host/mqtt`.
const url = new URLSearchParams(location.search).get('broker') ?? 'ws://127.0.0.1:9001/mqtt';

bootstrapApplication(App, {
  providers: [provideZonelessChangeDetection(), provideMqtt({ url, options: { keepalive: 30 } })],
}).catch((error: unknown) => console.error(error));
