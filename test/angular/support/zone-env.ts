// Imported first by a test file: TestBed with zone.js (provideZoneChangeDetection).
import { setupZoneTestEnv } from 'jest-preset-angular/setup-env/zone';

setupZoneTestEnv();
