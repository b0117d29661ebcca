#!/usr/bin/env node
/* Bundles the learner runtime once per target: node templates/src/build.js [OUT_DIR]
   (npm run build:runtime). Each bundle is one function holding LIMITS (that target's
   data-model limits from builder/scorm_limits.json), the shared SCORM connection (SCORM
   targets only), the target's tracking adapter, the typed-answer rules and the core, minified by
   terser; and once for every target the quiz widgets (quiz-ui.js) and blocks (blocks.js), which
   the core loads only for pages that have them. Output: OUT_DIR/runtime-<target>.js and
   OUT_DIR/widgets.js (default OUT_DIR: templates/assets). Same input, same bytes. */
"use strict";
const fs = require("fs");
const path = require("path");
const { minify } = require("terser");

const SRC = __dirname;
const REPO = path.resolve(SRC, "..", "..");
const LIMITS = JSON.parse(fs.readFileSync(path.join(REPO, "builder", "scorm_limits.json"), "utf8"));
const TARGETS = {
  scorm12: ["scorm-api.js", "adapter-scorm12.js"],
  scorm2004: ["scorm-api.js", "adapter-scorm2004.js"],
  web: ["adapter-web.js"],
};

/* The quiz widgets and the interactive blocks are not in the launch bundle: every target
   shares assets/widgets.js, which the core loads before it shows the first page that has a
   quiz or a block. It defines one function that the core calls with its helpers. */
function widgets() {
  const parts = ["quiz-ui.js", "blocks.js"].map((name) => fs.readFileSync(path.join(SRC, name), "utf8"));
  return [
    "/*! builder learner runtime: quiz widgets and interactive blocks, loaded by the core on pages that have them.",
    "   Readable source: templates/src/quiz-ui.js and blocks.js; bundled by templates/src/build.js. */",
    "window.BUILDER_WIDGETS = function (doc, $$, fmt, UI, node, say) {",
    '"use strict";',
    ...parts,
    "return { pairWidget: pairWidget, orderWidget: orderWidget, stepper: stepper, setupBlocks: setupBlocks,",
    "  revealInBlocks: revealInBlocks };",
    "};",
    "",
  ].join("\n");
}

function source(target) {
  const limits = LIMITS[target] || {};
  const parts = TARGETS[target].concat("answers.js", "core.js").map((name) => fs.readFileSync(path.join(SRC, name), "utf8"));
  return [
    `/*! builder learner runtime (${target}): navigation, quizzes, resume and tracking.`,
    "   Readable source: templates/src/ (core.js, quiz-ui.js, blocks.js and the adapters); bundled by templates/src/build.js. */",
    "(function () {",
    '"use strict";',
    `var LIMITS = ${JSON.stringify(limits)};`,
    `window.BUILDER_RUNTIME = { target: ${JSON.stringify(target)}, limits: LIMITS };`,
    ...parts,
    "})();",
    "",
  ].join("\n");
}

async function main() {
  const out = path.resolve(process.argv[2] || path.join(REPO, "templates", "assets"));
  fs.mkdirSync(out, { recursive: true });
  const options = { ecma: 2017, compress: { passes: 3, unsafe_arrows: true }, mangle: true, format: { comments: "some" } };
  for (const target of Object.keys(TARGETS)) {
    const result = await minify(source(target), options);
    fs.writeFileSync(path.join(out, `runtime-${target}.js`), result.code + "\n");
  }
  const shared = await minify(widgets(), options);
  fs.writeFileSync(path.join(out, "widgets.js"), shared.code + "\n");
}

main().catch((err) => { console.error(err && err.message ? err.message : err); process.exit(1); });
