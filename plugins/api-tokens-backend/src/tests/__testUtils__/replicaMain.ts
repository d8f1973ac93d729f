// The entry point of one backend replica in a child process of its own (see
// ReplicaProcess): the whole API token stack of `startApiTokensBackend`, on
// the PostgreSQL database and the config the parent gives, answering the
// parent's calls over the IPC channel.
import {
  coreServices,
  createBackendPlugin,
} from '@backstage/backend-plugin-api';
import { JsonObject } from '@backstage/types';
import knexFactory from 'knex';
import { startApiTokensBackend } from '../../__testUtils__/startApiTokensBackend';
import type { ReplicaRequest, ReplicaResponse } from './ReplicaProcess';

/**
 * Stands in for the notifications backend: accepts every notification, or,
 * while held, none, so that an expiry check stops mid-run, after raising its
 * faults and before sending its emails.
 */
function createNotificationsStandIn() {
  const standIn = {
    held: false,
    received: 0,
    plugin: createBackendPlugin({
      pluginId: 'notifications',
      register(reg) {
        reg.registerInit({
          deps: { httpRouter: coreServices.httpRouter },
          async init({ httpRouter }) {
            httpRouter.use((_req, res) => {
              standIn.received += 1;
              if (!standIn.held) {
                res.json([]);
              }
            });
          },
        });
      },
    }),
  };
  return standIn;
}

function send(message: ReplicaResponse, then: () => void = () => {}) {
  process.send!(message, then);
}

async function main() {
  const { connection, config } = JSON.parse(
    process.env.API_TOKENS_REPLICA ?? '{}',
  ) as { connection: JsonObject; config: JsonObject };
  const knex = knexFactory({ client: 'pg', connection });
  const notifications = createNotificationsStandIn();
  const backend = await startApiTokensBackend({
    stack: 'full',
    knex,
    config,
    features: [notifications.plugin],
  });

  async function answer(request: ReplicaRequest): Promise<unknown> {
    switch (request.call) {
      case 'signIn':
        return backend.signIn(request.userName);
      case 'holdNotifications':
        notifications.held = true;
        return null;
      case 'notificationsReceived':
        return notifications.received;
      case 'stop':
        await backend.stop();
        await knex.destroy();
        return null;
      default:
        throw new Error(`Unknown call ${JSON.stringify(request)}`);
    }
  }

  process.on('message', (request: ReplicaRequest) => {
    // Whatever a stopped backend leaves open (e.g. a redis connection)
    // must not keep the process.
    const then = request.call === 'stop' ? () => process.exit(0) : undefined;
    answer(request).then(
      result => send({ id: request.id, result }, then),
      error => send({ id: request.id, error: String(error) }, then),
    );
  });
  send({ ready: backend.url });
}

main().catch(error => {
  process.stderr.write(`replica failed to start: ${error.stack ?? error}\n`);
  process.exit(1);
});
