// The kiosk's page survives reloads and reboots while the gateway is away: its shell is cached
// here; API calls always go to the network (unsent ratings wait in localStorage, not here).
"use strict";
const SHELL = "pacesetter-kiosk-v1";
const FILES = ["/kiosk", "/device/kiosk.js", "/device/kiosk.css"];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(SHELL).then((cache) => cache.addAll(FILES)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.pathname.startsWith("/api/")) return;
  const path = url.pathname;
  if (!FILES.includes(path)) return;
  // Network first, so an update reaches the kiosk; the cache when the network is away.
  event.respondWith(fetch(event.request).then((response) => {
    const copy = response.clone();
    caches.open(SHELL).then((cache) => cache.put(path, copy));
    return response;
  }).catch(() => caches.match(path)));
});
