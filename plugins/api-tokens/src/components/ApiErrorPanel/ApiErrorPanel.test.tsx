import { ResponseError } from '@backstage/errors';
import { screen } from '@testing-library/react';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ApiErrorPanel } from './ApiErrorPanel';

describe('ApiErrorPanel', () => {
  it("shows the server's message", async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotFoundError', message: 'No user jane' },
          response: { statusCode: 404 },
        }),
        { status: 404, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    await renderWithApis(
      <ApiErrorPanel error={error} title="Could not load tokens" />,
    );
    expect(
      screen.getByText(/Could not load tokens: No user jane/),
    ).toBeInTheDocument();
  });
});
