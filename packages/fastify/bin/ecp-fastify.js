#!/usr/bin/env node
// Installed entry point: the compiled CLI (run `pnpm build` first when working from a checkout).
import "../dist/cli/main.js";
