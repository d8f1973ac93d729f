import { Knex } from 'knex';

/**
 * Runs `work` and answers PostgreSQL's plan (`EXPLAIN`, as text) of each
 * statement it sent that `which` matches, in order.
 */
export async function explainPlans(
  knex: Knex,
  work: () => Promise<unknown>,
  which: (sql: string) => boolean = () => true,
): Promise<string[]> {
  const statements: Array<{ sql: string; bindings: unknown[] }> = [];
  const capture = (q: { sql: string; bindings: unknown[] }) =>
    statements.push(q);
  knex.on('query', capture);
  try {
    await work();
  } finally {
    knex.off('query', capture);
  }
  const connection = await knex.client.acquireConnection();
  try {
    const plans: string[] = [];
    for (const { sql, bindings } of statements.filter(q => which(q.sql))) {
      // The statement as node-postgres sent it ($1 placeholders).
      const plan = await connection.query({
        text: `EXPLAIN ${sql}`,
        values: bindings,
      });
      plans.push(
        plan.rows
          .map((r: Record<string, string>) => r['QUERY PLAN'])
          .join('\n'),
      );
    }
    return plans;
  } finally {
    await knex.client.releaseConnection(connection);
  }
}
