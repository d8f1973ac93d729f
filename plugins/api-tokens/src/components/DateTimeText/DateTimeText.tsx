import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Typography from '@material-ui/core/Typography';
import { formatDateTime, formatExpiry, formatRelative } from '../../lib/dates';
import { apiTokensTranslationRef } from '../../translation';

/** Props of {@link DateTimeText}. */
export interface DateTimeTextProps {
  /** ISO 8601, or null for "never". */
  value: string | null;
  /** `expiry` says "expires in 7 hours"; `relative` says "3 days ago". */
  variant?: 'expiry' | 'relative';
  /** What to show when there is no value; "Never" unless said otherwise. */
  emptyText?: string;
}

/**
 * A point in time as the exact local time with how far it is from now below
 * it, e.g. "Mar 5, 2026, 3:45 PM" / "expires in 7 hours".
 */
export function DateTimeText(props: DateTimeTextProps) {
  const { value, variant = 'relative', emptyText } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  if (!value) {
    return (
      <Typography variant="body2">{emptyText ?? t('common.never')}</Typography>
    );
  }
  return (
    <>
      <Typography variant="body2" component="time" dateTime={value}>
        {formatDateTime(value)}
      </Typography>
      <Typography variant="caption" color="textSecondary" component="div">
        {variant === 'expiry' ? formatExpiry(value, t) : formatRelative(value)}
      </Typography>
    </>
  );
}
