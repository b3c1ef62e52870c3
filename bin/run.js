#!/usr/bin/env node
// The built commands live in dist/; run `npm run build` after changing the sources.
require('@oclif/core').execute({ dir: __dirname });
