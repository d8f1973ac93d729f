import { InfoCard } from '@backstage/core-components';
import List from '@material-ui/core/List';
import ListItem from '@material-ui/core/ListItem';
import ListItemText from '@material-ui/core/ListItemText';
import Typography from '@material-ui/core/Typography';
import { ExpiryCheckResult } from '@internal/plugin-api-tokens-common';

function plural(count: number, one: string, many: string) {
  return `${count} ${count === 1 ? one : many}`;
}

/** What a run of the expiry check did: faults raised and resolved, emails. */
export function ExpiryCheckResultPanel(props: { result: ExpiryCheckResult }) {
  const { raised, resolved, emailedTo, emailFailures } = props.result;
  return (
    <InfoCard title="Expiry check finished">
      <Typography variant="body1" role="status">
        Raised {plural(raised.length, 'new fault', 'new faults')}, resolved{' '}
        {plural(resolved, 'fault', 'faults')}.
      </Typography>
      {raised.length > 0 && (
        <List dense aria-label="Faults raised">
          {raised.map(fault => (
            <ListItem key={fault.id}>
              <ListItemText
                primary={`${fault.tokenName} (${fault.ownerRef})`}
                secondary={`${fault.thresholdDays} days before expiry`}
              />
            </ListItem>
          ))}
        </List>
      )}
      <Typography variant="body2">
        {emailedTo.length > 0
          ? `Emailed ${emailedTo.join(', ')}.`
          : 'No email was sent.'}
      </Typography>
      {emailFailures.length > 0 && (
        <>
          <Typography variant="body2" color="error">
            Could not email{' '}
            {plural(emailFailures.length, 'address', 'addresses')}; the next run
            tries again:
          </Typography>
          <List dense aria-label="Email failures">
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
