import { defineConfig } from 'vitest/config';

/**
 * Several production processes on one PostgreSQL behind nginx (test/cluster/): run by
 * `npm run test:cluster` after `npm run build`, since they start dist/src/server.js. One file at a
 * time: each starts its own processes, and the rolling restart measures under load.
 */
export default defineConfig({
  test: {
    include: ['test/cluster/**/*.test.ts'],
    globalSetup: ['test/helpers/nginx-setup.ts', 'test/helpers/global-setup.ts'],
    pool: 'forks',
    fileParallelism: false,
    testTimeout: 60_000,
    hookTimeout: 60_000,
    env: { NODE_ENV: 'test' },
  },
});
