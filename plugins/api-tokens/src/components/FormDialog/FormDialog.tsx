import { useTranslationRef } from '@backstage/frontend-plugin-api';
import Button from '@material-ui/core/Button';
import CircularProgress from '@material-ui/core/CircularProgress';
import Dialog from '@material-ui/core/Dialog';
import DialogActions from '@material-ui/core/DialogActions';
import DialogContent from '@material-ui/core/DialogContent';
import DialogTitle from '@material-ui/core/DialogTitle';
import Typography from '@material-ui/core/Typography';
import { FormEvent, ReactNode, useId, useState } from 'react';
import { apiTokensTranslationRef } from '../../translation';

/** Props of {@link FormDialog}. */
export interface FormDialogProps {
  open: boolean;
  title: string;
  /** The fields, or what is to be confirmed. */
  children: ReactNode;
  /** Why the last attempt failed. */
  error?: string;
  submitLabel: string;
  /** `secondary` for what cannot be undone. */
  submitColor?: 'primary' | 'secondary';
  /**
   * While true the dialog stays open, both buttons are disabled and the
   * submit button spins.
   */
  busy: boolean;
  /** False keeps the submit button disabled, e.g. while a field is invalid. */
  canSubmit?: boolean;
  onSubmit(): void;
  onClose(): void;
  /** How wide the dialog may grow; `sm` unless said otherwise. */
  maxWidth?: 'sm' | 'md';
}

/**
 * The dialogs of this plugin: a form with a title, the content, the error of
 * the last attempt, and Cancel beside the submit button.
 */
export function FormDialog(props: FormDialogProps) {
  const {
    open,
    title,
    children,
    error,
    submitLabel,
    submitColor = 'primary',
    busy,
    canSubmit = true,
    onSubmit,
    onClose,
    maxWidth = 'sm',
  } = props;
  const { t } = useTranslationRef(apiTokensTranslationRef);
  const titleId = useId();

  const submit = (event: FormEvent) => {
    event.preventDefault();
    onSubmit();
  };

  return (
    <Dialog
      open={open}
      onClose={busy ? undefined : onClose}
      aria-labelledby={titleId}
      fullWidth
      maxWidth={maxWidth}
    >
      <form onSubmit={submit} noValidate>
        <DialogTitle id={titleId}>{title}</DialogTitle>
        <DialogContent>
          {children}
          {error && (
            <Typography color="error" role="alert">
              {error}
            </Typography>
          )}
        </DialogContent>
        <DialogActions>
          <Button onClick={onClose} disabled={busy}>
            {t('common.cancel')}
          </Button>
          <Button
            type="submit"
            color={submitColor}
            variant="contained"
            disabled={busy || !canSubmit}
            startIcon={busy ? <CircularProgress size={16} /> : undefined}
          >
            {submitLabel}
          </Button>
        </DialogActions>
      </form>
    </Dialog>
  );
}

/**
 * A number that goes up each time `open` turns true. Used as the `key` of the
 * component that holds a dialog's form state, it gives every opening a fresh
 * form, while a closing dialog keeps showing what it showed.
 */
export function useOpeningKey(open: boolean): number {
  const [state, setState] = useState({ open, openings: 0 });
  if (state.open === open) {
    return state.openings;
  }
  const next = { open, openings: open ? state.openings + 1 : state.openings };
  setState(next);
  return next.openings;
}
