#!/usr/bin/env node
import { launch } from "./launch.mjs";

launch("packages/fastify/src/cli/main.ts");
