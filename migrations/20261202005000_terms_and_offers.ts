import type { Knex } from 'knex';

/**
 * The terms (the one-page intellectual property and open-source licence agreement) in numbered
 * bilingual versions; each acceptance keeps the version, the time and the language it was read
 * in, so a new version changes nothing already accepted. An offer has a time to answer by; a
 * re-posted opportunity names the one it was re-posted from.
 *
 * Version 1's text is frozen here as it lands; an administrator publishes later versions.
 */
const firstVersion = {
  en: `1. Parties. This agreement is between His Majesty the King in right of Canada, represented by the department named on the opportunity (the Department), and the supplier who accepts it (the Supplier).

2. Work. The Supplier writes the code the opportunity describes, meets its work acceptance criteria by the delivery date and delivers it as a pull request or commits to the public repository named on the opportunity.

3. Open-source licence. Everything the Supplier delivers is published under the open-source licence named on the opportunity (a licence approved by the Open Source Initiative). The Supplier grants the Department, and everyone, the rights that licence gives.

4. Intellectual property. The Supplier keeps the copyright in what they write. They confirm that the work is their own or that they have the right to license it, and that it includes no code under a licence that is incompatible with the opportunity's licence.

5. Price and payment. The price is the fixed amount on the opportunity, taxes included, and never more than $10,000. The Department pays within 30 days of the later of the invoice and the acceptance of the work, and reports any problem with the invoice within 15 days.

6. No delivery. If the work is not delivered by the delivery date, the Department may extend the date or end the contract without payment.

7. Conduct. The work is unclassified and done remotely. The Supplier confirms their eligibility attestations are true and declares any conflict of interest that arises.

8. Whole agreement. These terms, the opportunity's text and its addenda are the whole agreement. They are governed by the laws of Ontario and of Canada.`,
  fr: `1. Parties. La présente entente est conclue entre Sa Majesté le Roi du chef du Canada, représenté par le ministère nommé dans l’occasion (le Ministère), et le fournisseur qui l’accepte (le Fournisseur).

2. Travaux. Le Fournisseur écrit le code que décrit l’occasion, satisfait à ses critères d’acceptation des travaux au plus tard à la date de livraison et le livre sous forme de demande de tirage (pull request) ou de validations dans le dépôt public nommé dans l’occasion.

3. Licence de source ouverte. Tout ce que livre le Fournisseur est publié sous la licence de source ouverte nommée dans l’occasion (une licence approuvée par l’Open Source Initiative). Le Fournisseur accorde au Ministère, et à tous, les droits que donne cette licence.

4. Propriété intellectuelle. Le Fournisseur conserve le droit d’auteur sur ce qu’il écrit. Il confirme que les travaux sont les siens ou qu’il a le droit d’en accorder la licence, et qu’ils ne contiennent aucun code sous une licence incompatible avec celle de l’occasion.

5. Prix et paiement. Le prix est le montant fixe indiqué dans l’occasion, taxes comprises, et ne dépasse jamais 10 000 $. Le Ministère paie dans les 30 jours suivant la plus tardive des dates de la facture et de l’acceptation des travaux, et signale tout problème de facture dans les 15 jours.

6. Absence de livraison. Si les travaux ne sont pas livrés à la date de livraison, le Ministère peut reporter la date ou mettre fin au contrat sans paiement.

7. Conduite. Les travaux sont non classifiés et faits à distance. Le Fournisseur confirme que ses attestations d’admissibilité sont vraies et déclare tout conflit d’intérêts qui survient.

8. Intégralité de l’entente. Les présentes modalités, le texte de l’occasion et ses addenda constituent l’entente intégrale. Elles sont régies par les lois de l’Ontario et du Canada.`,
};

export async function up(knex: Knex): Promise<void> {
  await knex.schema.createTable('terms_versions', (t) => {
    t.bigIncrements('id');
    t.integer('number').notNullable().unique();
    t.text('body_en').notNullable();
    t.text('body_fr').notNullable();
    t.timestamp('published_at', { useTz: true }).notNullable();
    // Null for the first version, which came with the software.
    t.bigInteger('published_by').references('users.id');
  });
  await knex.raw(
    `ALTER TABLE terms_versions ADD CONSTRAINT terms_versions_bilingual CHECK (char_length(trim(body_en)) > 0 AND char_length(trim(body_fr)) > 0)`,
  );
  await knex('terms_versions').insert({
    number: 1,
    body_en: firstVersion.en,
    body_fr: firstVersion.fr,
    published_at: new Date('2026-12-02T00:00:00Z'),
  });

  // One acceptance per contract (per offer), naming what was read: the version and its language.
  await knex.schema.createTable('terms_acceptances', (t) => {
    t.bigIncrements('id');
    t.bigInteger('contract_id').notNullable().unique().references('contracts.id');
    t.bigInteger('terms_version_id').notNullable().references('terms_versions.id');
    t.bigInteger('supplier_id').notNullable().references('users.id');
    t.text('language').notNullable();
    t.timestamp('accepted_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `ALTER TABLE terms_acceptances ADD CONSTRAINT terms_acceptances_language CHECK (language IN ('en', 'fr'))`,
  );

  await knex.schema.alterTable('contracts', (t) => {
    t.timestamp('respond_by', { useTz: true });
  });
  await knex.raw(
    `CREATE INDEX contracts_offers_due ON contracts (respond_by) WHERE status = 'offered'`,
  );

  await knex.schema.alterTable('opportunities', (t) => {
    t.bigInteger('reposted_from_id').unique().references('opportunities.id');
  });
}

export async function down(knex: Knex): Promise<void> {
  await knex.schema.alterTable('opportunities', (t) => t.dropColumn('reposted_from_id'));
  await knex.raw('DROP INDEX contracts_offers_due');
  await knex.schema.alterTable('contracts', (t) => t.dropColumn('respond_by'));
  await knex.schema.dropTable('terms_acceptances');
  await knex.schema.dropTable('terms_versions');
}
