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

  it('is closed without a token', async () => {
    await renderWithApis(<CreatedTokenDialog onClose={jest.fn()} />);
    expect(screen.queryByRole('dialog')).not.toBeInTheDocument();
  });
});
