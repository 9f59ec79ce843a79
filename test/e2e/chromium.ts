/**
 * How the browser tests and the browser benchmark start Chromium: Debian's build, headless,
 * software rendering, one window size, and nothing that reaches the network on its own (the
 * app is offline, and a background fetch would also add noise to the benchmark's CPU figures).
 * One definition, so the README's browser figures are measured in the browser the tests drive.
 * A function, so no caller can change another's options.
 */
export function chromiumLaunchOptions(): {
  executablePath: string;
  viewport: { width: number; height: number };
  args: string[];
} {
  return {
    executablePath: '/usr/bin/chromium',
    viewport: { width: 1440, height: 900 },
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--disable-quic',
      '--no-first-run',
      '--disable-component-update',
      '--disable-sync',
    ],
  };
}
