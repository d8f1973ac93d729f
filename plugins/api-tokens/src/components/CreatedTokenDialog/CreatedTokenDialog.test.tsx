import { screen, waitFor } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { makeCreated } from '../../__testUtils__/fixtures';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { CreatedTokenDialog } from './CreatedTokenDialog';

describe('CreatedTokenDialog', () => {
  it('shows the secret once and copies it', async () => {
    const writeText = jest.fn().mockResolvedValue(undefined);
    Object.defineProperty(window.navigator, 'clipboard', {
      value: { writeText },
      configurable: true,
    });
    const created = makeCreated({ name: 'ci-deploy' });
    const onClose = jest.fn();
    await renderWithApis(
      <CreatedTokenDialog created={created} onClose={onClose} />,
    );
    expect(
      screen.getByRole('dialog', { name: 'Token created' }),
    ).toBeInTheDocument();
    expect(screen.getByRole('textbox', { name: 'Token' })).toHaveValue(
      created.secret,
    );
    expect(screen.getByText(/cannot\s+retrieve it later/)).toBeInTheDocument();
    expect(screen.getByText('Scope: Full access')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'Copy' }));
    expect(writeText).toHaveBeenCalledWith(created.secret);
    await waitFor(() =>
      expect(screen.getByRole('status')).toHaveTextContent(
        'Copied to the clipboard.',
      ),
    );

    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onClose).toHaveBeenCalled();
  });

  it('says what a scoped token may do', async () => {
    await renderWithApis(
      <CreatedTokenDialog
        created={makeCreated({
          scope: {
            plugins: ['catalog'],
            permissions: ['catalog.entity.read', 'catalog.location.read'],
            readOnly: true,
          },
        })}
        onClose={jest.fn()}
      />,
    );
    expect(
      screen.getByText('Scope: catalog · read only · 2 permissions'),
    ).toBeInTheDocument();
    expect(
      screen.getByText(
        'Permissions: catalog.entity.read, catalog.location.read',
      ),
    ).toBeInTheDocument();
  });

  it('asks before Escape, a click outside or Done loses an uncopied secret', async () => {
    const onClose = jest.fn();
    await renderWithApis(
      <CreatedTokenDialog created={makeCreated()} onClose={onClose} />,
    );
    const dialog = screen.getByRole('dialog', { name: 'Token created' });

    await userEvent.keyboard('{Escape}');
    expect(onClose).not.toHaveBeenCalled();
    expect(screen.getByRole('alert')).toHaveTextContent(
      'You have not copied the token. Close anyway?',
    );
    await userEvent.click(screen.getByRole('button', { name: 'Go back' }));
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();

    // A click outside the paper lands on the dialog's container.
    await userEvent.click(dialog.parentElement!);
    expect(screen.getByRole('alert')).toBeInTheDocument();
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Go back' }));

    await userEvent.click(screen.getByRole('button', { name: 'Done' }));
    expect(onClose).not.toHaveBeenCalled();
    await userEvent.click(screen.getByRole('button', { name: 'Close anyway' }));
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('closes on Escape at once once the secret was copied by hand', async () => {
    const onClose = jest.fn();
    const created = makeCreated();
    await renderWithApis(
      <CreatedTokenDialog created={created} onClose={onClose} />,
    );
    const secret = screen.getByRole('textbox', { name: 'Token' });
    await userEvent.click(secret);
    await userEvent.copy();

    await userEvent.keyboard('{Escape}');
    expect(screen.queryByRole('alert')).not.toBeInTheDocument();
    expect(onClose).toHaveBeenCalledTimes(1);
  });

  it('is closed without a token', async () => {
    await renderWithApis(<CreatedTokenDialog onClose={jest.fn()} />);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
