import type { Knex } from 'knex';

/**
 * The database refuses what must never be (issue 9, item 4), whatever code writes the rows.
 *
 * Fund reservations and public states. An opportunity is public once published: published,
 * closed, evaluated, drawn, awarded, completed, no qualified applicant, terminated, and cancelled
 * after publishing (a cancelled row with an opening date). The rule, checked on INSERT and on
 * every change of status or opening date:
 * - while the department is committed to the work (published, closed, evaluated, drawn, awarded)
 *   a reservation must be held (not released), whatever the state before: re-posting needs new
 *   funds, and no opportunity is open, judged or awarded on funds already given back;
 * - an end (completed, no qualified applicant, terminated, cancelled after publishing) reached
 *   from a public state needs a reservation that exists, held or released, since every exit
 *   prompts finance to release it and the release may be recorded first;
 * - any public state reached from a non-public one, or inserted directly, needs a held one
 *   (an INSERT can never have one: the reservation's foreign key needs the row first).
 * The other way round, a held reservation cannot be released or deleted while its opportunity
 * is committed. The check takes a share lock on the reservation, so a release and a publication
 * running at the same time cannot both pass.
 *
 * The cap is computed from the price: `max_total_cents` is generated from `price_cents` at the
 * highest GST/HST rate (15%), rounded half up to the cent as src/platform/money.ts does, and may
 * not pass $10,000. The rates table refuses a rate above the one the cap assumes.
 *
 * Reservations: several per opportunity over time (one held at a time), amendable, partly
 * releasable. Payment methods: the domain's three. Sales-tax rates with effective dates. Criteria
 * changed in place (ids kept), deleted only from a draft, and versioned once published. Preview
 * links stored as a hash.
 */

const CAP_CENTS = 1_000_000;
/** Frozen here: the highest GST/HST rate, in basis points, that the cap assumes. */
const HIGHEST_TAX_BASIS_POINTS = 1500;

const committedStates = ['published', 'closed', 'evaluated', 'drawn', 'awarded'];
const endStates = ['completed', 'no_qualified_applicant', 'terminated'];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

const provinces = ['AB', 'BC', 'MB', 'NB', 'NL', 'NS', 'NT', 'NU', 'ON', 'PE', 'QC', 'SK', 'YT'];

/**
 * GST/HST a federal department pays, by the supplier's province (federal departments pay no
 * provincial sales tax, PST or QST). Each rate from the day it took effect: GST 5% since
 * 2008-01-01 (BC again since 2013-04-01, when its HST ended); HST 13% in Ontario since
 * 2010-07-01; 15% in New Brunswick and Newfoundland and Labrador since 2016-07-01 and in Prince
 * Edward Island since 2016-10-01; Nova Scotia's 15% from 2010-07-01 until 2025-03-31, then 14%.
 */
const salesTaxRates: [string, 'GST' | 'HST', number, string, string | null][] = [
  ['AB', 'GST', 500, '2008-01-01', null],
  ['BC', 'GST', 500, '2013-04-01', null],
  ['MB', 'GST', 500, '2008-01-01', null],
  ['NB', 'HST', 1500, '2016-07-01', null],
  ['NL', 'HST', 1500, '2016-07-01', null],
  ['NS', 'HST', 1500, '2010-07-01', '2025-03-31'],
  ['NS', 'HST', 1400, '2025-04-01', null],
  ['NT', 'GST', 500, '2008-01-01', null],
  ['NU', 'GST', 500, '2008-01-01', null],
  ['ON', 'HST', 1300, '2010-07-01', null],
  ['PE', 'HST', 1500, '2016-10-01', null],
  ['QC', 'GST', 500, '2008-01-01', null],
  ['SK', 'GST', 500, '2008-01-01', null],
  ['YT', 'GST', 500, '2008-01-01', null],
];

const paymentMethods = ['card_direct', 'card_paypal_checkout', 'paypal_payout'];
const cardMethods = ['card_direct', 'card_paypal_checkout'];

async function fundsBeforePublic(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER opportunities_published_with_funds ON opportunities`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION require_fund_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      committed constant text[] := ARRAY[${list(committedStates)}];
      ended constant text[] := ARRAY[${list(endStates)}];
      now_public boolean := NEW.status = ANY (committed) OR NEW.status = ANY (ended)
        OR (NEW.status = 'cancelled' AND NEW.opens_at IS NOT NULL);
      was_public boolean := TG_OP = 'UPDATE' AND (OLD.status = ANY (committed)
        OR OLD.status = ANY (ended) OR (OLD.status = 'cancelled' AND OLD.opens_at IS NOT NULL));
    BEGIN
      IF NOT now_public THEN
        RETURN NEW;
      END IF;
      IF NEW.status = ANY (committed) OR NOT was_public THEN
        PERFORM 1 FROM fund_reservations
          WHERE opportunity_id = NEW.id AND released_at IS NULL FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'opportunity % has no section 32 fund reservation held for it (%)',
            NEW.reference, NEW.status USING ERRCODE = 'check_violation';
        END IF;
      ELSIF NOT EXISTS (SELECT 1 FROM fund_reservations WHERE opportunity_id = NEW.id) THEN
        RAISE EXCEPTION 'opportunity % has no section 32 fund reservation (%)',
          NEW.reference, NEW.status USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER opportunities_public_with_funds BEFORE INSERT ON opportunities
    FOR EACH ROW EXECUTE FUNCTION require_fund_reservation()`);
  await knex.raw(`
    CREATE TRIGGER opportunities_public_keeps_funds BEFORE UPDATE OF status, opens_at ON opportunities
    FOR EACH ROW WHEN (NEW.status IS DISTINCT FROM OLD.status OR NEW.opens_at IS DISTINCT FROM OLD.opens_at)
    EXECUTE FUNCTION require_fund_reservation()`);

  await knex.raw(`
    CREATE FUNCTION keep_committed_funds() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF OLD.released_at IS NULL
        AND (TG_OP = 'DELETE' OR NEW.released_at IS NOT NULL OR NEW.opportunity_id <> OLD.opportunity_id)
        AND EXISTS (SELECT 1 FROM opportunities WHERE id = OLD.opportunity_id
          AND status IN (${list(committedStates)}))
      THEN
        RAISE EXCEPTION 'fund reservation % is still held by opportunity % (%)',
          OLD.reservation_number, OLD.opportunity_id,
          (SELECT status FROM opportunities WHERE id = OLD.opportunity_id)
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN CASE TG_OP WHEN 'DELETE' THEN OLD ELSE NEW END;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER fund_reservations_held_while_committed
    BEFORE UPDATE OF released_at, opportunity_id OR DELETE ON fund_reservations
    FOR EACH ROW EXECUTE FUNCTION keep_committed_funds()`);
}

async function capFromPrice(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_total_within_cap`);
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_priced_after_draft`);
  await knex.raw(`ALTER TABLE opportunities DROP COLUMN max_total_cents`);
  // price + round-half-up(price × 15%), as taxCents() computes it; bigint so no price overflows.
  await knex.raw(`
    ALTER TABLE opportunities ADD COLUMN max_total_cents bigint GENERATED ALWAYS AS
    (price_cents + (price_cents::bigint * ${HIGHEST_TAX_BASIS_POINTS} + 5000) / 10000) STORED`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_total_within_cap CHECK (max_total_cents <= ${CAP_CENTS})`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_priced_after_draft CHECK (status IN ('draft', 'cancelled') OR price_cents IS NOT NULL)`,
  );
}

async function reservationsOverTime(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE fund_reservations DROP CONSTRAINT fund_reservations_opportunity_id_unique`,
  );
  await knex.raw(
    `CREATE UNIQUE INDEX fund_reservations_one_held ON fund_reservations (opportunity_id) WHERE released_at IS NULL`,
  );
  await knex.raw(
    `CREATE INDEX fund_reservations_opportunity ON fund_reservations (opportunity_id)`,
  );
  // Released in part while held; a full release sets released_at and counts the whole amount.
  await knex.raw(
    `ALTER TABLE fund_reservations ADD COLUMN released_cents integer NOT NULL DEFAULT 0`,
  );
  await knex.raw(
    `UPDATE fund_reservations SET released_cents = amount_cents WHERE released_at IS NOT NULL`,
  );
  await knex.raw(
    `ALTER TABLE fund_reservations ADD CONSTRAINT fund_reservations_released_part CHECK (released_cents >= 0 AND released_cents <= amount_cents)`,
  );
  // Nothing left held is a release: it has a date.
  await knex.raw(
    `ALTER TABLE fund_reservations ADD CONSTRAINT fund_reservations_nothing_left_is_released CHECK (released_at IS NOT NULL OR released_cents < amount_cents)`,
  );
}

async function domainPaymentMethods(knex: Knex): Promise<void> {
  await knex.raw(
    `ALTER TABLE departments ALTER COLUMN payment_methods SET DEFAULT '{paypal_payout}'`,
  );
  await knex.raw(`
    UPDATE departments SET payment_methods =
      array_replace(array_replace(payment_methods, 'card', 'card_direct'), 'paypal', 'paypal_payout')`);
  // A card mode without the exemption was never usable (the request rules refused it).
  await knex.raw(`
    UPDATE departments SET payment_methods = coalesce(nullif(
      array_remove(array_remove(payment_methods, 'card_direct'), 'card_paypal_checkout'), '{}'),
      '{paypal_payout}')
    WHERE coalesce(trim(card_exemption_reference), '') = ''`);
  await knex.raw(
    `ALTER TABLE departments ADD CONSTRAINT departments_payment_methods_known CHECK (payment_methods <@ ARRAY[${list(paymentMethods)}]::text[])`,
  );
  await knex.raw(
    `ALTER TABLE departments ADD CONSTRAINT departments_card_needs_exemption CHECK (NOT payment_methods && ARRAY[${list(cardMethods)}]::text[] OR coalesce(trim(card_exemption_reference), '') <> '')`,
  );
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_payment_method`);
  await knex.raw(`
    UPDATE opportunities SET payment_method =
      CASE payment_method WHEN 'card' THEN 'card_direct' WHEN 'paypal' THEN 'paypal_payout' END
    WHERE payment_method IS NOT NULL`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_payment_method CHECK (payment_method IS NULL OR payment_method IN (${list(paymentMethods)}))`,
  );
}

async function datedSalesTaxRates(knex: Knex): Promise<void> {
  await knex.raw(`CREATE EXTENSION IF NOT EXISTS btree_gist`);
  await knex.schema.createTable('sales_tax_rates', (t) => {
    t.increments('id');
    t.text('province').notNullable();
    t.text('kind').notNullable();
    t.integer('rate_basis_points').notNullable();
    t.date('effective_from').notNullable();
    /** The last day the rate applies; null while it still does. */
    t.date('effective_to');
  });
  await knex.raw(
    `ALTER TABLE sales_tax_rates ADD CONSTRAINT sales_tax_rates_province CHECK (province IN (${list(provinces)}))`,
  );
  await knex.raw(
    `ALTER TABLE sales_tax_rates ADD CONSTRAINT sales_tax_rates_kind CHECK (kind IN ('GST', 'HST'))`,
  );
  await knex.raw(
    `ALTER TABLE sales_tax_rates ADD CONSTRAINT sales_tax_rates_within_cap_rate CHECK (rate_basis_points > 0 AND rate_basis_points <= ${HIGHEST_TAX_BASIS_POINTS})`,
  );
  await knex.raw(
    `ALTER TABLE sales_tax_rates ADD CONSTRAINT sales_tax_rates_period CHECK (effective_to IS NULL OR effective_to >= effective_from)`,
  );
  // One rate per province on any day.
  await knex.raw(
    `ALTER TABLE sales_tax_rates ADD CONSTRAINT sales_tax_rates_no_overlap EXCLUDE USING gist (province WITH =, daterange(effective_from, effective_to, '[]') WITH &&)`,
  );
  await knex('sales_tax_rates').insert(
    salesTaxRates.map(([province, kind, rate, from, to]) => ({
      province,
      kind,
      rate_basis_points: rate,
      effective_from: from,
      effective_to: to,
    })),
  );
}

async function stableCriteria(knex: Knex): Promise<void> {
  for (const table of ['mandatory_criteria', 'acceptance_criteria']) {
    // Saving a list in place may move positions around: unique again when the transaction ends.
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_opportunity_id_position_unique`);
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_position_unique UNIQUE (opportunity_id, position) DEFERRABLE INITIALLY DEFERRED`,
    );
    await knex.raw(`ALTER TABLE ${table} ADD COLUMN version integer NOT NULL DEFAULT 1`);
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_version_positive CHECK (version > 0)`,
    );
  }
  // A published criterion's earlier wordings, each superseded by an addendum.
  await knex.schema.createTable('criterion_versions', (t) => {
    t.bigIncrements('id');
    t.bigInteger('mandatory_criterion_id').references('mandatory_criteria.id');
    t.bigInteger('acceptance_criterion_id').references('acceptance_criteria.id');
    t.integer('version').notNullable();
    t.text('text_en').notNullable();
    t.text('text_fr').notNullable();
    t.bigInteger('superseded_by_addendum').notNullable().references('addenda.id');
    t.timestamp('superseded_at', { useTz: true }).notNullable();
    t.unique(['mandatory_criterion_id', 'version']);
    t.unique(['acceptance_criterion_id', 'version']);
  });
  await knex.raw(
    `ALTER TABLE criterion_versions ADD CONSTRAINT criterion_versions_one_criterion CHECK (num_nonnulls(mandatory_criterion_id, acceptance_criterion_id) = 1)`,
  );
  await knex.raw(`
    CREATE FUNCTION criterion_kept() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      o record;
      kept boolean;
    BEGIN
      SELECT status, opens_at INTO o FROM opportunities WHERE id = OLD.opportunity_id;
      IF TG_OP = 'DELETE' THEN
        -- Only a client's draft loses a criterion (nothing refers to it yet); a deleted
        -- opportunity takes its own criteria with it.
        IF o.status IS NOT NULL AND o.status <> 'draft' THEN
          RAISE EXCEPTION 'criterion % of a request past its draft cannot be deleted', OLD.id
            USING ERRCODE = 'check_violation';
        END IF;
        RETURN OLD;
      END IF;
      IF NEW.version NOT IN (OLD.version, OLD.version + 1) THEN
        RAISE EXCEPTION 'criterion % goes from version % to %', OLD.id, OLD.version, NEW.version
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.version = OLD.version
        AND (o.opens_at IS NOT NULL OR o.status IN (${list([...committedStates, ...endStates])}))
        AND (NEW.text_en IS DISTINCT FROM OLD.text_en OR NEW.text_fr IS DISTINCT FROM OLD.text_fr)
      THEN
        RAISE EXCEPTION 'criterion % is published: a change is a new version', OLD.id
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.version = OLD.version + 1 THEN
        EXECUTE format('SELECT EXISTS (SELECT 1 FROM criterion_versions WHERE %I = $1 AND version = $2 AND text_en = $3 AND text_fr = $4)', TG_ARGV[0] || '_criterion_id')
          INTO kept USING OLD.id, OLD.version, OLD.text_en, OLD.text_fr;
        IF NOT kept THEN
          RAISE EXCEPTION 'criterion % version % must be kept before it is superseded', OLD.id, OLD.version
            USING ERRCODE = 'check_violation';
        END IF;
      END IF;
      RETURN NEW;
    END $$`);
  for (const kind of ['mandatory', 'acceptance']) {
    await knex.raw(`
      CREATE TRIGGER ${kind}_criteria_kept BEFORE UPDATE OR DELETE ON ${kind}_criteria
      FOR EACH ROW EXECUTE FUNCTION criterion_kept('${kind}')`);
  }
}

async function hashedPreviewTokens(knex: Knex): Promise<void> {
  // A link already sent keeps working; its token is no longer kept.
  await knex.raw(`ALTER TABLE opportunities ADD COLUMN preview_token_hash text UNIQUE`);
  await knex.raw(`ALTER TABLE opportunities ADD COLUMN preview_nonce text`);
  await knex.raw(`
    UPDATE opportunities SET preview_token_hash = encode(sha256(convert_to(preview_token, 'UTF8')), 'hex')
    WHERE preview_token IS NOT NULL`);
  await knex.raw(`ALTER TABLE opportunities DROP COLUMN preview_token`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_preview_nonce_has_hash CHECK (preview_nonce IS NULL OR preview_token_hash IS NOT NULL)`,
  );
}

export async function up(knex: Knex): Promise<void> {
  await reservationsOverTime(knex);
  await fundsBeforePublic(knex);
  await capFromPrice(knex);
  await domainPaymentMethods(knex);
  await datedSalesTaxRates(knex);
  await stableCriteria(knex);
  await hashedPreviewTokens(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_preview_nonce_has_hash`);
  await knex.raw(`ALTER TABLE opportunities ADD COLUMN preview_token text UNIQUE`);
  await knex.raw(`ALTER TABLE opportunities DROP COLUMN preview_nonce`);
  await knex.raw(`ALTER TABLE opportunities DROP COLUMN preview_token_hash`);

  for (const kind of ['mandatory', 'acceptance']) {
    await knex.raw(`DROP TRIGGER ${kind}_criteria_kept ON ${kind}_criteria`);
  }
  await knex.raw(`DROP FUNCTION criterion_kept`);
  await knex.schema.dropTable('criterion_versions');
  for (const table of ['mandatory_criteria', 'acceptance_criteria']) {
    await knex.raw(`ALTER TABLE ${table} DROP COLUMN version`);
    await knex.raw(`ALTER TABLE ${table} DROP CONSTRAINT ${table}_position_unique`);
    await knex.raw(
      `ALTER TABLE ${table} ADD CONSTRAINT ${table}_opportunity_id_position_unique UNIQUE (opportunity_id, position)`,
    );
  }

  await knex.schema.dropTable('sales_tax_rates');

  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_payment_method`);
  await knex.raw(`
    UPDATE opportunities SET payment_method =
      CASE WHEN payment_method LIKE 'card%' THEN 'card' ELSE 'paypal' END
    WHERE payment_method IS NOT NULL`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_payment_method CHECK (payment_method IS NULL OR payment_method IN ('card', 'paypal'))`,
  );
  await knex.raw(`ALTER TABLE departments DROP CONSTRAINT departments_card_needs_exemption`);
  await knex.raw(`ALTER TABLE departments DROP CONSTRAINT departments_payment_methods_known`);
  await knex.raw(`
    UPDATE departments SET payment_methods = ARRAY(SELECT DISTINCT
      CASE WHEN m LIKE 'card%' THEN 'card' ELSE 'paypal' END FROM unnest(payment_methods) m)`);
  await knex.raw(
    `ALTER TABLE departments ALTER COLUMN payment_methods SET DEFAULT '{card,paypal}'`,
  );

  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_priced_after_draft`);
  await knex.raw(`ALTER TABLE opportunities DROP CONSTRAINT opportunities_total_within_cap`);
  await knex.raw(`ALTER TABLE opportunities DROP COLUMN max_total_cents`);
  await knex.raw(`ALTER TABLE opportunities ADD COLUMN max_total_cents integer`);
  await knex.raw(`
    UPDATE opportunities SET max_total_cents = price_cents + (price_cents * ${HIGHEST_TAX_BASIS_POINTS}::bigint + 5000) / 10000
    WHERE price_cents IS NOT NULL`);
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_total_within_cap CHECK (max_total_cents IS NULL OR (price_cents IS NOT NULL AND max_total_cents >= price_cents AND max_total_cents <= ${CAP_CENTS}))`,
  );
  await knex.raw(
    `ALTER TABLE opportunities ADD CONSTRAINT opportunities_priced_after_draft CHECK (status IN ('draft', 'cancelled') OR (price_cents IS NOT NULL AND max_total_cents IS NOT NULL))`,
  );

  await knex.raw(`DROP TRIGGER fund_reservations_held_while_committed ON fund_reservations`);
  await knex.raw(`DROP FUNCTION keep_committed_funds`);
  await knex.raw(`DROP TRIGGER opportunities_public_keeps_funds ON opportunities`);
  await knex.raw(`DROP TRIGGER opportunities_public_with_funds ON opportunities`);
  await knex.raw(`
    CREATE OR REPLACE FUNCTION require_fund_reservation() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF NOT EXISTS (
        SELECT 1 FROM fund_reservations WHERE opportunity_id = NEW.id AND released_at IS NULL
      ) THEN
        RAISE EXCEPTION 'opportunity % has no section 32 fund reservation', NEW.reference;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER opportunities_published_with_funds BEFORE UPDATE OF status ON opportunities
    FOR EACH ROW WHEN (NEW.status = 'published' AND OLD.status IS DISTINCT FROM 'published')
    EXECUTE FUNCTION require_fund_reservation()`);

  await knex.raw(
    `ALTER TABLE fund_reservations DROP CONSTRAINT fund_reservations_nothing_left_is_released`,
  );
  await knex.raw(`ALTER TABLE fund_reservations DROP CONSTRAINT fund_reservations_released_part`);
  await knex.raw(`ALTER TABLE fund_reservations DROP COLUMN released_cents`);
  await knex.raw(`DROP INDEX fund_reservations_opportunity`);
  await knex.raw(`DROP INDEX fund_reservations_one_held`);
  await knex.raw(
    `ALTER TABLE fund_reservations ADD CONSTRAINT fund_reservations_opportunity_id_unique UNIQUE (opportunity_id)`,
  );
}
