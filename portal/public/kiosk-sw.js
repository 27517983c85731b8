// The kiosk's page survives reloads and reboots while the gateway is away: its shell (the page and the files it
// names) is cached here; API calls always go to the network (unsent ratings wait in localStorage, not here).
// Written by hand rather than generated (Workbox): the shell is one page whose hashed files the page itself names,
// so caching what /kiosk names — at install and again whenever a fresh /kiosk arrives — keeps it current.
"use strict";
const SHELL = "pacesetter-kiosk-v2";
const PAGE = "/kiosk";

// the built files a page names: its scripts, styles and preloaded modules
const named = (html) => [...html.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((m) => m[1]);

async function keep(response) {
  const cache = await caches.open(SHELL);
  const html = await response.clone().text();
  await cache.put(PAGE, response);
  await cache.addAll(named(html).filter((file) => file.startsWith("/assets/")));
}

self.addEventListener("install", (event) => {
  event.waitUntil(fetch(PAGE).then(keep).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(caches.keys()
    .then((names) => Promise.all(names.filter((n) => n.startsWith("pacesetter-kiosk-") && n !== SHELL).map((n) => caches.delete(n))))
    .then(() => self.clients.claim()));
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== location.origin) return;
  if (url.pathname === PAGE) {
    // network first, so an update reaches the kiosk (and its new files are kept); the cache when the network is away
    event.respondWith(fetch(event.request).then((response) => {
      if (response.ok) event.waitUntil(keep(response.clone()).catch(() => {}));
      return response;
    }).catch(() => caches.match(PAGE)));
  } else if (url.pathname.startsWith("/assets/")) {
    // hashed files never change: the kept copy when there is one (only the kiosk's are kept), else the network
    event.respondWith(caches.match(url.pathname).then((kept) => kept || fetch(event.request)));
  }
});
