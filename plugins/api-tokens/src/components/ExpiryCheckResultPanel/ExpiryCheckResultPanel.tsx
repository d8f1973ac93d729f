import { InfoCard } from '@backstage/core-components';
import { useTranslationRef } from '@backstage/frontend-plugin-api';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ExpiryCheckResult } from '@nholuongut/backstage-plugin-api-tokens-common';
import { apiTokensTranslationRef } from '../../translation';

/** What a run of the expiry check did: faults raised and resolved, emails. */
export function ExpiryCheckResultPanel(props: { result: ExpiryCheckResult }) {
  const { raisedCount, raised, resolved, emailedTo, emailFailures } =
    props.result;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  return (
    <InfoCard title={t('expiryCheck.title')}>
      <Typography variant="body1" role="status">
        {t('expiryCheck.summary', {
          raised: t('expiryCheck.newFaults', { count: raisedCount }),
          resolved: t('expiryCheck.faults', { count: resolved }),
        })}
      </Typography>
      {raised.length > 0 && (
        <List dense aria-label={t('expiryCheck.raisedList')}>
          {raised.map(fault => (
            <ListItem key={fault.id}>
              <ListItemText
                primary={t('expiryCheck.raisedFault', {
                  tokenName: fault.tokenName,
                  ownerRef: fault.ownerRef,
                })}
                secondary={t('faultTable.warning', {
                  count: fault.thresholdDays,
                })}
              />
            </ListItem>
          ))}
        </List>
      )}
      {raisedCount > raised.length && (
        <Typography variant="body2">
          {t('expiryCheck.moreRaised', {
            count: raisedCount - raised.length,
          })}
        </Typography>
      )}
      <Typography variant="body2">
        {emailedTo.length > 0
          ? t('expiryCheck.emailed', { addresses: emailedTo.join(', ') })
          : t('expiryCheck.noEmail')}
      </Typography>
      {emailFailures.length > 0 && (
        <>
          <Typography variant="body2" color="error">
            {t('expiryCheck.emailFailures', {
              addresses: t('expiryCheck.addresses', {
                count: emailFailures.length,
              }),
            })}
          </Typography>
          <List dense aria-label={t('expiryCheck.emailFailuresList')}>
            {emailFailures.map(failure => (
              <ListItem key={failure.address}>
                <ListItemText
                  primary={failure.address}
                  secondary={failure.reason}
                />
              </ListItem>
            ))}
          </List>
        </>
      )}
    </InfoCard>
  );
}
