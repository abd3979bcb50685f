import type { Knex } from 'knex';

/**
 * Delivery and acceptance of the work. Each delivery is a numbered round: its links (pull or merge
 * request, commits, release) and notes; the client's review of the round records, for each work
 * acceptance criterion, met or not and a comment (required when not met), and its outcome. A work
 * acceptance criterion may name the CI check whose result on the delivered pull request the review
 * shows. The database holds the order, whatever the code does:
 * - a contract becomes `delivered` only with a round not reviewed yet;
 * - it goes back to `in_progress` from `delivered` only when that round's review asks for revisions;
 * - it becomes `accepted` only when that round's review accepts it, every work acceptance
 *   criterion of the opportunity judged and met.
 */
const linkKinds = ['pull_request', 'commit', 'release'];
const list = (values: readonly string[]) => values.map((v) => `'${v}'`).join(', ');

export async function up(knex: Knex): Promise<void> {
  await knex.schema.alterTable('acceptance_criteria', (t) => {
    t.text('ci_check');
  });
  await knex.raw(
    `ALTER TABLE acceptance_criteria ADD CONSTRAINT acceptance_criteria_ci_check CHECK (ci_check IS NULL OR length(ci_check) BETWEEN 1 AND 100)`,
  );

  await knex.schema.createTable('deliveries', (t) => {
    t.bigIncrements('id');
    t.bigInteger('contract_id').notNullable().references('contracts.id');
    t.bigInteger('opportunity_id').notNullable().references('opportunities.id');
    t.integer('department_id').notNullable().references('departments.id');
    t.integer('round').notNullable();
    t.text('notes').notNullable().defaultTo('');
    t.text('notes_lang').notNullable();
    t.bigInteger('delivered_by').notNullable().references('users.id');
    t.timestamp('delivered_at', { useTz: true }).notNullable();
    t.unique(['contract_id', 'round']);
  });
  await knex.raw(
    `ALTER TABLE deliveries ADD CONSTRAINT deliveries_round_positive CHECK (round > 0)`,
  );
  await knex.raw(
    `ALTER TABLE deliveries ADD CONSTRAINT deliveries_notes_lang CHECK (notes_lang IN ('en', 'fr'))`,
  );

  await knex.schema.createTable('delivery_links', (t) => {
    t.bigIncrements('id');
    t.bigInteger('delivery_id').notNullable().references('deliveries.id').onDelete('CASCADE');
    t.integer('position').notNullable();
    t.text('kind').notNullable();
    t.text('url').notNullable();
    t.unique(['delivery_id', 'position']);
  });
  await knex.raw(
    `ALTER TABLE delivery_links ADD CONSTRAINT delivery_links_kind CHECK (kind IN (${list(linkKinds)}))`,
  );
  await knex.raw(
    `ALTER TABLE delivery_links ADD CONSTRAINT delivery_links_https CHECK (url LIKE 'https://%' AND length(url) <= 500)`,
  );

  await knex.schema.createTable('delivery_reviews', (t) => {
    t.bigIncrements('id');
    t.bigInteger('delivery_id').notNullable().unique().references('deliveries.id');
    t.text('outcome').notNullable();
    /** The client's own words beside the generated list of what is missing. */
    t.text('reason').notNullable().defaultTo('');
    t.text('reason_lang').notNullable();
    t.bigInteger('reviewed_by').notNullable().references('users.id');
    t.timestamp('reviewed_at', { useTz: true }).notNullable();
  });
  await knex.raw(
    `ALTER TABLE delivery_reviews ADD CONSTRAINT delivery_reviews_outcome CHECK (outcome IN ('accepted', 'revisions'))`,
  );
  await knex.raw(
    `ALTER TABLE delivery_reviews ADD CONSTRAINT delivery_reviews_reason_lang CHECK (reason_lang IN ('en', 'fr'))`,
  );

  await knex.schema.createTable('delivery_review_criteria', (t) => {
    t.bigIncrements('id');
    t.bigInteger('review_id').notNullable().references('delivery_reviews.id').onDelete('CASCADE');
    t.bigInteger('acceptance_criterion_id').notNullable().references('acceptance_criteria.id');
    t.integer('criterion_version').notNullable();
    t.boolean('met').notNullable();
    t.text('comment').notNullable().defaultTo('');
    /** The CI check's result shown when the client judged, if the criterion names one. */
    t.jsonb('ci_evidence');
    t.unique(['review_id', 'acceptance_criterion_id']);
  });
  await knex.raw(
    `ALTER TABLE delivery_review_criteria ADD CONSTRAINT delivery_review_criteria_comment CHECK (met OR btrim(comment) <> '')`,
  );

  await knex.raw(`
    CREATE FUNCTION contract_follows_review() RETURNS trigger LANGUAGE plpgsql AS $$
    DECLARE
      latest record;
      review record;
    BEGIN
      IF NEW.status IS NOT DISTINCT FROM OLD.status
        OR NEW.status NOT IN ('delivered', 'accepted', 'in_progress')
        OR (NEW.status = 'in_progress' AND OLD.status <> 'delivered') THEN
        RETURN NEW;
      END IF;
      SELECT id INTO latest FROM deliveries WHERE contract_id = NEW.id ORDER BY round DESC LIMIT 1;
      SELECT id, outcome INTO review FROM delivery_reviews WHERE delivery_id = latest.id;
      IF NEW.status = 'delivered' AND (latest.id IS NULL OR review.id IS NOT NULL) THEN
        RAISE EXCEPTION 'contract %: delivered without a new delivery round', NEW.id
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.status = 'in_progress' AND review.outcome IS DISTINCT FROM 'revisions' THEN
        RAISE EXCEPTION 'contract %: back in progress without a review asking for revisions', NEW.id
          USING ERRCODE = 'check_violation';
      END IF;
      IF NEW.status = 'accepted' AND (
        review.outcome IS DISTINCT FROM 'accepted'
        OR EXISTS (
          SELECT 1 FROM acceptance_criteria c
          WHERE c.opportunity_id = NEW.opportunity_id
            AND NOT EXISTS (
              SELECT 1 FROM delivery_review_criteria r
              WHERE r.review_id = review.id AND r.acceptance_criterion_id = c.id AND r.met
            )
        )
      ) THEN
        RAISE EXCEPTION 'contract %: accepted without every work acceptance criterion met', NEW.id
          USING ERRCODE = 'check_violation';
      END IF;
      RETURN NEW;
    END $$`);
  await knex.raw(`
    CREATE TRIGGER contracts_follow_review BEFORE UPDATE OF status ON contracts
    FOR EACH ROW EXECUTE FUNCTION contract_follows_review()`);
}

export async function down(knex: Knex): Promise<void> {
  await knex.raw('DROP TRIGGER contracts_follow_review ON contracts');
  await knex.raw('DROP FUNCTION contract_follows_review()');
  await knex.schema.dropTable('delivery_review_criteria');
  await knex.schema.dropTable('delivery_reviews');
  await knex.schema.dropTable('delivery_links');
  await knex.schema.dropTable('deliveries');
  await knex.schema.alterTable('acceptance_criteria', (t) => {
    t.dropColumn('ci_check');
  });
}
