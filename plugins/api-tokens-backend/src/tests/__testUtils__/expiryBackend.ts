import {
  AuditorService,
  AuditorServiceCreateEventOptions,
  BackstageCredentials,
  coreServices,
  createServiceFactory,
  LoggerService,
  PermissionsService,
  SchedulerService,
  SchedulerServiceTaskInvocationDefinition,
  SchedulerServiceTaskScheduleDefinition,
} from '@backstage/backend-plugin-api';
import {
  mockCredentials,
  mockServices,
  startTestBackend,
} from '@backstage/backend-test-utils';
import { catalogServiceMock } from '@backstage/plugin-catalog-node/testUtils';
import {
  NotificationService,
  notificationService,
} from '@backstage/plugin-notifications-node';
import { AuthorizeResult } from '@backstage/plugin-permission-common';
import { JsonObject } from '@backstage/types';
import { Knex } from 'knex';
import { Server } from 'node:http';
import { apiTokensPlugin } from '../../plugin';

export const ADMIN = 'user:default/alice';
export const ENGINEER = 'user:default/bob';

/** The Authorization header of a signed-in user. */
export const signedInAs = (userRef: string) => ({
  Authorization: mockCredentials.user.header(userRef),
});

/** The test policy: the api-tokens permissions for the admin only. */
function decide(
  permissionName: string,
  credentials: BackstageCredentials,
): AuthorizeResult.ALLOW | AuthorizeResult.DENY {
  const principal = credentials.principal as { userEntityRef?: string };
  return !permissionName.startsWith('api-tokens.') ||
    principal.userEntityRef === ADMIN
    ? AuthorizeResult.ALLOW
    : AuthorizeResult.DENY;
}

const permissionsFactory = createServiceFactory({
  service: coreServices.permissions,
  deps: {},
  factory(): PermissionsService {
    return {
      async authorize(requests, options) {
        return requests.map(request => ({
          result: decide(request.permission.name, options.credentials),
        }));
      },
      async authorizeConditional(requests, options) {
        return requests.map(request => ({
          result: decide(request.permission.name, options.credentials),
        }));
      },
    };
  },
});

/** An auditor event as the plugin reported it. */
export interface RecordedAuditEvent {
  eventId: string;
  severityLevel?: string;
  /** Who asked, when the event came from a request. */
  actor?: string;
  meta?: JsonObject;
  outcome?: 'success' | 'fail';
  outcomeMeta?: JsonObject;
  error?: string;
}

/** An auditor that keeps its events, with who asked and how they ended. */
class RecordingAuditor implements AuditorService {
  constructor(private readonly events: RecordedAuditEvent[]) {}

  async createEvent(options: AuditorServiceCreateEventOptions) {
    const authorization = options.request?.headers.authorization;
    const event: RecordedAuditEvent = {
      eventId: options.eventId,
      severityLevel: options.severityLevel,
      actor: authorization
        ? (
            JSON.parse(
              authorization.replace(/^Bearer mock-user-token:/, ''),
            ) as { sub?: string }
          ).sub
        : undefined,
      meta: options.meta,
    };
    this.events.push(event);
    return {
      async success(result?: { meta?: JsonObject }) {
        event.outcome = 'success';
        event.outcomeMeta = result?.meta;
      },
      async fail(result: { meta?: JsonObject; error: Error }) {
        event.outcome = 'fail';
        event.outcomeMeta = result.meta;
        event.error = result.error.message;
      },
    };
  }
}

/** One line the plugin logged. */
export interface LogLine {
  level: 'error' | 'warn' | 'info' | 'debug';
  message: string;
}

class RecordingLogger implements LoggerService {
  constructor(private readonly lines: LogLine[]) {}
  error(message: string) {
    this.lines.push({ level: 'error', message });
  }
  warn(message: string) {
    this.lines.push({ level: 'warn', message });
  }
  info(message: string) {
    this.lines.push({ level: 'info', message });
  }
  debug(message: string) {
    this.lines.push({ level: 'debug', message });
  }
  child(): LoggerService {
    return this;
  }
}

/** A scheduled task as the plugin registered it. */
export type ScheduledTask = SchedulerServiceTaskScheduleDefinition &
  SchedulerServiceTaskInvocationDefinition;

/**
 * The scheduler of `mockServices`, which runs a task inline when it is
 * triggered, and which keeps the definitions the plugin registered.
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

/** A running backend with the real plugin. */
export interface ExpiryTestBackend {
  server: Server;
  scheduler: RecordingScheduler;
  auditEvents: RecordedAuditEvent[];
  logs: LogLine[];
  stop(): Promise<void>;
}

/**
 * Starts a backend with the real api-tokens plugin on `knex`, the test
 * policy, and recording auditor, logger and scheduler. The notification
 * service is the real default one (no notifications backend installed)
 * unless `notifications` is given. The scheduled task does not run at
 * startup; tests trigger it.
 */
export async function startExpiryBackend(options: {
  knex: Knex;
  config?: JsonObject;
  notifications?: NotificationService;
}): Promise<ExpiryTestBackend> {
  const auditEvents: RecordedAuditEvent[] = [];
  const logs: LogLine[] = [];
  const scheduler = new RecordingScheduler();
  const backend = await startTestBackend({
    features: [
      apiTokensPlugin,
      mockServices.rootConfig.factory({
        data: {
          app: { baseUrl: 'http://localhost:3000' },
          ...options.config,
        },
      }),
      mockServices.database.factory({ knex: options.knex }),
      createServiceFactory({
        service: coreServices.scheduler,
        deps: {},
        factory: () => scheduler,
      }),
      createServiceFactory({
        service: coreServices.auditor,
        deps: {},
        factory: () => new RecordingAuditor(auditEvents),
      }),
      createServiceFactory({
        service: coreServices.logger,
        deps: {},
        factory: () => new RecordingLogger(logs),
      }),
      ...(options.notifications
        ? [
            createServiceFactory({
              service: notificationService,
              deps: {},
              factory: () => options.notifications!,
            }),
          ]
        : []),
      mockServices.httpAuth.factory({
        defaultCredentials: mockCredentials.none(),
      }),
      catalogServiceMock.factory(),
      permissionsFactory,
    ],
  });
  return {
    server: backend.server,
    scheduler,
    auditEvents,
    logs,
    stop: () => backend.stop(),
  };
}
