import { Progress } from '@backstage/core-components';
import {
  RequirePermissionProps,
  usePermission,
} from '@backstage/plugin-permission-react';
import { ReactNode } from 'react';
import { NotAllowedPanel } from '../NotAllowedPanel';

/** Props of {@link PermissionGate}. */
export interface PermissionGateProps {
  /** A permission without a resource, such as `api-tokens.token.read`. */
  permission: Extract<
    RequirePermissionProps,
    { resourceRef?: never }
  >['permission'];
  children: ReactNode;
}

/**
 * Shows its children to people the permission policy allows, and
 * {@link NotAllowedPanel} to the others. Unlike `RequirePermission`, which
 * renders nothing while it asks, it shows Backstage's progress bar, so a
 * page is never a blank area.
 */
export function PermissionGate(props: PermissionGateProps) {
  const { loading, allowed } = usePermission({ permission: props.permission });
  if (loading) {
    return <Progress />;
  }
  return allowed ? <>{props.children}</> : <NotAllowedPanel />;
}
