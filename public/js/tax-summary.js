/* global document, window -- served to browsers; the lint config knows only Node globals. */
// Progressive enhancement of the request form's price step: as the client types a price, the
// server's tax summary (same fragment as the page) replaces the one in the live region. Without
// this script the summary updates when the step is saved.
(function () {
  'use strict';
  var region = document.getElementById('tax-summary');
  if (!region || !window.fetch) return;
  var input = document.getElementById(region.getAttribute('data-price-field'));
  var endpoint = region.getAttribute('data-url');
  if (!input || !endpoint) return;
  var timer;
  var latest = 0;

  function refresh() {
    var asked = ++latest;
    fetch(endpoint + '?price=' + encodeURIComponent(input.value), {
      credentials: 'same-origin',
      headers: { Accept: 'text/html' },
    })
      .then(function (response) {
        return response.ok ? response.text() : undefined;
      })
      .then(function (html) {
        // A slower answer to an earlier keystroke must not replace a newer one.
        if (html !== undefined && asked === latest) region.innerHTML = html;
      })
      .catch(function () {
        // Offline or signed out: the summary still updates when the step is saved.
      });
  }

  input.addEventListener('input', function () {
    clearTimeout(timer);
    timer = setTimeout(refresh, 400);
  });
})();
