import { screen } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { NotAllowedPanel } from './NotAllowedPanel';

describe('NotAllowedPanel', () => {
  it('says the page is not for this person', async () => {
    await renderWithApis(<NotAllowedPanel />);
    expect(
      screen.getByText('You are not allowed to manage API tokens'),
    ).toBeInTheDocument();
  });
});
