import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ConfirmDialog } from './ConfirmDialog';

describe('ConfirmDialog', () => {
  function renderDialog(onConfirm: () => Promise<void>, onClose: jest.Mock) {
    return renderWithApis(
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
  }

  it('confirms and closes', async () => {
    const onConfirm = jest.fn().mockResolvedValue(undefined);
    const onClose = jest.fn();
    await renderDialog(onConfirm, onClose);
    expect(
      screen.getByRole('dialog', { name: 'Revoke token?' }),
    ).toHaveTextContent('Anything that uses it stops working.');
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(onConfirm).toHaveBeenCalled();
    await waitFor(() => expect(onClose).toHaveBeenCalled());
  });

  it('stays open with the error when it fails', async () => {
    const onClose = jest.fn();
    await renderDialog(
      () => Promise.reject(new Error('Token not found')),
      onClose,
    );
    await userEvent.click(screen.getByRole('button', { name: 'Revoke' }));
    expect(await screen.findByRole('alert')).toHaveTextContent(
      'Token not found',
    );
    expect(onClose).not.toHaveBeenCalled();
  });
});
