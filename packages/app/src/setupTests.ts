import '@testing-library/jest-dom';
import { configure } from '@testing-library/react';

// findBy* and waitFor return as soon as what they wait for is there; this
// limit only decides when a test gives up. Starting the whole app in jsdom
// takes longer than testing-library's default second on a busy CI machine,
// so wait up to 10 s, and let a test run for up to 30 s.
configure({ asyncUtilTimeout: 10_000 });
jest.setTimeout(30_000);
