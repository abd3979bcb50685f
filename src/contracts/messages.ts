import type { Knex } from 'knex';
import type { CurrentUser } from '../platform/auth.ts';
import type { Lang } from '../platform/i18n.ts';
import { TransitionError } from '../lifecycle/transition.ts';
import { viewerOf } from './access.ts';
import { tellAboutContract } from './emails.ts';
import { insertMessage, lockContract, opportunityOf } from './repo.ts';

/**
 * A message on the contract's thread, kept with the language it was written in (the page's) and
 * emailed to the other side: the supplier's to the client and the program team, the
 * department's to the supplier.
 */
export async function postMessage(
  trx: Knex.Transaction,
  user: CurrentUser,
  input: { contractId: number; body: string; lang: Lang; now: Date },
): Promise<number> {
  const contract = await lockContract(trx, input.contractId);
  const opportunity = contract && (await opportunityOf(trx, contract.opportunity_id));
  const viewer = contract && viewerOf(contract, opportunity!, user);
  if (!contract || !viewer) throw new TransitionError({ kind: 'not_found' });
  const id = await insertMessage(trx, {
    contract,
    authorId: user.id,
    body: input.body,
    lang: input.lang,
    at: input.now,
  });
  await tellAboutContract(trx, input.now, {
    template: 'contract-message',
    contract,
    to: viewer === 'supplier' ? 'department' : 'supplier',
    key: id,
    detail: input.body,
  });
  return id;
}
