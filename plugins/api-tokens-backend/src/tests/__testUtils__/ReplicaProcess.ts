import { JsonObject } from '@backstage/types';
import { ChildProcess, fork } from 'node:child_process';
import { join } from 'node:path';

/** A call from the test to a replica, without its id. */
export type ReplicaCall =
  | { call: 'signIn'; userName: string }
  | { call: 'holdNotifications' }
  | { call: 'notificationsReceived' }
  | { call: 'stop' };

/** A call from the test to a replica. */
export type ReplicaRequest = { id: number } & ReplicaCall;

/** What a replica says: that it is up, or the answer to a call. */
export type ReplicaResponse =
  | { ready: string }
  | { id: number; result: unknown }
  | { id: number; error: string };

const START_TIMEOUT_MS = 90_000;

/**
 * One backend replica in a child process of its own (`replicaMain.ts`, run
 * with Backstage's node transform): the whole API token stack on its own
 * port, on a PostgreSQL database and with the config that every replica of
 * a test shares (e.g. `backend.cache` on one redis). `kill` ends it with
 * SIGKILL, as a crash would.
 */
export class ReplicaProcess {
  readonly url: string;
  /** What the replica wrote to stdout and stderr, for failure messages. */
  readonly output: string[];
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #calls = new Map<
    number,
    { resolve(value: unknown): void; reject(error: Error): void }
  >();
  #nextId = 1;

  static async start(options: {
    /** The knex connection of the shared PostgreSQL database. */
    connection: JsonObject;
    config: JsonObject;
  }): Promise<ReplicaProcess> {
    const child = fork(join(__dirname, 'replicaMain.ts'), [], {
      execArgv: [
        '--require',
        require.resolve('@backstage/cli/config/nodeTransform.cjs'),
      ],
      env: {
        ...process.env,
        API_TOKENS_REPLICA: JSON.stringify(options),
      },
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    // A test process that ends without stopping its replicas (a failed
    // start, a crash) takes them with it.
    const killOnExit = () => child.kill('SIGKILL');
    process.once('exit', killOnExit);
    child.once('exit', () => process.removeListener('exit', killOnExit));
    const output: string[] = [];
    child.stdout!.on('data', chunk => output.push(String(chunk)));
    child.stderr!.on('data', chunk => output.push(String(chunk)));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill('SIGKILL');
        reject(new Error(`Replica did not start:\n${output.join('')}`));
      }, START_TIMEOUT_MS);
      child.on('message', (message: ReplicaResponse) => {
        if ('ready' in message) {
          clearTimeout(timer);
          resolve(message.ready);
        }
      });
      child.once('exit', code => {
        clearTimeout(timer);
        reject(
          new Error(
            `Replica exited with ${code}:\n${output.join('').slice(-4000)}`,
          ),
        );
      });
    });
    return new ReplicaProcess(child, url, output);
  }

  private constructor(child: ChildProcess, url: string, output: string[]) {
    this.#child = child;
    this.url = url;
    this.output = output;
    this.#exited = new Promise(resolve => child.once('exit', () => resolve()));
    child.on('message', (message: ReplicaResponse) => {
      if (!('id' in message)) {
        return;
      }
      const call = this.#calls.get(message.id);
      this.#calls.delete(message.id);
      if ('error' in message) {
        call?.reject(new Error(message.error));
      } else {
        call?.resolve(message.result);
      }
    });
    child.once('exit', () => {
      for (const call of this.#calls.values()) {
        call.reject(new Error('Replica exited'));
      }
      this.#calls.clear();
    });
  }

  /** A real Backstage user token, from this replica's auth backend. */
  signIn(userName: string): Promise<string> {
    return this.#call({ call: 'signIn', userName }) as Promise<string>;
  }

  /** Makes the notifications stand-in accept no more notifications. */
  async holdNotifications(): Promise<void> {
    await this.#call({ call: 'holdNotifications' });
  }

  /** How many notifications the stand-in has been sent. */
  notificationsReceived(): Promise<number> {
    return this.#call({ call: 'notificationsReceived' }) as Promise<number>;
  }

  /** Ends the process at once, as a crash would. */
  async kill(): Promise<void> {
    this.#child.kill('SIGKILL');
    await this.#exited;
  }

  /** Stops the backend, and the process. */
  async stop(): Promise<void> {
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
      return;
    }
    await Promise.race([
      this.#call({ call: 'stop' }).catch(() => undefined),
      new Promise(resolve => setTimeout(resolve, 10_000)),
    ]);
    if (this.#child.exitCode === null && this.#child.signalCode === null) {
      this.#child.kill('SIGKILL');
    }
    await this.#exited;
  }

  #call(request: ReplicaCall): Promise<unknown> {
    const id = this.#nextId++;
    return new Promise((resolve, reject) => {
      this.#calls.set(id, { resolve, reject });
      this.#child.send({ ...request, id });
    });
  }
}
