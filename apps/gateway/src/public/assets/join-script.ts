/**
 * `/static/join.js`: browser notifications on a join page. Registers the
 * organisation's own service worker for its own scope, asks for permission,
 * subscribes that registration with the organisation's VAPID key (all from
 * the form's data attributes, since the CSP allows no inline script) and
 * posts `{ push, language, topics }` to the same endpoint as the form.
 * `#push-status` carries `data-state` (on, blocked, unsupported, error) for tests.
 */
export const JOIN_JS = `'use strict';
(function () {
  var form = document.getElementById('join-form');
  var button = document.getElementById('push-button');
  var status = document.getElementById('push-status');
  if (!form || !button || !status) return;

  function say(state, text) {
    status.dataset.state = state;
    status.textContent = text;
  }

  if (!('serviceWorker' in navigator) || !('PushManager' in window) || !('Notification' in window)) {
    say('unsupported', 'This browser cannot show notifications. You can still join by email.');
    return;
  }

  function keyBytes(base64url) {
    var base64 = base64url.replace(/-/g, '+').replace(/_/g, '/');
    var raw = atob(base64 + '='.repeat((4 - (base64.length % 4)) % 4));
    var bytes = new Uint8Array(raw.length);
    for (var i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return bytes;
  }

  function chosenTopics() {
    return Array.prototype.map.call(form.querySelectorAll('input[name="topics"]:checked'), function (box) {
      return box.value;
    });
  }

  var registered = navigator.serviceWorker.register(form.dataset.swUrl, { scope: form.dataset.swScope });

  // The join page itself is outside the worker's scope, so navigator.serviceWorker.ready never settles here.
  function activated(registration) {
    var worker = registration.installing || registration.waiting || registration.active;
    if (!worker || worker.state === 'activated') return Promise.resolve(registration);
    return new Promise(function (resolve) {
      worker.addEventListener('statechange', function () {
        if (worker.state === 'activated') resolve(registration);
      });
    });
  }
  button.hidden = false;

  button.addEventListener('click', async function () {
    button.disabled = true;
    try {
      say('asking', 'Waiting for your browser’s permission…');
      var permission = await Notification.requestPermission();
      if (permission !== 'granted') {
        say('blocked', 'Notifications are blocked for this site. You can allow them in your browser’s site settings.');
        return;
      }
      var registration = await activated(await registered);
      var subscription = await registration.pushManager.subscribe({
        userVisibleOnly: true,
        applicationServerKey: keyBytes(form.dataset.vapidKey),
      });
      var response = await fetch(form.dataset.joinUrl, {
        method: 'POST',
        headers: { 'content-type': 'application/json', accept: 'application/json' },
        body: JSON.stringify({ push: subscription.toJSON(), language: form.elements.language.value, topics: chosenTopics() }),
      });
      var answer = await response.json().catch(function () {
        return {};
      });
      if (!response.ok) {
        say('error', 'Notifications could not be turned on: ' + (answer.message || 'please try again.'));
        return;
      }
      say('on', 'Notifications are on for this device.');
    } catch (error) {
      say('error', 'Notifications could not be turned on: ' + (error && error.message ? error.message : String(error)));
    } finally {
      button.disabled = false;
    }
  });
})();
`;
