#!/usr/bin/env node
// Recomputes an opportunity's draw from its public data alone, with nothing but Node.js: the
// marketplace's code is not used, so a mistake there cannot hide here.
//
//   npm run verify-draw -- MA-2026-0007 --url https://marketplace.example.ca
//   npm run verify-draw -- --file MA-2026-0007-draw.json
//   node scripts/verify-draw.mjs MA-2026-0007 --url https://marketplace.example.ca
//
// Checks that SHA-256(secret) is the commitment published at publishing, that SHA-256 of the
// fingerprints (one per line) is the list fixed at closing, and that ranking the ranked
// fingerprints by HMAC-SHA256(secret, fingerprint), ascending, gives the published order.
// Prints OK (exit 0) or MISMATCH (exit 1); exit 2 when the data cannot be read.
import { createHash, createHmac } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { pathToFileURL } from 'node:url';

const HEX64 = /^[\da-f]{64}$/;
const FORMAT = 'micro-acquisition-draw/1';
const REFERENCE = /^MA-\d{4}-\d{4}$/;

const sha256 = (data) => createHash('sha256').update(data).digest('hex');
const hmac = (secretHex, fingerprintHex) =>
  createHmac('sha256', Buffer.from(secretHex, 'hex'))
    .update(Buffer.from(fingerprintHex, 'hex'))
    .digest('hex');

/** Every check on one draw's data, as lines "OK …" / "MISMATCH …"; pure, for the tests too. */
export function verifyDraw(draw, expectedReference) {
  const lines = [];
  const check = (ok, what) => {
    lines.push(`${ok ? 'OK      ' : 'MISMATCH'} ${what}`);
    return ok;
  };
  if (draw?.format !== FORMAT) {
    check(false, `format is ${FORMAT}`);
    return { ok: false, lines };
  }
  if (expectedReference)
    check(draw.reference === expectedReference, `reference ${expectedReference}`);
  if (
    !check(
      typeof draw.commitment === 'string' && HEX64.test(draw.commitment),
      'commitment published',
    )
  ) {
    return { ok: false, lines };
  }
  const fingerprints = draw.fingerprints;
  if (fingerprints === null) {
    lines.push('PENDING  the fingerprint list is fixed at the deadline');
  } else {
    check(
      Array.isArray(fingerprints) && fingerprints.every((f) => HEX64.test(f)),
      'fingerprints are SHA-256 values',
    );
    check(new Set(fingerprints).size === fingerprints.length, 'no fingerprint listed twice');
    check(
      sha256(fingerprints.join('\n')) === draw.fingerprintListHash,
      `list of ${fingerprints.length} fingerprints matches its SHA-256`,
    );
  }
  const order = Array.isArray(draw.order) ? draw.order : [];
  if (draw.secret === null) {
    lines.push('PENDING  the secret is revealed when the evaluation is complete');
    check(order.length === 0, 'no order before the secret is revealed');
  } else {
    const secretOk = check(
      typeof draw.secret === 'string' && HEX64.test(draw.secret),
      'secret revealed',
    );
    if (secretOk) {
      check(
        sha256(Buffer.from(draw.secret, 'hex')) === draw.commitment,
        'SHA-256(secret) is the commitment',
      );
      const listed = new Set(fingerprints ?? []);
      check(
        order.every((r) => listed.has(r.fingerprint)),
        'every ranked fingerprint is on the fixed list',
      );
      check(
        new Set(order.map((r) => r.fingerprint)).size === order.length,
        'no fingerprint ranked twice',
      );
      const recomputed = order
        .map((r) => ({ fingerprint: r.fingerprint, hmac: hmac(draw.secret, r.fingerprint) }))
        .sort((a, b) => (a.hmac < b.hmac ? -1 : a.hmac > b.hmac ? 1 : 0));
      const same = recomputed.every(
        (r, i) =>
          order[i].rank === i + 1 &&
          order[i].fingerprint === r.fingerprint &&
          order[i].hmac === r.hmac,
      );
      check(same, `order of ${order.length} recomputed from the secret`);
      for (const [i, r] of recomputed.entries())
        lines.push(`         ${i + 1}. ${r.fingerprint}  ${r.hmac}`);
    }
  }
  return { ok: !lines.some((line) => line.startsWith('MISMATCH')), lines };
}

function usage(message) {
  process.stderr.write(
    `${message}\nUsage: npm run verify-draw -- MA-2026-0007 --url https://marketplace.example.ca\n       npm run verify-draw -- [MA-2026-0007] --file draw.json\n`,
  );
  process.exit(2);
}

async function readDraw(args) {
  let reference;
  let url;
  let file;
  for (let i = 0; i < args.length; i += 1) {
    const arg = args[i];
    if (arg === '--url') url = args[++i];
    else if (arg === '--file') file = args[++i];
    else if (REFERENCE.test(arg)) reference = arg;
    else usage(`Unknown argument: ${arg}`);
  }
  if (file) return { reference, draw: JSON.parse(await readFile(file, 'utf8')) };
  if (!url) usage('Give --url or --file.');
  let address = url;
  if (!url.endsWith('.json')) {
    if (!reference) usage('Give the opportunity reference (MA-2026-0007) with --url.');
    address = `${url.endsWith('/') ? url.slice(0, -1) : url}/en/opportunities/${reference}/draw.json`;
  }
  const response = await fetch(address, { headers: { Accept: 'application/json' } });
  if (!response.ok) usage(`${address}: HTTP ${response.status}`);
  return { reference, draw: await response.json() };
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  try {
    const { reference, draw } = await readDraw(process.argv.slice(2));
    const { ok, lines } = verifyDraw(draw, reference);
    process.stdout.write(`${lines.join('\n')}\n${ok ? 'OK' : 'MISMATCH'}\n`);
    process.exit(ok ? 0 : 1);
  } catch (error) {
    usage(`Could not read the draw: ${error instanceof Error ? error.message : String(error)}`);
  }
}
