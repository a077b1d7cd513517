import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    root: '.',
    include: ['test/**/*.test.ts'],
    // Browser tests start a real server and a real Chromium each: give them room.
    testTimeout: 30_000,
    hookTimeout: 60_000,
  },
});
