#!/usr/bin/env node
'use strict';
require('../dist/sg-lint.cjs')
  .main(process.argv.slice(2))
  .then((code) => {
    process.exitCode = code;
  });
