import { AuditorService } from '@backstage/backend-plugin-api';
import { toError } from '@backstage/errors';
import { JsonObject } from '@backstage/types';
import { API_TOKENS_AUDIT_EVENTS } from '@nholuongut/backstage-plugin-api-tokens-common';
import { Caller } from './Caller';

/** The id of one of the plugin's auditor events. */
export type AuditEventId =
  (typeof API_TOKENS_AUDIT_EVENTS)[keyof typeof API_TOKENS_AUDIT_EVENTS];

/** A security-relevant action, as the auditor records it. */
export interface AuditedAction<T> {
  eventId: AuditEventId;
  caller: Caller;
  /** What the action is about, recorded when it starts. Never a secret. */
  meta: JsonObject;
  run(): Promise<T>;
  /** What the event adds when the action succeeds. Never a secret. */
  outcome(result: T): JsonObject;
}

/**
 * Runs an action as an auditor event: who asked, whether it succeeded, and
 * why not. Refused attempts (no permission, invalid input) are recorded as
 * failed.
 */
export async function audited<T>(
  auditor: AuditorService,
  action: AuditedAction<T>,
): Promise<T> {
  const event = await auditor.createEvent({
    eventId: action.eventId,
    request: action.caller.request,
    severityLevel: 'medium',
    meta: action.meta,
  });
  try {
    const result = await action.run();
    await event.success({ meta: action.outcome(result) });
    return result;
  } catch (error) {
    await event.fail({ error: toError(error) });
    throw error;
  }
}
