/**
 * Runs `check` until it passes, throwing its last failure after `timeoutMs`.
 * The deadline is read from `performance.now()`, so that it holds in tests
 * that stop `Date.now()`.
 */
export async function eventually(
  check: () => void | Promise<void>,
  timeoutMs = 3_000,
): Promise<void> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    try {
      await check();
      return;
    } catch (error) {
      if (performance.now() > deadline) {
        throw error;
      }
      await new Promise(resolve => setTimeout(resolve, 20));
    }
  }
}
