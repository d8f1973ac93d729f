import {
  currentInternalCallMarker,
  isInternalCallMarker,
  runAsInternalCall,
} from './apiTokenRequestContext';

describe('runAsInternalCall', () => {
  it('names a call with a marker of its own, valid until the call settles', async () => {
    let finish: () => void = () => {};
    let marker: string | undefined;
    const call = runAsInternalCall(async () => {
      marker = currentInternalCallMarker();
      await new Promise<void>(resolve => {
        finish = resolve;
      });
      return 'done';
    });

    expect(marker).toEqual(expect.any(String));
    expect(isInternalCallMarker(marker)).toBe(true);
    expect(currentInternalCallMarker()).toBeUndefined();

    finish();
    await expect(call).resolves.toBe('done');
    expect(isInternalCallMarker(marker)).toBe(false);
  });

  it('ends the marker of a call that fails', async () => {
    let marker: string | undefined;

    await expect(
      runAsInternalCall(async () => {
        marker = currentInternalCallMarker();
        throw new Error('auth backend is down');
      }),
    ).rejects.toThrow('auth backend is down');
    expect(isInternalCallMarker(marker)).toBe(false);
  });
});
