import { render, screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { ConfirmDialog } from './ConfirmDialog';

describe('ConfirmDialog', () => {
  it('confirms and closes', async () => {
    const onConfirm = jest.fn().mockResolvedValue(undefined);
    const onClose = jest.fn();
    render(
      <ConfirmDialog
        open
        title="Revoke token?"
        confirmLabel="Revoke"
        onConfirm={onConfirm}
        onClose={onClose}
      >
        Anything that uses it stops working.
      </ConfirmDialog>,
    );
    expect(
      screen.getByRole('dialog', { name: 'Revoke token?' }),
    ).toBeInTheDocument();
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(onConfirm).toHaveBeenCalled();
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('stays open with the error when it fails', async () => {
    const onClose = jest.fn();
    render(
      <ConfirmDialog
        open
        title="Revoke token?"
        confirmLabel="Revoke"
        onConfirm={() => Promise.reject(new Error('Token not found'))}
        onClose={onClose}
      >
        Sure?
      </ConfirmDialog>,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Token not found',
    );
    expect(onClose).not.toHaveBeenCalled();
  });
});
