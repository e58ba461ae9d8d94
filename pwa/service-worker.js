// orderlog's service worker: the app shell offline, one build at a time.
//
// pwa/post-build.mjs writes this file into the build with BUILD (a hash of every
// file of the build) and FILES (their paths) filled in, so every build is a new worker.
// Installing caches the whole build in a cache of its own; the new worker then waits, so a
// page keeps running the build it started with (no mix of one build's JS and another's
// wasm) until the seller chooses to reload into the new one (the page posts 'skip-waiting').
// Activating deletes the caches of older builds. Requests are answered from this build's
// cache first: nothing needs the network once the app has been opened.
const BUILD = '__BUILD__';
const FILES = __FILES__;
const CACHE = `orderlog-${BUILD}`;

// Each file is asked for again (`no-cache`), never taken from the HTTP cache unasked; one the
// page has just downloaded (a first visit's page, wasm, and write side) comes back as 304
// with no body from a host that sends validators (an ETag or a Last-Modified).
self.addEventListener('install', (event) => {
  event.waitUntil(
    caches.open(CACHE).then((cache) => cache.addAll(FILES.map((file) => new Request(file, { cache: 'no-cache' })))),
  );
});

self.addEventListener('activate', (event) => {
  event.waitUntil((async () => {
    for (const key of await caches.keys()) {
      if (key.startsWith('orderlog-') && key !== CACHE) await caches.delete(key);
    }
    await self.clients.claim();
  })());
});

self.addEventListener('message', (event) => {
  if (event.data === 'skip-waiting') self.skipWaiting();
});

self.addEventListener('fetch', (event) => {
  const { request } = event;
  if (request.method !== 'GET' || new URL(request.url).origin !== self.location.origin) return;
  // Every route of the app is the one page: navigations get this build's index.html.
  const cached = request.mode === 'navigate'
    ? caches.match('index.html', { cacheName: CACHE })
    : caches.match(request, { cacheName: CACHE });
  event.respondWith(cached.then((response) => response ?? fetch(request)));
});
