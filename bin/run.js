#!/usr/bin/env node
// The SDK warns on Node 20 that releases after early January 2027 need Node 22; connect-copy
// pins its SDK versions in package-lock.json, so the warning says nothing about this install.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
// The built commands live in dist/; run `npm run build` after changing the sources.
require('@oclif/core').execute({ dir: __dirname });
