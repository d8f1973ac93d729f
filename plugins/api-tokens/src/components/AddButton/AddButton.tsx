import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import AddIcon from '@material-ui/icons/Add';
import { apiTokensTranslationRef } from '../../translation';

/** The "Add" button in the corner of a card, e.g. to add a token or setting. */
export function AddButton(props: { onClick(): void }) {
  const { t } = useTranslationRef(apiTokensTranslationRef);
  return (
    <Button
      color="primary"
      variant="contained"
      startIcon={<AddIcon />}
      onClick={props.onClick}
    >
      {t('common.add')}
    </Button>
  );
}
