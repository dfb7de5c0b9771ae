// @ts-check

/**
 * The adapter image a tuning run pushes (`tuning.output.image`), so the
 * catalog can still name it after the workspace is deleted.
 *
 * @param {import('knex').Knex} knex
 */
exports.up = async function up(knex) {
  await knex.schema.alterTable('kaito_runs', table => {
    table
      .string('output_image', 1024)
      .nullable()
      .comment('Adapter image a tuning run pushes (tuning.output.image)');
  });
};

/**
 * @param {import('knex').Knex} knex
 */
exports.down = async function down(knex) {
  await knex.schema.alterTable('kaito_runs', table => {
    table.dropColumn('output_image');
  });
};
