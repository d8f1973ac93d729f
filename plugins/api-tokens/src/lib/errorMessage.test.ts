import { ResponseError } from '@backstage/errors';
import { errorMessage } from './errorMessage';

describe('errorMessage', () => {
  it('prefers the message the server sent', async () => {
    const error = await ResponseError.fromResponse(
      new Response(
        JSON.stringify({
          error: { name: 'NotAllowedError', message: 'Only admins may' },
          response: { statusCode: 403 },
        }),
        { status: 403, headers: { 'Content-Type': 'application/json' } },
      ),
    );
    expect(errorMessage(error)).toBe('Only admins may');
  });

  it('falls back to the error message', () => {
    expect(errorMessage(new Error('offline'))).toBe('offline');
    expect(errorMessage('odd')).toBe('odd');
  });
});
