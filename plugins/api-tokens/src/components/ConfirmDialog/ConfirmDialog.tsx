import DialogContentText from '@material-ui/core/DialogContentText';
import { ReactNode, useState } from 'react';
import { errorMessage } from '../../lib/errorMessage';
import { FormDialog, useOpeningKey } from '../FormDialog';

/** Props of {@link ConfirmDialog}. */
export interface ConfirmDialogProps {
  open: boolean;
  title: string;
  children: ReactNode;
  /** The label of the button that does it, e.g. "Revoke". */
  confirmLabel: string;
  /** Does it; the dialog shows progress meanwhile and the error if it fails. */
  onConfirm(): Promise<void>;
  onClose(): void;
}

function Confirmation(props: ConfirmDialogProps) {
  const { open, title, children, confirmLabel, onConfirm, onClose } = props;
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string>();

  const confirm = async () => {
    setBusy(true);
    setError(undefined);
    try {
      await onConfirm();
      setBusy(false);
      onClose();
    } catch (e) {
      setError(errorMessage(e));
      setBusy(false);
    }
  };

  return (
    <FormDialog
      open={open}
      title={title}
      error={error}
      submitLabel={confirmLabel}
      submitColor="secondary"
      busy={busy}
      onSubmit={confirm}
      onClose={onClose}
    >
      <DialogContentText component="div">{children}</DialogContentText>
    </FormDialog>
  );
}

/** Asks before doing something that cannot be undone. */
export function ConfirmDialog(props: ConfirmDialogProps) {
  return <Confirmation key={useOpeningKey(props.open)} {...props} />;
}
