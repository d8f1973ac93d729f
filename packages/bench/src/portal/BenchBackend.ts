import { ChildProcess, spawn } from 'node:child_process';
import { mkdirSync, openSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { PortalClient } from './PortalClient';

const START_TIMEOUT_MS = 300_000;
const STOP_TIMEOUT_MS = 15_000;

function sleep(ms: number) {
  return new Promise(resolve => setTimeout(resolve, ms));
}

/**
 * The real portal backend (`yarn workspace backend start`) in a child process
 * of its own, on its own port and a fresh SQLite folder under `data/bench/`,
 * so it neither disturbs nor is disturbed by a developer's portal or the
 * end-to-end suite. Its output goes to `data/bench/backend.log`.
 */
export class BenchBackend {
  readonly client: PortalClient;
  readonly #child: ChildProcess;
  readonly #exited: Promise<void>;
  readonly #killOnExit = () => this.#signal('SIGKILL');

  static async start(options: {
    repoRoot: string;
    port: number;
    /**
     * Names a replica: its output goes to `data/bench/<name>/backend.log`.
     * Without it, `data/bench/` is emptied first.
     */
    name?: string;
    /** More environment, e.g. `APP_CONFIG_…` overrides. */
    env?: Record<string, string>;
  }): Promise<BenchBackend> {
    const dataDir = join(
      options.repoRoot,
      'data',
      'bench',
      ...(options.name ? [options.name] : []),
    );
    rmSync(dataDir, { recursive: true, force: true });
    mkdirSync(dataDir, { recursive: true });
    const logFile = join(dataDir, 'backend.log');
    const log = openSync(logFile, 'w');
    const child = spawn('yarn', ['workspace', 'backend', 'start'], {
      cwd: options.repoRoot,
      env: {
        ...process.env,
        APP_CONFIG_backend_listen_port: String(options.port),
        APP_CONFIG_backend_baseUrl: `http://localhost:${options.port}`,
        // Relative to packages/backend, like the development config; unless
        // `env` configures another database.
        ...(options.env?.APP_CONFIG_backend_database_client
          ? {}
          : {
              APP_CONFIG_backend_database_connection_directory:
                '../../data/bench/sqlite',
            }),
        ...options.env,
      },
      // A process group of its own, so that stopping it stops the CLI's
      // child node process too, and nothing else.
      detached: true,
      stdio: ['ignore', log, log],
    });
    const backend = new BenchBackend(
      child,
      new PortalClient(`http://localhost:${options.port}`),
    );
    try {
      await backend.#waitUntilReady(logFile);
    } catch (error) {
      await backend.stop();
      throw error;
    }
    return backend;
  }

  private constructor(child: ChildProcess, client: PortalClient) {
    this.#child = child;
    this.client = client;
    this.#exited = new Promise(resolve => child.once('exit', () => resolve()));
    process.once('exit', this.#killOnExit);
  }

  async stop(): Promise<void> {
    process.removeListener('exit', this.#killOnExit);
    if (this.#child.exitCode !== null || this.#child.signalCode !== null) {
      return;
    }
    this.#signal('SIGTERM');
    const stopped = await Promise.race([
      this.#exited.then(() => true),
      sleep(STOP_TIMEOUT_MS).then(() => false),
    ]);
    if (!stopped) {
      this.#signal('SIGKILL');
      await this.#exited;
    }
  }

  #signal(signal: NodeJS.Signals) {
    if (this.#child.pid === undefined) {
      return;
    }
    try {
      process.kill(-this.#child.pid, signal);
    } catch {
      // The group is gone already.
    }
  }

  /**
   * Ready means the health check passes and the catalog has ingested the
   * example users, which the development sign-in needs.
   */
  async #waitUntilReady(logFile: string) {
    const deadline = Date.now() + START_TIMEOUT_MS;
    const { baseUrl } = this.client;
    for (;;) {
      if (this.#child.exitCode !== null) {
        throw new Error(`The backend exited early; see ${logFile}`);
      }
      if (Date.now() > deadline) {
        throw new Error(`The backend did not get ready; see ${logFile}`);
      }
      try {
        const health = await fetch(`${baseUrl}/.backstage/health/v1/readiness`);
        if (health.ok) {
          await this.client.signIn('alice');
          await this.client.signIn('bob');
          return;
        }
      } catch {
        // Not listening, or the catalog is not ingested yet.
      }
      await sleep(1000);
    }
  }
}
