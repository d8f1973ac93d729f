import { TestDatabases } from '@backstage/backend-test-utils';
import { InputError } from '@backstage/errors';
import { Knex } from 'knex';
import {
  ALICE,
  BOB,
  DAY,
  ExpiryTestDatabase,
  HOUR,
} from '../tests/__testUtils__/expiryFixtures';
import { explainPlans } from '../__testUtils__/explainPlans';
import { StoredApiToken } from './ApiTokensStore';
import { DatabaseEmailOutbox } from './DatabaseEmailOutbox';
import { DatabaseFaultLedger } from './DatabaseFaultLedger';
import { DueToken, StoredFault, TokenPosition } from './FaultLedger';

jest.setTimeout(60_000);

const databases = TestDatabases.create();

const T0 = new Date('2027-03-01T09:00:00.000Z');
const OPS = 'ops@example.com';
const SECURITY = 'security@example.com';

const at = (ms: number) => new Date(T0.getTime() + ms);

/** An outbox whose queueing fails after it wrote its rows. */
class FailingOutbox extends DatabaseEmailOutbox {
  async enqueue(
    tx: Knex.Transaction,
    options: { faults: StoredFault[]; recipients: string[] },
  ): Promise<void> {
    await super.enqueue(tx, options);
    throw new Error('the outbox is full');
  }
}

describe.each(databases.eachSupportedId())(
  'DatabaseFaultLedger on %s',
  databaseId => {
    let db: ExpiryTestDatabase;
    let ledger: DatabaseFaultLedger;

    beforeAll(async () => {
      db = await ExpiryTestDatabase.create(await databases.init(databaseId));
      ledger = db.faults;
    });

    beforeEach(async () => {
      await db.clear();
    });

    /** Raises the fault of `thresholdDays` for each token, emailing no one. */
    function raise(tokens: DueToken[], thresholdDays = 15, raisedAt = T0) {
      return ledger.raiseFaults({
        tokens,
        thresholdDays,
        raisedAt,
        emailRecipients: [],
      });
    }

    describe('which tokens raiseDueFaults finds due', () => {
      /** The faults of one page of the window (after, until], by expiry. */
      async function raiseDue(window: { after: Date; until: Date }) {
        const { raised } = await ledger.raiseDueFaults({
          thresholdDays: 15,
          ...window,
          pageSize: 100,
          raisedAt: T0,
          emailRecipients: [],
        });
        return raised;
      }

      it('raises the live tokens expiring in (after, until], soonest first', async () => {
        const later = await db.createToken({ expiresAt: at(10 * DAY) });
        const sooner = await db.createToken({ expiresAt: at(3 * DAY) });
        const onTheEdge = await db.createToken({ expiresAt: at(15 * DAY) });
        await db.createToken({ expiresAt: at(15 * DAY + 1) });
        await db.createToken({ expiresAt: at(HOUR) });
        const revoked = await db.createToken({ expiresAt: at(5 * DAY) });
        await db.tokens.revokeToken({
          id: revoked.id,
          revokedBy: ALICE,
          revokedAt: T0,
        });

        const raised = await raiseDue({ after: at(DAY), until: at(15 * DAY) });

        expect(
          raised.map(fault => ({
            id: fault.tokenId,
            name: fault.tokenName,
            ownerRef: fault.ownerRef,
            expiresAt: fault.tokenExpiresAt,
          })),
        ).toEqual(
          [sooner, later, onTheEdge].map(token => ({
            id: token.id,
            name: token.name,
            ownerRef: token.ownerRef,
            expiresAt: token.expiresAt,
          })),
        );
      });

      it('leaves out temporary tokens, whatever their names say', async () => {
        const permanent = await db.createToken({ expiresAt: at(5 * DAY) });
        // A temporary token is minted by any signed-in user, with a name of
        // their choosing, and expires within a day: always "due".
        await db.createToken({
          kind: 'temporary',
          name: 'URGENT: click http://evil.example/reset to renew',
          expiresAt: at(8 * HOUR),
        });
        await db.createToken({ kind: 'temporary', expiresAt: at(5 * DAY) });

        const raised = await raiseDue({ after: T0, until: at(15 * DAY) });

        expect(raised.map(fault => fault.tokenId)).toEqual([permanent.id]);
      });

      it('leaves out tokens with a fault for the threshold and their current expiry', async () => {
        const raised = await db.createToken({ expiresAt: at(5 * DAY) });
        const otherThreshold = await db.createToken({ expiresAt: at(6 * DAY) });
        await raise([raised], 15);
        await raise([otherThreshold], 30);

        const due = await raiseDue({ after: T0, until: at(15 * DAY) });

        expect(due.map(fault => fault.tokenId)).toEqual([otherThreshold.id]);
      });
    });

    describe('raiseDueFaults', () => {
      /** Every page of the window (T0, 15 days], as the expiry check runs them. */
      async function raiseAllPages(options: {
        pageSize: number;
        raisedAt?: Date;
        emailRecipients?: string[];
      }) {
        const raised: StoredFault[] = [];
        let pages = 0;
        let from: TokenPosition | undefined;
        do {
          const page = await ledger.raiseDueFaults({
            thresholdDays: 15,
            after: T0,
            until: at(15 * DAY),
            pageSize: options.pageSize,
            from,
            raisedAt: options.raisedAt ?? T0,
            emailRecipients: options.emailRecipients ?? [],
          });
          raised.push(...page.raised);
          pages++;
          from = page.next;
        } while (from);
        return { raised, pages };
      }

      it('raises the due tokens of the window page by page, ties included, none missing or repeated', async () => {
        const due: StoredApiToken[] = [];
        for (let i = 0; i < 23; i++) {
          // Five tokens per expiry, so pages must break ties by id.
          due.push(
            await db.createToken({ expiresAt: at(DAY + Math.floor(i / 5)) }),
          );
        }
        const revoked = await db.createToken({ expiresAt: at(2 * DAY) });
        await db.tokens.revokeToken({
          id: revoked.id,
          revokedBy: ALICE,
          revokedAt: T0,
        });
        await db.createToken({ kind: 'temporary', expiresAt: at(HOUR) });
        await db.createToken({ expiresAt: at(15 * DAY + 1) });
        await raise([due[7]]);

        const { raised, pages } = await raiseAllPages({
          pageSize: 5,
          emailRecipients: [OPS, SECURITY],
        });

        // 24 permanent tokens in the window (the revoked one included), 5 a page.
        expect(pages).toBe(5);
        const expected = due
          .filter(token => token.id !== due[7].id)
          .sort(
            (a, b) =>
              a.expiresAt.getTime() - b.expiresAt.getTime() ||
              (a.id < b.id ? -1 : 1),
          );
        expect(raised.map(fault => fault.tokenId)).toEqual(
          expected.map(token => token.id),
        );
        expect(raised[0]).toEqual({
          id: expect.stringMatching(
            /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
          ),
          kind: 'expiry',
          emailAddress: undefined,
          leakUrl: undefined,
          tokenId: expected[0].id,
          tokenName: expected[0].name,
          ownerRef: expected[0].ownerRef,
          thresholdDays: 15,
          tokenExpiresAt: expected[0].expiresAt,
          raisedAt: T0,
          status: 'open',
          resolvedAt: undefined,
          resolution: undefined,
          acknowledgedAt: undefined,
          acknowledgedBy: undefined,
        });
        expect(new Set(raised.map(fault => fault.id)).size).toBe(22);
        const outbox: Array<{ fault_id: string; address: string }> = await db
          .knex('api_token_fault_emails')
          .select('fault_id', 'address');
        expect(
          outbox.map(row => `${row.fault_id} ${row.address}`).sort(),
        ).toEqual(
          raised
            .flatMap(fault => [`${fault.id} ${OPS}`, `${fault.id} ${SECURITY}`])
            .sort(),
        );

        expect((await raiseAllPages({ pageSize: 5 })).raised).toEqual([]);
        expect(await db.allFaults()).toHaveLength(23);
      });

      it("supersedes the token's older open faults, and no others", async () => {
        const token = await db.createToken({ expiresAt: at(5 * DAY) });
        const other = await db.createToken({ expiresAt: at(30 * DAY) });
        const [older] = await raise([token], 30);
        const [untouched] = await raise([other], 30);

        const {
          raised: [newer],
        } = await raiseAllPages({ pageSize: 10, raisedAt: at(HOUR) });

        expect(newer.tokenId).toBe(token.id);
        expect(await db.allFaults()).toEqual(
          expect.arrayContaining([
            {
              ...older,
              status: 'resolved',
              resolvedAt: at(HOUR),
              resolution: 'superseded',
            },
            untouched,
            newer,
          ]),
        );
      });

      it('raises each fault once when runs page the same window at once', async () => {
        for (let i = 0; i < 60; i++) {
          await db.createToken({ expiresAt: at(DAY + i * HOUR) });
        }

        const runs = await Promise.all([
          raiseAllPages({ pageSize: 7, emailRecipients: [OPS] }),
          raiseAllPages({ pageSize: 11, emailRecipients: [OPS] }),
          raiseAllPages({ pageSize: 60, emailRecipients: [OPS] }),
        ]);

        const raised = runs.flatMap(run => run.raised);
        expect(raised).toHaveLength(60);
        expect(new Set(raised.map(fault => fault.tokenId)).size).toBe(60);
        expect(await db.allFaults()).toHaveLength(60);
        expect(await db.outboxRows()).toHaveLength(60);
      });

      it("claims the owner notices of the faults it raises when asked, in the same statement, and answers their tokens' last use", async () => {
        const used = await db.createToken({ expiresAt: at(5 * DAY) });
        await db.createToken({ expiresAt: at(6 * DAY) });
        await db.tokens.recordUse({
          id: used.id,
          usedAt: at(-HOUR),
          minInterval: 0,
        });

        const { raised, lastUsedAt } = await ledger.raiseDueFaults({
          thresholdDays: 15,
          after: T0,
          until: at(15 * DAY),
          pageSize: 10,
          raisedAt: T0,
          emailRecipients: [],
          claimOwnerNotices: true,
        });

        expect(raised).toHaveLength(2);
        // The other token was never used.
        expect(lastUsedAt).toEqual(new Map([[used.id, at(-HOUR)]]));
        const rows = await db
          .knex('api_token_faults')
          .select('notified_at', 'notify_attempts');
        expect(
          rows.map(row => [
            new Date(row.notified_at).toISOString(),
            Number(row.notify_attempts),
          ]),
        ).toEqual([
          [T0.toISOString(), 1],
          [T0.toISOString(), 1],
        ]);
        expect(
          await db.ownerNotices.claimUnnotified({
            notifiedAt: at(HOUR),
            maxAttempts: 5,
            limit: 10,
          }),
        ).toEqual([]);
      });

      it('deleting a token deletes its faults and their emails', async () => {
        const token = await db.createToken({ expiresAt: at(5 * DAY) });
        const kept = await db.createToken({ expiresAt: at(6 * DAY) });
        await raiseAllPages({ pageSize: 10, emailRecipients: [OPS] });

        await db.tokens.deleteToken(token.id);

        expect((await db.allFaults()).map(fault => fault.tokenId)).toEqual([
          kept.id,
        ]);
        expect(await db.outboxRows()).toHaveLength(1);
      });

      it('raises nothing of a page when queueing its emails fails: one transaction', async () => {
        await db.createToken({ expiresAt: at(5 * DAY) });
        const failing = new DatabaseFaultLedger(
          db.knex,
          new FailingOutbox(db.knex),
        );

        await expect(
          failing.raiseDueFaults({
            thresholdDays: 15,
            after: T0,
            until: at(15 * DAY),
            pageSize: 10,
            raisedAt: T0,
            emailRecipients: [OPS],
          }),
        ).rejects.toThrow('the outbox is full');

        expect(await db.allFaults()).toEqual([]);
        expect(await db.outboxRows()).toEqual([]);
      });

      if (databaseId.startsWith('POSTGRES')) {
        it('reads the tokens, and their last use, from the expiry scan index alone, not from the table; so does resolving', async () => {
          const { knex } = db;
          // Many tokens, few due, vacuumed as autovacuum would leave them.
          await knex.raw(
            `INSERT INTO api_tokens (id, name, kind, owner_ref, created_by, created_at, expires_at, digest, hint)
             SELECT md5(g::text)::uuid::text, 'token ' || g, 'permanent', 'user:default/u' || (g % 50),
                    'user:default/admin', ?::timestamptz, ?::timestamptz + (g || ' minutes')::interval,
                    md5(g::text) || md5(g::text), 'abcd'
             FROM generate_series(1, 20000) g`,
            [T0, at(14 * DAY)],
          );
          await knex.raw('VACUUM ANALYZE api_tokens');
          const plans = await explainPlans(
            knex,
            async () => {
              await raiseAllPages({ pageSize: 1000 });
              await ledger.resolveFaults(at(HOUR));
            },
            sql => /from "?api_tokens"? as "?t"?/i.test(sql),
          );

          // Per page (1,440 due tokens, two pages): where the page ends,
          // and the INSERT … SELECT that raises it, which also returns each
          // new fault's token's last use (a subquery of its RETURNING).
          // Then the UPDATE that resolves faults.
          expect(plans.map(plan => plan.split(' ')[0])).toEqual([
            'Limit',
            'Insert',
            'Limit',
            'Insert',
            'Update',
          ]);
          const indexOnly =
            /Index Only Scan using api_tokens_expiry_scan_idx on api_tokens t/g;
          for (const plan of plans.slice(0, 4)) {
            expect(plan.match(indexOnly)).toHaveLength(
              plan.startsWith('Insert') ? 2 : 1,
            );
            expect(plan).not.toMatch(
              /Seq Scan|Bitmap Heap Scan on api_tokens|(?<!Only )Index Scan using api_tokens/,
            );
          }
          // Open faults of live tokens with that expiry are ruled out by a
          // probe of the index; only the rest read their token's row.
          expect(plans[4].match(indexOnly)).toHaveLength(1);
        });
      }
    });

    describe('raiseFaults', () => {
      it('raises an open fault per token, once', async () => {
        const token = await db.createToken({
          name: 'deploy',
          ownerRef: BOB,
          expiresAt: at(10 * DAY),
        });

        const [fault] = await raise([token]);

        expect(fault).toEqual({
          id: expect.any(String),
          kind: 'expiry',
          emailAddress: undefined,
          tokenId: token.id,
          tokenName: 'deploy',
          ownerRef: BOB,
          thresholdDays: 15,
          tokenExpiresAt: token.expiresAt,
          raisedAt: T0,
          status: 'open',
          resolvedAt: undefined,
          resolution: undefined,
        });
        expect(await raise([token], 15, at(HOUR))).toEqual([]);
        expect(await db.allFaults()).toEqual([fault]);
      });

      it("supersedes the token's older open faults", async () => {
        const token = await db.createToken({ expiresAt: at(5 * DAY) });
        const other = await db.createToken({ expiresAt: at(5 * DAY) });
        const [older] = await raise([token], 15);
        const [untouched] = await raise([other], 15, at(1));

        const [nearer] = await raise([token], 7, at(HOUR));

        expect(await db.allFaults()).toEqual([
          {
            ...older,
            status: 'resolved',
            resolvedAt: at(HOUR),
            resolution: 'superseded',
          },
          untouched,
          nearer,
        ]);
      });

      it('queues an email per fault and recipient', async () => {
        const first = await db.createToken({ expiresAt: at(5 * DAY) });
        const second = await db.createToken({ expiresAt: at(6 * DAY) });

        await ledger.raiseFaults({
          tokens: [first, second],
          thresholdDays: 15,
          raisedAt: T0,
          emailRecipients: [OPS, SECURITY],
        });

        const pending = { delivered: false, attempts: 0, lastError: null };
        expect(await db.outboxRows()).toEqual([
          { address: OPS, ...pending },
          { address: OPS, ...pending },
          { address: SECURITY, ...pending },
          { address: SECURITY, ...pending },
        ]);
      });

      it('raises nothing when queueing the emails fails: one transaction', async () => {
        const token = await db.createToken({ expiresAt: at(5 * DAY) });
        const [older] = await raise([token], 15);
        const failing = new DatabaseFaultLedger(
          db.knex,
          new FailingOutbox(db.knex),
        );

        await expect(
          failing.raiseFaults({
            tokens: [token],
            thresholdDays: 7,
            raisedAt: at(HOUR),
            emailRecipients: [OPS],
          }),
        ).rejects.toThrow('the outbox is full');

        expect(await db.allFaults()).toEqual([older]);
        expect(await db.outboxRows()).toEqual([]);
      });

      it('raises more tokens than fit in one INSERT', async () => {
        const tokens = [];
        for (let i = 0; i < 450; i++) {
          tokens.push(await db.createToken({ expiresAt: at(5 * DAY + i) }));
        }

        const raised = await ledger.raiseFaults({
          tokens,
          thresholdDays: 15,
          raisedAt: T0,
          emailRecipients: [OPS],
        });

        expect(raised).toHaveLength(450);
        expect(await db.outboxRows()).toHaveLength(450);
      });
    });

    /**
     * The expiry fault of a new token with an email to OPS that gave up
     * (one attempt allowed), and the give-up fault it raised.
     */
    async function raiseUndeliverable(): Promise<{
      expiry: StoredFault;
      undeliverable: StoredFault;
    }> {
      const token = await db.createToken({ expiresAt: at(5 * DAY) });
      const [expiry] = await ledger.raiseFaults({
        tokens: [token],
        thresholdDays: 15,
        raisedAt: T0,
        emailRecipients: [OPS],
      });
      await db.outbox.claimPending({
        leaseId: 'run-1',
        now: T0,
        leaseUntil: at(HOUR),
      });
      const [undeliverable] = await db.outbox.recordFailed({
        leaseId: 'run-1',
        address: OPS,
        error: '550 no such user',
        failedAt: at(1),
        retry: { maxAttempts: 1, firstDelayMs: HOUR },
      });
      return { expiry, undeliverable };
    }

    describe('resolveFaults', () => {
      it('leaves a give-up fault open while its token is live and unchanged, and resolves it with its expiry fault', async () => {
        const { expiry, undeliverable } = await raiseUndeliverable();

        expect(await ledger.resolveFaults(at(2 * DAY))).toBe(0);
        expect(await db.allFaults()).toEqual([expiry, undeliverable]);
        // The token's expiry fault stands: nothing is raised again.
        expect(
          (
            await ledger.raiseDueFaults({
              thresholdDays: 15,
              after: T0,
              until: at(15 * DAY),
              pageSize: 10,
              raisedAt: at(2 * DAY),
              emailRecipients: [],
            })
          ).raised,
        ).toEqual([]);

        await db.tokens.revokeToken({
          id: expiry.tokenId,
          revokedBy: ALICE,
          revokedAt: at(3 * DAY),
        });
        expect(await ledger.resolveFaults(at(3 * DAY))).toBe(2);
        expect(
          (await db.allFaults()).map(fault => [fault.kind, fault.resolution]),
        ).toEqual([
          ['expiry', 'revoked'],
          ['email-undeliverable', 'revoked'],
        ]);
      });

      it('resolves the open faults of revoked, expired and renewed tokens', async () => {
        const revoked = await db.createToken({ expiresAt: at(5 * DAY) });
        const expiring = await db.createToken({ expiresAt: at(HOUR) });
        const renewed = await db.createToken({ expiresAt: at(5 * DAY) });
        const live = await db.createToken({ expiresAt: at(5 * DAY) });
        await raise([revoked, expiring, renewed, live]);
        await db.tokens.revokeToken({
          id: revoked.id,
          revokedBy: ALICE,
          revokedAt: at(1),
        });
        await db
          .knex('api_tokens')
          .where({ id: renewed.id })
          .update({ expires_at: at(20 * DAY) });

        expect(await ledger.resolveFaults(at(2 * HOUR))).toBe(3);

        const byToken = new Map(
          (await db.allFaults()).map(fault => [fault.tokenId, fault]),
        );
        const resolved = (resolution: string) => ({
          status: 'resolved',
          resolvedAt: at(2 * HOUR),
          resolution,
        });
        expect(byToken.get(revoked.id)).toMatchObject(resolved('revoked'));
        expect(byToken.get(expiring.id)).toMatchObject(resolved('expired'));
        expect(byToken.get(renewed.id)).toMatchObject(resolved('superseded'));
        expect(byToken.get(live.id)).toMatchObject({ status: 'open' });
        expect(await ledger.resolveFaults(at(3 * HOUR))).toBe(0);
      });
    });

    describe('listFaults', () => {
      it('filters by status and owner', async () => {
        const alices = await db.createToken({ expiresAt: at(5 * DAY) });
        const bobs = await db.createToken({
          ownerRef: BOB,
          expiresAt: at(5 * DAY),
        });
        const revoked = await db.createToken({ expiresAt: at(5 * DAY) });
        await raise([alices, bobs, revoked]);
        await db.tokens.revokeToken({
          id: revoked.id,
          revokedBy: ALICE,
          revokedAt: T0,
        });
        await ledger.resolveFaults(at(HOUR));

        const tokenIds = async (options: {
          status?: 'open' | 'resolved';
          ownerRef?: string;
        }) =>
          (await ledger.listFaults({ ...options, limit: 10 })).items
            .map(fault => fault.tokenId)
            .sort();

        expect(await tokenIds({})).toEqual(
          [alices.id, bobs.id, revoked.id].sort(),
        );
        expect(await tokenIds({ status: 'open' })).toEqual(
          [alices.id, bobs.id].sort(),
        );
        expect(await tokenIds({ status: 'resolved' })).toEqual([revoked.id]);
        expect(await tokenIds({ ownerRef: BOB })).toEqual([bobs.id]);
        expect(await tokenIds({ ownerRef: ALICE, status: 'open' })).toEqual([
          alices.id,
        ]);
      });

      it('filters by kind', async () => {
        const { expiry, undeliverable } = await raiseUndeliverable();

        const ids = async (kind?: StoredFault['kind']) =>
          (await ledger.listFaults({ kind, limit: 10 })).items.map(
            fault => fault.id,
          );

        expect(await ids('expiry')).toEqual([expiry.id]);
        expect(await ids('email-undeliverable')).toEqual([undeliverable.id]);
        expect(await ids()).toEqual([undeliverable.id, expiry.id]);
      });

      it('pages newest first by (raised at, id), ties included', async () => {
        const raised: StoredFault[] = [];
        for (let i = 0; i < 12; i++) {
          const token = await db.createToken({ expiresAt: at(5 * DAY) });
          // Three faults per raising time, so paging must break ties by id.
          raised.push(...(await raise([token], 15, at(Math.floor(i / 3)))));
        }

        const seen: string[] = [];
        let cursor: string | undefined;
        do {
          const page = await ledger.listFaults({ limit: 5, cursor });
          seen.push(...page.items.map(fault => fault.id));
          cursor = page.nextCursor;
        } while (cursor);

        expect(seen).toEqual(
          [...raised]
            .sort(
              (a, b) =>
                b.raisedAt.getTime() - a.raisedAt.getTime() ||
                (a.id < b.id ? 1 : -1),
            )
            .map(fault => fault.id),
        );
      });

      it('refuses a cursor it did not make', async () => {
        await expect(
          ledger.listFaults({ limit: 10, cursor: 'garbage' }),
        ).rejects.toThrow(InputError);
      });
    });
  },
);
