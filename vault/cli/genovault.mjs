#!/usr/bin/env node
// Launcher for the `genovault` command: registers the TypeScript loader, then runs the CLI.
import { register } from 'tsx/esm/api';
register();
await import('./main.ts');
