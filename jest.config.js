/** Jest projects: `default` (npm test: unit, marbles, fuzz, integration on aedes), `interop` (Mosquitto) and `browser` (headless Chromium). */
const transform = {
  '^.+\\.tsx?$': ['ts-jest', { tsconfig: 'tsconfig.json', isolatedModules: true, diagnostics: false }],
};
const moduleNameMapper = { '^(\\.{1,2}/.*)\\.js$': '$1' };
const common = { testEnvironment: 'node', transform, moduleNameMapper };

// `angular` (in npm test): rx-mqtt/angular with TestBed, through jest-preset-angular (its jsdom
// environment; Angular's .mjs packages transformed to CommonJS). Each test file sets up its
// own TestBed environment (zoneless or zone.js), see test/angular/support/.
const ngPreset = require('jest-preset-angular/presets').createCjsPreset({ tsconfig: '<rootDir>/tsconfig.json', diagnostics: false });
const angular = {
  ...ngPreset,
  displayName: 'angular',
  testEnvironment: 'jest-preset-angular/environments/jest-jsdom-env',
  testMatch: ['<rootDir>/test/angular/**/*.test.ts'],
  moduleNameMapper,
};

/** @type {import('jest').Config} */
module.exports = {
  projects: [
    { ...common, displayName: 'default', testMatch: ['<rootDir>/test/**/*.test.ts'], testPathIgnorePatterns: ['/node_modules/', '<rootDir>/test/interop/', '<rootDir>/test/browser/', '<rootDir>/test/angular/'] },
    { ...common, displayName: 'interop', testMatch: ['<rootDir>/test/interop/**/*.test.ts'] },
    { ...common, displayName: 'browser', testMatch: ['<rootDir>/test/browser/**/*.test.ts'] },
    angular,
  ],
  collectCoverageFrom: ['src/**/*.ts'],
  // `npm test -- --coverage` fails if the codec's line coverage drops under 95%.
  coverageThreshold: { './src/packets/': { lines: 95 } },
  coverageReporters: ['text-summary', 'text'],
};
