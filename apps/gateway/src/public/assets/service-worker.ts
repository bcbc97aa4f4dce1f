/**
 * `/join/<slug>/sw.js`, the service worker an organisation's join page
 * registers for that organisation's scope (`/join/<slug>/`); also `/sw.js`,
 * the single worker of earlier versions (scope `/`). Served from this string
 * because the build ships only compiled TypeScript. Payloads come from
 * delivery: `{ title, body, url, relayId, deliveryId, urgency }`.
 *
 * `pushsubscriptionchange`: the push service rotated or dropped the
 * subscription. The worker subscribes again with the same options (the
 * organisation's key) unless the browser already did, and tells its
 * organisation, proving the old subscription with its endpoint and keys.
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

self.addEventListener('pushsubscriptionchange', function (event) {
  event.waitUntil(renewSubscription(event.oldSubscription, event.newSubscription));
});

async function renewSubscription(old, fresh) {
  // Only an organisation's own worker knows where to say so; without the old subscription there is nothing to prove.
  var scope = new URL(self.registration.scope).pathname.split('/');
  if (!old || scope.length !== 4 || scope[1] !== 'join') return;
  var renewed = fresh || (await self.registration.pushManager.subscribe(old.options));
  await fetch(new URL('push/renew', self.registration.scope), {
    method: 'POST',
    headers: { 'content-type': 'application/json', accept: 'application/json' },
    body: JSON.stringify({ old: old.toJSON(), new: renewed.toJSON() }),
  });
}

self.addEventListener('notificationclick', function (event) {
  event.notification.close();
  var url = event.notification.data && event.notification.data.url;
  if (url) event.waitUntil(self.clients.openWindow(url));
});
`;
