/**
 * `/sw.js`, the service worker every join page registers (scope `/`).
 * Served from this string because the build ships only compiled TypeScript.
 * Payloads come from delivery: `{ title, body, url, relayId, deliveryId, urgency }`.
 */
export const SERVICE_WORKER_JS = `'use strict';

self.addEventListener('install', function () {
  self.skipWaiting();
});

self.addEventListener('activate', function (event) {
  event.waitUntil(self.clients.claim());
});

self.addEventListener('push', function (event) {
  var data = {};
  try {
    data = event.data ? event.data.json() : {};
  } catch (error) {
    data = { title: event.data.text() };
  }
  // The tag makes a corrected alert replace the notification of its earlier version.
  event.waitUntil(
    self.registration.showNotification(data.title || 'New alert', {
      body: data.body,
      data: { url: data.url },
      tag: data.relayId,
    }),
  );
});

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = event.notification.data && event.notification.data.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
`;
