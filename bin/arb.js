#!/usr/bin/env node
// Entry point for `npx arb`: loads TypeScript sources through tsx so users need no build step.
import { register } from 'tsx/esm/api';
register();
await import('../engine/cli/main.ts');
