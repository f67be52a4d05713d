#!/usr/bin/env node
import { launch } from "./launch.mjs";

launch("packages/core/src/cli/main.ts");
