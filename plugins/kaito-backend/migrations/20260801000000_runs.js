// @ts-check

/**
 * Run history: one row per KAITO workspace created through the suite (or
 * first seen by the watch cache with the suite's entity annotation). Rows
 * outlive the workspace.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.createTable('kaito_runs', table => {
    table.comment('KAITO workspace runs: who started what, where, how long');
    table.increments('id').primary();
    table.string('cluster', 255).notNullable();
    table.string('namespace', 255).notNullable();
    table.string('workspace', 255).notNullable().comment('Workspace name');
    table
      .string('workspace_uid', 255)
      .nullable()
      .comment('metadata.uid; names can be reused after a deletion');
    table.text('entity_ref').nullable().comment('Owning catalog entity');
    table.text('created_by').nullable().comment('User entity ref');
    table.string('mode', 32).notNullable().comment('tuning | inference');
    table.string('preset', 255).nullable();
    table.string('tuning_method', 32).nullable();
    table.string('instance_type', 255).nullable().comment('GPU VM SKU');
    table.integer('node_count').notNullable().defaultTo(1);
    table.integer('gpus_per_node').nullable();
    table
      .float('usd_per_node_hour')
      .nullable()
      .comment('List price per node and hour when the run started');
    table.string('state', 64).nullable().comment('Last status.state seen');
    table
      .string('outcome', 32)
      .notNullable()
      .comment('pending | running | ready | succeeded | failed | deleted');
    table.text('message').nullable().comment('Why it ended, if it failed');
    table.string('created_at', 32).notNullable().comment('ISO 8601, UTC');
    table.string('finished_at', 32).nullable().comment('ISO 8601, UTC');
    table.string('deleted_at', 32).nullable().comment('ISO 8601, UTC');
    table.unique(['cluster', 'workspace_uid'], {
      indexName: 'kaito_runs_cluster_uid_idx',
    });
    table.index(['entity_ref'], 'kaito_runs_entity_ref_idx');
    table.index(
      ['cluster', 'namespace', 'workspace'],
      'kaito_runs_workspace_idx',
    );
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.dropTable('kaito_runs');
};
