module.exports = require('@backstage/cli/config/eslint-factory')(__dirname, {
  overrides: [
    {
      // The one file that reaches into the api-tokens backend's source.
      files: ['src/pluginInternals.ts'],
      rules: { '@backstage/no-relative-monorepo-imports': 'off' },
    },
  ],
});
