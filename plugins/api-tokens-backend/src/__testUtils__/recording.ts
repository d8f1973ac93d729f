import {
  LoggerService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import { mockServices } from '@backstage/backend-test-utils';
import { JsonObject } from '@backstage/types';

/** One call to a logger of the backend, as made: nothing formatted away. */
export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
  /** The fields of the logger (plugin, isAuditEvent, …). */
  fields: JsonObject;
  meta?: Error | JsonObject;
}

/** A root logger that keeps every call, at every level, with its raw meta. */
export class RecordingLogger implements LoggerService {
  constructor(
    private readonly lines: LogLine[],
    private readonly fields: JsonObject = {},
  ) {}

  error(message: string, meta?: Error | JsonObject) {
    this.lines.push({ level: 'error', message, fields: this.fields, meta });
  }
  warn(message: string, meta?: Error | JsonObject) {
    this.lines.push({ level: 'warn', message, fields: this.fields, meta });
  }
  info(message: string, meta?: Error | JsonObject) {
    this.lines.push({ level: 'info', message, fields: this.fields, meta });
  }
  debug(message: string, meta?: Error | JsonObject) {
    this.lines.push({ level: 'debug', message, fields: this.fields, meta });
  }
  child(meta: JsonObject): LoggerService {
    return new RecordingLogger(this.lines, { ...this.fields, ...meta });
  }
}

/**
 * Everything in a value as text, for scanning: every own property of
 * objects and errors (message, stack, cause and whatever else they carry).
 */
export function deepText(value: unknown): string {
  const seen = new Set<unknown>();
  const parts: string[] = [];
  const visit = (node: unknown) => {
    if (node === null || node === undefined) {
      return;
    }
    if (typeof node !== 'object') {
      parts.push(String(node));
      return;
    }
    if (seen.has(node)) {
      return;
    }
    seen.add(node);
    if (node instanceof Error) {
      parts.push(node.name, node.message, node.stack ?? '');
      visit(node.cause);
    }
    for (const key of Object.getOwnPropertyNames(node)) {
      parts.push(key);
      visit((node as Record<string, unknown>)[key]);
    }
  };
  visit(value);
  return parts.join('\n');
}

/** An auditor event as Backstage's auditor logged it. */
export interface AuditEvent {
  /** `api-tokens.<event id>`. */
  id: string;
  status: 'initiated' | 'succeeded' | 'failed';
  severityLevel: string;
  actorId?: string;
  meta: Record<string, unknown>;
  /** The message of the error of a failed event. */
  error?: string;
  line: LogLine;
}

/**
 * The auditor events among the log lines. Backstage's auditor logs an event
 * with `isAuditEvent` among the logger's fields; a failed one has its other
 * fields there too, and the error as the line's meta.
 */
export function auditEvents(lines: LogLine[]): AuditEvent[] {
  return lines
    .filter(line => line.fields.isAuditEvent)
    .map(line => {
      const meta = line.meta instanceof Error ? {} : line.meta ?? {};
      const event = { ...line.fields, ...meta } as {
        status: AuditEvent['status'];
        severityLevel: string;
        actor?: { actorId?: string };
        meta?: Record<string, unknown>;
      };
      return {
        id: line.message,
        status: event.status,
        severityLevel: event.severityLevel,
        actorId: event.actor?.actorId,
        meta: event.meta ?? {},
        error: line.meta instanceof Error ? line.meta.message : undefined,
        line,
      };
    });
}

/** A scheduled task as the plugin registered it. */
export type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/**
 * The scheduler of `mockServices`, which runs a task inline when it is
 * triggered and never on its own, and which keeps the definitions the
 * plugin registered.
 */
export class RecordingScheduler implements SchedulerService {
  readonly scheduled: ScheduledTask[] = [];
  private readonly inner = mockServices.scheduler();

  triggerTask(id: string) {
    return this.inner.triggerTask(id);
  }
  cancelTask(id: string) {
    return this.inner.cancelTask(id);
  }
  getScheduledTasks() {
    return this.inner.getScheduledTasks();
  }
  createScheduledTaskRunner(schedule: SchedulerServiceTaskScheduleDefinition) {
    return {
      run: (task: SchedulerServiceTaskInvocationDefinition) =>
        this.scheduleTask({ ...task, ...schedule }),
    };
  }
  async scheduleTask(task: ScheduledTask) {
    this.scheduled.push(task);
    await this.inner.scheduleTask(task);
  }
}
