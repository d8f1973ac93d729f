import { makeToken } from '../__testUtils__/fixtures';
import { tokensToCsv } from './tokensCsv';

describe('tokensToCsv', () => {
  it('writes the metadata of each token, never the hint of its secret', () => {
    const csv = tokensToCsv([
      makeToken({
        id: 'a',
        name: 'deploy, "prod"',
        createdAt: '2026-01-01T00:00:00.000Z',
        expiresAt: '2027-01-01T00:00:00.000Z',
        hint: 'wxyz',
      }),
    ]);
    expect(csv).toBe(
      'id,name,kind,state,ownerRef,createdBy,createdAt,expiresAt,lastUsedAt,revokedAt,revokedBy\r\n' +
        'a,"deploy, ""prod""",permanent,active,user:default/jane,user:default/alice,2026-01-01T00:00:00.000Z,2027-01-01T00:00:00.000Z,,,\r\n',
    );
    expect(csv).not.toContain('wxyz');
  });

  it('keeps spreadsheets from reading a name as a formula', () => {
    const csv = tokensToCsv([makeToken({ name: '=HYPERLINK("x")' })]);
    expect(csv.split('\r\n')[1]).toContain(`"'=HYPERLINK(""x"")"`);
  });
});
