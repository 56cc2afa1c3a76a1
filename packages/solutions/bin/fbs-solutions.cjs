#!/usr/bin/env node
// Committed stub, so package managers can link the bin before the package is built.
require('../dist/bin.js');
