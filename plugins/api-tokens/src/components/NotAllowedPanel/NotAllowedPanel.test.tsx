import { renderInTestApp } from '@backstage/test-utils';
import { screen } from '@testing-library/react';
import { NotAllowedPanel } from './NotAllowedPanel';

describe('NotAllowedPanel', () => {
  it('says the page is not for this person', async () => {
    await renderInTestApp(<NotAllowedPanel />);
    expect(
      screen.getByText('You are not allowed to manage API tokens'),
    ).toBeInTheDocument();
  });
});
