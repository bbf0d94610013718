// Imported first by a test file: TestBed without zone.js (provideZonelessChangeDetection).
import { setupZonelessTestEnv } from 'jest-preset-angular/setup-env/zoneless';

setupZonelessTestEnv();
