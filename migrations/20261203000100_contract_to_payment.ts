import type { Knex } from 'knex';

/**
 * From accepted work to money received: the invoice as the supplier issued it, the section 34
 * certification word for word, the department's acquisition cards, and the payment's method and
 * card record. What must never be false is held here, whatever the code does:
 * - an invoice exists only for accepted work, one per contract, its total its price plus its tax,
 *   and an unregistered supplier charges no tax;
 * - an invoice is certified only with its section 34 record;
 * - a payment exists only for a certified invoice, for exactly its total, never requested by the
 *   invoice's certifier (sections 33 and 34) or by the supplier paid; one live payment per
 *   invoice (a failed or cancelled PayPal payout may be followed by another way);
 * - a card payment keeps the last 4 digits and the authorization code, never the number.
 */
const CAP_CENTS = 1_000_000;
const paymentStates = ['pending', 'sent', 'paid', 'failed', 'cancelled', 'confirmed'];
const livePaymentStates = ['pending', 'sent', 'paid', 'confirmed'];
const paymentMethods = ['card_direct', 'card_paypal_checkout', 'paypal_payout'];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

async function invoices(knex: Knex): Promise<void> {
  await knex.schema.alterTable('invoices', (t) => {
    t.text('invoice_number').notNullable();
    t.date('invoice_date').notNullable();
    t.timestamp('received_at', { useTz: true }).notNullable();
    t.date('payment_due_on').notNullable();
    t.text('reservation_number').notNullable();
    t.integer('pre_tax_cents').notNullable();
    t.text('province').notNullable();
    t.text('gst_hst_number');
    t.text('tax_kind');
    t.integer('tax_basis_points').notNullable().defaultTo(0);
    t.integer('tax_cents').notNullable();
    t.text('supplier_legal_name').notNullable();
    t.text('supplier_email').notNullable();
    t.unique(['contract_id']);
  });
  for (const check of [
    `invoices_total CHECK (amount_cents = pre_tax_cents + tax_cents AND pre_tax_cents > 0 AND tax_cents >= 0 AND amount_cents <= ${CAP_CENTS})`,
    `invoices_unregistered_no_tax CHECK (coalesce(trim(gst_hst_number), '') <> '' OR tax_cents = 0)`,
    `invoices_tax_kind CHECK ((tax_kind IS NULL AND tax_cents = 0) OR tax_kind IN ('GST', 'HST'))`,
  ]) {
    await knex.raw(`ALTER TABLE invoices ADD CONSTRAINT ${check}`);
  }

  await knex.schema.createTable('invoice_certifications', (t) => {
    t.bigIncrements('id');
    t.bigInteger('invoice_id').notNullable().unique().references('invoices.id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.integer('department_id').notNullable().references('departments.id');
    t.bigInteger('certified_by').notNullable().references('users.id');
    t.timestamp('certified_at', { useTz: true }).notNullable();
    /** The statutory attestation exactly as shown and agreed to, and its language. */
    t.text('wording').notNullable();
    t.text('wording_lang').notNullable();
    /** What the evidence page showed: section 32 record, terms version, checklist, invoice. */
    t.jsonb('evidence').notNullable();
  });
  await knex.raw(
    `ALTER TABLE invoice_certifications ADD CONSTRAINT invoice_certifications_lang CHECK (wording_lang IN ('en', 'fr'))`,
  );

  await knex.raw(`
    CREATE FUNCTION invoice_follows_acceptance() RETURNS trigger LANGUAGE plpgsql AS $$
    BEGIN
      IF TG_OP = 'INSERT' THEN
        PERFORM 1 FROM contracts
          WHERE id = NEW.contract_id AND status = 'accepted' AND supplier_id = NEW.supplier_id
            AND opportunity_id = NEW.opportunity_id
          FOR SHARE;
        IF NOT FOUND THEN
          RAISE EXCEPTION 'invoice for contract %: the work is not accepted', NEW.contract_id;
        END IF;
      END IF;
      IF NEW.status IN ('certified', 'paid') AND NOT EXISTS (
        SELECT 1 FROM invoice_certifications WHERE invoice_id = NEW.id
      ) THEN
        RAISE EXCEPTION 'invoice % has no section 34 certification', NEW.id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER invoices_follow_acceptance BEFORE INSERT OR UPDATE OF status ON invoices
    FOR EACH ROW EXECUTE FUNCTION invoice_follows_acceptance()`);
}

async function cards(knex: Knex): Promise<void> {
  await knex.schema.createTable('acquisition_cards', (t) => {
    t.increments('id');
    t.integer('department_id').notNullable().references('departments.id');
    t.bigInteger('cardholder_id').notNullable().references('users.id');
    t.specificType('last4', 'char(4)').notNullable();
    t.integer('per_transaction_limit_cents').notNullable();
    t.boolean('active').notNullable().defaultTo(true);
    t.timestamp('created_at', { useTz: true }).notNullable().defaultTo(knex.fn.now());
    t.unique(['department_id', 'cardholder_id', 'last4']);
  });
  await knex.raw(
    `ALTER TABLE acquisition_cards ADD CONSTRAINT acquisition_cards_last4 CHECK (last4 ~ '^[0-9]{4}$' AND per_transaction_limit_cents > 0)`,
  );
}

async function payments(knex: Knex): Promise<void> {
  await knex.raw(`ALTER TABLE payments DROP CONSTRAINT payments_status_known`);
  await knex.raw(
    `ALTER TABLE payments ADD CONSTRAINT payments_status_known CHECK (status IN (${list(paymentStates)}))`,
  );
  await knex.schema.alterTable('payments', (t) => {
    t.text('method').notNullable();
    t.bigInteger('requested_by').notNullable().references('users.id');
    t.date('paid_on');
    t.integer('card_id').references('acquisition_cards.id');
    t.specificType('card_last4', 'char(4)');
    t.text('card_authorization_code');
    t.text('card_exemption_reference');
    t.text('card_limit_increase_reference');
    t.timestamp('statement_matched_at', { useTz: true });
    t.bigInteger('statement_matched_by').references('users.id');
  });
  for (const check of [
    `payments_method CHECK (method IN (${list(paymentMethods)}))`,
    `payments_card_record CHECK (method = 'paypal_payout' OR status IN ('pending', 'cancelled') OR (card_last4 ~ '^[0-9]{4}$' AND coalesce(trim(card_authorization_code), '') <> '' AND coalesce(trim(card_exemption_reference), '') <> '' AND paid_on IS NOT NULL))`,
    `payments_within_cap CHECK (amount_cents <= ${CAP_CENTS})`,
  ]) {
    await knex.raw(`ALTER TABLE payments ADD CONSTRAINT ${check}`);
  }
  await knex.raw(
    `CREATE UNIQUE INDEX payments_one_live_per_invoice ON payments (invoice_id) WHERE status IN (${list(livePaymentStates)})`,
  );
  await knex.raw(`
    CREATE FUNCTION payment_follows_certification() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      invoice record;
      certifier bigint;
    BEGIN
      SELECT i.status, i.amount_cents, i.supplier_id INTO invoice
        FROM invoices i WHERE i.id = NEW.invoice_id FOR SHARE;
      SELECT c.certified_by INTO certifier FROM invoice_certifications c WHERE c.invoice_id = NEW.invoice_id;
      IF certifier IS NULL OR invoice.status NOT IN ('certified', 'paid') THEN
        RAISE EXCEPTION 'payment for invoice %: not certified under section 34', NEW.invoice_id;
      END IF;
      IF NEW.amount_cents <> invoice.amount_cents OR NEW.supplier_id <> invoice.supplier_id THEN
        RAISE EXCEPTION 'payment for invoice %: not the invoice''s total or supplier', NEW.invoice_id;
      END IF;
      IF NEW.requested_by = certifier OR NEW.requested_by = invoice.supplier_id THEN
        RAISE EXCEPTION 'payment for invoice %: sections 33 and 34 by one person, or paid by its beneficiary', NEW.invoice_id;
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER payments_follow_certification
    BEFORE INSERT OR UPDATE OF amount_cents, invoice_id, requested_by, supplier_id ON payments
    FOR EACH ROW EXECUTE FUNCTION payment_follows_certification()`);
}

export async function up(knex: Knex): Promise<void> {
  await invoices(knex);
  await cards(knex);
  await payments(knex);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw(`DROP TRIGGER payments_follow_certification ON payments`);
  await knex.raw(`DROP FUNCTION payment_follows_certification()`);
  await knex.raw(`DROP INDEX payments_one_live_per_invoice`);
  for (const name of ['payments_method', 'payments_card_record', 'payments_within_cap']) {
    await knex.raw(`ALTER TABLE payments DROP CONSTRAINT ${name}`);
  }
  await knex.schema.alterTable('payments', (t) => {
    t.dropColumns(
      'method',
      'requested_by',
      'paid_on',
      'card_id',
      'card_last4',
      'card_authorization_code',
      'card_exemption_reference',
      'card_limit_increase_reference',
      'statement_matched_at',
      'statement_matched_by',
    );
  });
  await knex.raw(`ALTER TABLE payments DROP CONSTRAINT payments_status_known`);
  await knex.raw(
    `ALTER TABLE payments ADD CONSTRAINT payments_status_known CHECK (status IN ('pending', 'failed', 'paid', 'confirmed'))`,
  );
  await knex.schema.dropTable('acquisition_cards');
  await knex.raw(`DROP TRIGGER invoices_follow_acceptance ON invoices`);
  await knex.raw(`DROP FUNCTION invoice_follows_acceptance()`);
  await knex.schema.dropTable('invoice_certifications');
  for (const name of ['invoices_total', 'invoices_unregistered_no_tax', 'invoices_tax_kind']) {
    await knex.raw(`ALTER TABLE invoices DROP CONSTRAINT ${name}`);
  }
  await knex.schema.alterTable('invoices', (t) => {
    t.dropUnique(['contract_id']);
    t.dropColumns(
      'invoice_number',
      'invoice_date',
      'received_at',
      'payment_due_on',
      'reservation_number',
      'pre_tax_cents',
      'province',
      'gst_hst_number',
      'tax_kind',
      'tax_basis_points',
      'tax_cents',
      'supplier_legal_name',
      'supplier_email',
    );
  });
}
