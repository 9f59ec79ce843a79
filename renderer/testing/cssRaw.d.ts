/** A stylesheet's text, for a test that reads it (vitest.config.ts lets it through: css.include). */
declare module '*.css?raw' {
  const text: string;
  export default text;
}
