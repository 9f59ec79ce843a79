import { z } from 'zod';

// Zod compiles fast parsers with `new Function` when it may; under our CSP (no unsafe-eval)
// its probe is refused and logged as a violation. Jitless parsing never tries.
z.config({ jitless: true });
