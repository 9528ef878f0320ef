#!/usr/bin/env node
// `npx maillage <command>`: runs the TypeScript CLI through tsx (a runtime dependency).
import { fileURLToPath, URL } from 'node:url';
import { register } from 'tsx/esm/api';

// The project's tsconfig (JSX through @kitajs/html), whatever the working directory.
register({ tsconfig: fileURLToPath(new URL('../tsconfig.json', import.meta.url)) });
await import('../src/cli.ts');
