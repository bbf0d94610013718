// Boots the built Angular example (argv[2]: its main.js) in a jsdom window with
// `?broker=` argv[3], waits until it shows `connected`, clicks its button, waits until
// the published message comes back on screen, and prints one JSON line of what it saw.
// Run as a child process by example.test.ts: jsdom 29 is ESM inside, which Jest's
// CommonJS module system cannot load. Exits 1 with the error on failure.
import { readFileSync } from 'node:fs';
import { JSDOM, VirtualConsole } from 'jsdom';

const [bundlePath, brokerUrl] = process.argv.slice(2);
const errors = [];
const virtualConsole = new VirtualConsole();
virtualConsole.on('error', (...args) => errors.push(args.map(String).join(' ')));
virtualConsole.on('jsdomError', (error) => errors.push(String(error)));

const { window } = new JSDOM('<!doctype html><html><body><app-root></app-root></body></html>', {
  url: `http://localhost/?broker=${encodeURIComponent(brokerUrl)}`,
  runScripts: 'dangerously',
  virtualConsole,
});
const text = (id) => window.document.getElementById(id)?.textContent ?? '';

/** Resolves once `predicate()` holds, checked now and after every change of the document. */
function until(predicate) {
  return new Promise((resolve) => {
    if (predicate()) return resolve();
    const observer = new window.MutationObserver(() => {
      if (!predicate()) return;
      observer.disconnect();
      resolve();
    });
    observer.observe(window.document, { subtree: true, childList: true, characterData: true });
  });
}

try {
  // jsdom runs no module scripts: run the ESM bundle (no imports or exports left) as a
  // classic script in a function scope, so its top-level names stay off `window` as they
  // would in a module.
  const script = window.document.createElement('script');
  script.textContent = `(() => {\n${readFileSync(bundlePath, 'utf8')}\n})();`;
  window.document.body.appendChild(script);
  if (errors.length > 0) throw new Error(errors.join('\n'));

  await until(() => text('status') === 'connected');
  const before = text('latest');
  window.document.querySelector('button').click();
  await until(() => text('latest') === 'hello #1');
  console.log(JSON.stringify({ before, after: text('latest'), errors }));
  window.close(); // stops the window's timers and closes its WebSockets
  process.exit(0);
} catch (error) {
  console.error(error);
  process.exit(1);
}
