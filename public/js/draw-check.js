/* global document, window -- served to browsers; the lint config knows only Node globals. */
// Progressive enhancement of the draw's page: the browser recomputes the draw from the page's
// JSON with Web Crypto, on its own (not the server's code), and says whether it agrees:
// SHA-256(secret) is the commitment, SHA-256 of the fingerprints one per line is the list's, and
// ranking the ranked fingerprints by HMAC-SHA256(secret, fingerprint) ascending gives the order.
// Without JavaScript the page explains how to do the same with the script or OpenSSL.
(function () {
  'use strict';
  var region = document.getElementById('draw-check');
  if (!region) return;
  var subtle = window.crypto && crypto.subtle;
  function say(key) {
    region.textContent = region.getAttribute('data-' + key);
    region.hidden = false;
  }
  if (!subtle || !window.fetch || !window.TextEncoder) return;

  var HEX64 = /^[0-9a-f]{64}$/;
  function bytesOf(hex) {
    var bytes = new Uint8Array(hex.length / 2);
    for (var i = 0; i < bytes.length; i += 1) bytes[i] = parseInt(hex.substr(i * 2, 2), 16);
    return bytes;
  }
  function hexOf(buffer) {
    return Array.prototype.map
      .call(new Uint8Array(buffer), function (b) {
        return (b < 16 ? '0' : '') + b.toString(16);
      })
      .join('');
  }
  function sha256(bytes) {
    return subtle.digest('SHA-256', bytes).then(hexOf);
  }

  function check(draw) {
    if (typeof draw.commitment !== 'string' || !HEX64.test(draw.commitment)) return false;
    var steps = [];
    if (draw.fingerprints) {
      if (
        !draw.fingerprints.every(function (f) {
          return HEX64.test(f);
        })
      )
        return false;
      steps.push(
        sha256(new TextEncoder().encode(draw.fingerprints.join('\n'))).then(function (hash) {
          return hash === draw.fingerprintListHash;
        }),
      );
    }
    if (draw.secret === null) {
      return Promise.all(steps).then(function (results) {
        return results.every(Boolean) && draw.order.length === 0 ? 'ok-so-far' : false;
      });
    }
    if (!HEX64.test(draw.secret) || !draw.fingerprints) return false;
    var secret = bytesOf(draw.secret);
    steps.push(
      sha256(secret).then(function (hash) {
        return hash === draw.commitment;
      }),
    );
    var listed = {};
    draw.fingerprints.forEach(function (f) {
      listed[f] = true;
    });
    steps.push(
      subtle
        .importKey('raw', secret, { name: 'HMAC', hash: 'SHA-256' }, false, ['sign'])
        .then(function (key) {
          return Promise.all(
            draw.order.map(function (entry) {
              if (!listed[entry.fingerprint] || !HEX64.test(entry.fingerprint)) return null;
              return subtle.sign('HMAC', key, bytesOf(entry.fingerprint)).then(hexOf);
            }),
          );
        })
        .then(function (hmacs) {
          var seen = {};
          var sorted = hmacs.slice().sort();
          return draw.order.every(function (entry, i) {
            var fresh = !seen[entry.fingerprint];
            seen[entry.fingerprint] = true;
            return (
              fresh && hmacs[i] === entry.hmac && sorted[i] === entry.hmac && entry.rank === i + 1
            );
          });
        }),
    );
    return Promise.all(steps).then(function (results) {
      return results.every(Boolean) ? 'ok' : false;
    });
  }

  say('checking');
  fetch(region.getAttribute('data-json'), {
    credentials: 'same-origin',
    headers: { Accept: 'application/json' },
  })
    .then(function (response) {
      if (!response.ok) throw new Error(String(response.status));
      return response.json();
    })
    .then(check)
    .then(
      function (verdict) {
        say(verdict || 'mismatch');
      },
      function () {
        say('unavailable');
      },
    );
})();
