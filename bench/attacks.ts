/**
 * The security review's attacks (../shared/reviews/security-2026-12.md), run from outside
 * against the app as `npm start` runs it: tsx src/server.ts with a new data folder, development
 * mode (the demo accounts exist), real SMTP to a loopback mailbox, a fake GitHub and a real
 * OpenID Connect provider on loopback. Each person of an attack is its own client (its own
 * loopback address). One line per attack: REFUSED, OPEN (the attack worked) or ERROR (it could
 * not be played, so nothing is proven). Exits 1 unless every attack is refused.
 *
 *   npx tsx bench/attacks.ts            all of them
 *   npx tsx bench/attacks.ts M7 L5      only these findings
 */
import { accountAttacks, lastAttacks } from './attacks/accounts.ts';
import type { Attack } from './attacks/attack.ts';
import { departmentAttacks } from './attacks/departments.ts';
import { startWorld } from './attacks/world.ts';

const only = process.argv.slice(2).map((id) => id.toUpperCase());
const attacks: Attack[] = [...accountAttacks, ...departmentAttacks, ...lastAttacks].filter(
  (a) => only.length === 0 || only.includes(a.id),
);

const world = await startWorld();
console.log(`app started in ${Math.round(world.startupMs)} ms on ${world.site.origin}\n`);
const verdicts: string[] = [];
try {
  for (const attack of attacks) {
    const started = performance.now();
    let verdict: string;
    let evidence: string;
    try {
      const outcome = await attack.run(world);
      verdict = outcome.open ? 'OPEN' : 'REFUSED';
      evidence = outcome.evidence;
    } catch (error) {
      verdict = 'ERROR';
      evidence = error instanceof Error ? error.message : String(error);
    }
    verdicts.push(verdict);
    const seconds = ((performance.now() - started) / 1000).toFixed(1);
    console.log(
      `${attack.id.padEnd(3)} ${verdict.padEnd(7)} ${attack.title} (${seconds} s)\n      ${evidence}`,
    );
  }
} finally {
  await world.close();
}
const open = verdicts.filter((v) => v !== 'REFUSED').length;
console.log(
  `\n${verdicts.length - open} of ${verdicts.length} attacks refused${open ? `; ${open} open or not played` : ''}`,
);
process.exit(open === 0 ? 0 : 1);
