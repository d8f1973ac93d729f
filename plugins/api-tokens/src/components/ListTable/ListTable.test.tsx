import { screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { useState } from 'react';
import { renderWithApis } from '../../__testUtils__/renderWithApis';
import { ListTable } from './ListTable';

interface Setting {
  key: string;
  value: string;
}

const items: Setting[] = [{ key: 'EnableUserTokenNotification', value: '7' }];

/** Re-renders the table with new column functions on every click. */
function Counter() {
  const [count, setCount] = useState(0);
  return (
    <>
      <button onClick={() => setCount(count + 1)}>More</button>
      <ListTable<Setting>
        columns={[
          { title: 'Key', field: 'key' },
          {
            title: 'Value',
            field: 'value',
            render: setting => `${setting.value} (${count})`,
          },
        ]}
        items={items}
        rowId={setting => setting.key}
        loading={false}
        emptyText="None"
      />
    </>
  );
}

describe('ListTable', () => {
  const nodeEnv = process.env.NODE_ENV;
  afterEach(() => {
    process.env.NODE_ENV = nodeEnv;
  });

  it('shows the newest cells without material-table warning about its columns or row ids', async () => {
    // material-table checks its columns and rows in development only.
    process.env.NODE_ENV = 'development';
    const warn = jest.spyOn(console, 'warn');
    await renderWithApis(<Counter />);
    expect(screen.getByText('7 (0)')).toBeInTheDocument();

    await userEvent.click(screen.getByRole('button', { name: 'More' }));
    await userEvent.click(screen.getByRole('button', { name: 'More' }));
    expect(await screen.findByText('7 (2)')).toBeInTheDocument();
    expect(warn).not.toHaveBeenCalledWith(
      expect.stringMatching(/material table are static|unique id/),
    );
    warn.mockRestore();
  });
});
