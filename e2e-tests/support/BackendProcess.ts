import { ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';

const REPO_ROOT = path.resolve(__dirname, '../..');

/**
 * A real portal backend in its own process, with extra config on top of
 * app-config.yaml: how the reliability tests restart and replicate it.
 */
export class BackendProcess {
  private child?: ChildProcess;
  private output = '';

  constructor(
    readonly port: number,
    private readonly config: Record<string, unknown>,
  ) {}

  get baseUrl() {
    return `http://localhost:${this.port}`;
  }

  /** Starts the backend and waits until it is ready. */
  async start(): Promise<void> {
    const configFile = path.join(
      fs.mkdtempSync(path.join(os.tmpdir(), 'api-tokens-e2e-')),
      'app-config.json',
    );
    fs.writeFileSync(
      configFile,
      JSON.stringify({
        ...this.config,
        backend: {
          baseUrl: this.baseUrl,
          listen: { port: this.port },
          ...(this.config.backend as object),
        },
      }),
    );
    this.output = '';
    this.child = spawn(
      'yarn',
      [
        'workspace',
        'backend',
        'start',
        '--config',
        path.join(REPO_ROOT, 'app-config.yaml'),
        '--config',
        configFile,
      ],
      { cwd: REPO_ROOT, detached: true, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    this.child.stdout?.on('data', chunk => this.collect(chunk));
    this.child.stderr?.on('data', chunk => this.collect(chunk));
    const deadline = Date.now() + 180_000;
    while (Date.now() < deadline) {
      if (this.child.exitCode !== null) {
        throw new Error(`Backend on ${this.port} exited:\n${this.output}`);
      }
      try {
        const response = await fetch(
          `${this.baseUrl}/.backstage/health/v1/readiness`,
        );
        if (response.ok) {
          return;
        }
      } catch {
        // not listening yet
      }
      await new Promise(resolve => setTimeout(resolve, 500));
    }
    throw new Error(`Backend on ${this.port} did not start:\n${this.output}`);
  }

  /** Kills the backend and everything it started, as a crash would. */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null || child.pid === undefined) {
      return;
    }
    const exited = new Promise(resolve => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGKILL');
    await exited;
    // Give the OS a moment to release the port.
    await new Promise(resolve => setTimeout(resolve, 500));
  }

  /** Everything the backend printed; tests search it for secrets. */
  get log(): string {
    return this.output;
  }

  private collect(chunk: Buffer) {
    this.output += chunk.toString('utf8');
    if (this.output.length > 5_000_000) {
      this.output = this.output.slice(-4_000_000);
    }
  }
}
