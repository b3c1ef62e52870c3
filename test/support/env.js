'use strict';
// Same as bin/run.js: the pinned SDK's Node 20 notice is noise in test output.
process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';
